/** A small HTTP client over app.inject, logged in by Bearer token or cookie. */
import { randomBytes } from 'node:crypto';

import type { Executor } from '../../src/db/database.js';
import type { App } from '../../src/http/app.js';
import type { AuditDetail } from './contract.js';
import { emailedLink } from './emails.js';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  raw: string;
}

export interface CallOptions {
  token?: string;
  cookie?: string;
  origin?: string;
  headers?: Record<string, string>;
  /** A raw payload (string) with its content type, for malformed-input tests. */
  raw?: { payload: string; contentType: string };
}

export async function call<T = Record<string, unknown>>(
  app: App,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = `sa_session=${options.cookie}`;
  if (options.origin) headers.origin = options.origin;
  let payload: string | undefined;
  if (options.raw) {
    payload = options.raw.payload;
    headers['content-type'] = options.raw.contentType;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const response = await app.inject({ method, url, headers, payload });
  let parsed: unknown = null;
  try {
    parsed = response.body ? JSON.parse(response.body) : null;
  } catch {
    parsed = response.body;
  }
  return { status: response.statusCode, body: parsed as T, headers: response.headers, raw: response.body };
}

export const uniqueEmail = (label = 'user', domain = 'example.org') =>
  `${label}-${randomBytes(5).toString('hex')}@${domain}`;

export interface Account {
  token: string;
  user: { id: string; email: string; role: string; organizationId: string };
  organization: { id: string; name: string };
  password: string;
}

export async function signup(app: App, overrides: Record<string, unknown> = {}): Promise<Account> {
  const password = 'correct horse battery';
  const answer = await call<Account>(app, 'POST', '/api/auth/signup', {
    email: uniqueEmail(),
    password,
    name: 'Ada Admin',
    ...overrides,
  });
  if (answer.status !== 201) throw new Error(`signup failed: ${answer.status} ${answer.raw}`);
  return { ...answer.body, password: (overrides.password as string | undefined) ?? password };
}

/** An organization with an admin, a member and a viewer, each logged in. */
export async function team(app: App, existingAdmin?: Account) {
  const admin = existingAdmin ?? (await signup(app, { organizationName: `Org ${randomBytes(3).toString('hex')}` }));
  const join = async (role: 'member' | 'viewer' | 'admin', name: string): Promise<Account> => {
    const email = uniqueEmail(role);
    const invite = await call<{ invite: { acceptUrl: string } }>(
      app,
      'POST',
      '/api/team/invites',
      { email, role },
      { token: admin.token },
    );
    if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${invite.raw}`);
    const token = invite.body.invite.acceptUrl.split('/invite/')[1]!;
    const accepted = await call<Account>(app, 'POST', `/api/invites/${token}/accept`, {
      name,
      password: 'member password',
    });
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${accepted.raw}`);
    return { ...accepted.body, password: 'member password' };
  };
  const member = await join('member', 'Mel Member');
  const viewer = await join('viewer', 'Vic Viewer');
  return { admin, member, viewer, join };
}

/**
 * Verifies the account's email with the newest link sent to `email` (its address unless
 * given), logged in as the account, as its owner would from the mailbox.
 */
export async function verifyEmail(
  app: App,
  db: Executor,
  account: { token: string; user: { email: string } },
  email = account.user.email,
): Promise<Answer<Account>> {
  const { token } = await emailedLink(db, email, 'verify_email');
  const answer = await call<Account>(app, 'POST', '/api/auth/verify-email', { token }, { token: account.token });
  if (answer.status !== 200) throw new Error(`verification failed: ${answer.status} ${answer.raw}`);
  return answer;
}

/** Creates an audit as `who` through the API (a one-tool stack unless given): its id. */
export async function createAudit(
  app: App,
  who: Account,
  name: string,
  stackData: unknown = { tools: [{ name: 'Slack', monthlyCost: 10 }] },
): Promise<string> {
  const created = await call<{ audit: { id: string } }>(
    app,
    'POST',
    '/api/audits',
    { name, stackData },
    { token: who.token },
  );
  if (created.status !== 201) throw new Error(`the audit was not created: ${created.status} ${created.raw}`);
  return created.body.audit.id;
}

/** Creates an audit as `who` and waits for its analysis (the app must run a worker): the audit page's answer. */
export async function analysedAudit(app: App, who: Account, name: string, stackData: unknown): Promise<AuditDetail> {
  const auditId = await createAudit(app, who, name, stackData);
  for (let i = 0; i < 400; i++) {
    const detail = await call<AuditDetail>(app, 'GET', `/api/audits/${auditId}`, undefined, { token: who.token });
    if (detail.body.audit.status === 'completed') return detail.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`audit ${auditId} was not analysed`);
}
