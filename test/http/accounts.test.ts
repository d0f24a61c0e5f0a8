/**
 * Accounts a finance or IT lead can trust (#14): verified emails, joining by domain only
 * once verified, password reset, limits that hold under concurrency, session lifetimes.
 */
import { randomBytes } from 'node:crypto';

import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';

import { accountTokens, sessions, users } from '../../src/db/schema.js';
import { hashToken } from '../../src/domain/tokens.js';
import { CollaborationActivityRepository } from '../../src/repositories/collaboration-activity.repository.js';
import { SessionRepository } from '../../src/repositories/session.repository.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { hashPassword } from '../../src/services/passwords.js';
import { appPerBlock, withTestApp } from '../harness/app.js';
import { call, signup, uniqueEmail, verifyEmail, type Account } from '../harness/client.js';
import type { CurrentAccountJson, ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import { emailedLink, emailsTo } from '../harness/emails.js';
import { makeAudit, makeUser } from '../harness/factories.js';

type Pending = Omit<Account, 'organization' | 'user'> & CurrentAccountJson;

const APP_URL = 'https://app.stackaudit.test';
const DAY = 86_400_000;
const as = (who: { token: string } | null) => (who ? { token: who.token } : {});
const statuses = (answers: { status: number }[]) =>
  answers.reduce<Record<number, number>>((count, a) => ({ ...count, [a.status]: (count[a.status] ?? 0) + 1 }), {});
const near = (actual: Date | string, expected: number, toleranceMs = 10_000) =>
  expect(Math.abs(new Date(actual).getTime() - expected)).toBeLessThan(toleranceMs);

describeEachDatabase('email verification', (get) => {
  const app = appPerBlock(get, { APP_URL });
  const db = () => get().database.db;

  it('signup emails a link APP_URL/verify-email/TOKEN (stored hashed, 24 h); using it verifies the email, once', async () => {
    const account = await signup(app());
    expect((account.user as unknown as CurrentAccountJson['user']).emailVerified).toBe(false);
    const link = await emailedLink(db(), account.user.email, 'verify_email');
    expect(link.url).toBe(`${APP_URL}/verify-email/${link.token}`);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.email.status).toBe('pending'); // in the outbox, written with the account

    const stored = await db().select().from(accountTokens).where(eq(accountTokens.userId, account.user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ purpose: 'verify_email', tokenHash: hashToken(link.token), usedAt: null });
    expect(JSON.stringify(stored)).not.toContain(link.token);
    near(stored[0]!.expiresAt, Date.now() + DAY);

    const verified = await call<CurrentAccountJson>(
      app(),
      'POST',
      '/api/auth/verify-email',
      { token: link.token },
      as(account),
    );
    expect(verified.status).toBe(200);
    expect(verified.body.user).toMatchObject({ id: account.user.id, emailVerified: true });
    expect(verified.body.organization?.id).toBe(account.organization.id);
    const me = await call<CurrentAccountJson>(app(), 'GET', '/api/auth/me', undefined, as(account));
    expect(me.body.user.emailVerified).toBe(true);

    const again = await call<ErrorBody>(app(), 'POST', '/api/auth/verify-email', { token: link.token }, as(account));
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('token_used');
  });

  it('a link is used only logged in as its account: 401 logged out, 403 as another account, neither uses it', async () => {
    const account = await signup(app());
    const other = await signup(app());
    const { token } = await emailedLink(db(), account.user.email, 'verify_email');
    const anonymous = await call<ErrorBody>(app(), 'POST', '/api/auth/verify-email', { token });
    expect(anonymous.status).toBe(401);
    const foreign = await call<ErrorBody>(app(), 'POST', '/api/auth/verify-email', { token }, as(other));
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toContain('another account');
    for (const who of [account, other]) {
      const me = await call<CurrentAccountJson>(app(), 'GET', '/api/auth/me', undefined, as(who));
      expect(me.body.user.emailVerified).toBe(false);
    }
    expect((await call(app(), 'POST', '/api/auth/verify-email', { token }, as(account))).status).toBe(200);
  });

  it('the same link used five times at once verifies once: one 200, the others 410', async () => {
    const account = await signup(app());
    const { token } = await emailedLink(db(), account.user.email, 'verify_email');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call(app(), 'POST', '/api/auth/verify-email', { token }, as(account))),
    );
    expect(statuses(answers)).toEqual({ 200: 1, 410: 4 });
  });

  it('a link we never sent is 400; an expired one 410; neither verifies anything', async () => {
    const account = await signup(app());
    for (const token of ['A'.repeat(43), 'short', 'x'.repeat(200)]) {
      const answer = await call<ErrorBody>(app(), 'POST', '/api/auth/verify-email', { token }, as(account));
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'body.token' }] });
    }
    const link = await emailedLink(db(), account.user.email, 'verify_email');
    await db()
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accountTokens.userId, account.user.id));
    const expired = await call<ErrorBody>(app(), 'POST', '/api/auth/verify-email', { token: link.token }, as(account));
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('token_expired');
    const me = await call<CurrentAccountJson>(app(), 'GET', '/api/auth/me', undefined, as(account));
    expect(me.body.user.emailVerified).toBe(false);

    // A new link, asked for while logged in, works.
    const resent = await call<{ message: string }>(
      app(),
      'POST',
      '/api/auth/verify-email/resend',
      undefined,
      as(account),
    );
    expect(resent.status).toBe(202);
    expect(resent.body.message).toContain(account.user.email);
    expect(await emailsTo(db(), account.user.email, 'verify_email')).toHaveLength(2);
    await verifyEmail(app(), db(), account);
  });

  it('resend: 401 when logged out, limited per user, 409 once verified', async () => {
    await withTestApp(get().database, { APP_URL, RATE_LIMIT_VERIFICATION_EMAILS_PER_USER: '2' }, async (limited) => {
      const account = await signup(limited);
      expect((await call(limited, 'POST', '/api/auth/verify-email/resend')).status).toBe(401);
      const resend = () => call<ErrorBody>(limited, 'POST', '/api/auth/verify-email/resend', undefined, as(account));
      expect((await resend()).status).toBe(202);
      expect((await resend()).status).toBe(202);
      const third = await resend();
      expect(third.status).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(await emailsTo(db(), account.user.email, 'verify_email')).toHaveLength(3); // signup + 2

      await verifyEmail(limited, db(), account);
      const verified = await resend();
      expect(verified.status).toBe(409);
      expect(verified.body.error.code).toBe('already_verified');
    });
  });

  it('a changed email is unverified until its own link is used; a link to the old address proves nothing', async () => {
    const account = await signup(app());
    const old = await emailedLink(db(), account.user.email, 'verify_email');
    const email = uniqueEmail('moved');
    const changed = await call<CurrentAccountJson>(
      app(),
      'PATCH',
      '/api/auth/me',
      { email, currentPassword: account.password },
      as(account),
    );
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ email, emailVerified: false });

    const stale = await call<ErrorBody>(app(), 'POST', '/api/auth/verify-email', { token: old.token }, as(account));
    expect(stale.status).toBe(410);
    expect(
      (await call<CurrentAccountJson>(app(), 'GET', '/api/auth/me', undefined, as(account))).body.user.emailVerified,
    ).toBe(false);

    const verified = await verifyEmail(app(), db(), account, email);
    expect((verified.body.user as unknown as CurrentAccountJson['user']).emailVerified).toBe(true);
    // Verified, then changed again: unverified again.
    const again = await call<CurrentAccountJson>(
      app(),
      'PATCH',
      '/api/auth/me',
      { email: uniqueEmail('again'), currentPassword: account.password },
      as(account),
    );
    expect(again.body.user.emailVerified).toBe(false);
  });

  it('user.emailVerified is in every answer that carries a user', async () => {
    const account = await signup(app());
    const login = await call<CurrentAccountJson>(app(), 'POST', '/api/auth/login', {
      email: account.user.email,
      password: account.password,
    });
    const session = await call<CurrentAccountJson>(app(), 'GET', '/api/auth/session', undefined, as(account));
    const members = await call<{ items: CurrentAccountJson['user'][] }>(
      app(),
      'GET',
      '/api/team/members',
      undefined,
      as(account),
    );
    const patched = await call<CurrentAccountJson>(app(), 'PATCH', '/api/auth/me', { name: 'Renamed' }, as(account));
    for (const user of [login.body.user, session.body.user, members.body.items[0]!, patched.body.user]) {
      expect(user.emailVerified).toBe(false);
    }
  });
});

describeEachDatabase('joining an organization by its email domain', (get) => {
  const app = appPerBlock(get, { APP_URL });
  let acme: Account;
  let domain: string;
  let auditId: string;
  const db = () => get().database.db;

  /** An organization that claims `domain`, proven by its admin's verified address there. */
  async function claimingOrganization(claimed: string): Promise<Account> {
    const admin = await signup(app(), { email: uniqueEmail('boss', claimed), organizationName: `Org ${claimed}` });
    await verifyEmail(app(), db(), admin);
    const answer = await call(
      app(),
      'PATCH',
      '/api/organization',
      { settings: { allowedDomains: [claimed] } },
      as(admin),
    );
    if (answer.status !== 200) throw new Error(`claiming ${claimed}: ${answer.status} ${answer.raw}`);
    return admin;
  }

  const signupAt = async (at: string, name = 'Newcomer') => {
    const answer = await call<Pending>(app(), 'POST', '/api/auth/signup', {
      email: uniqueEmail('new', at),
      password: 'long enough pass',
      name,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  };

  beforeAll(async () => {
    domain = `acme-${randomBytes(3).toString('hex')}.io`;
    acme = await claimingOrganization(domain);
    auditId = (await makeAudit(db(), acme.organization.id, acme.user.id, 'Visible to the organization')).id;
  });

  it('an unverified signup at a claimed domain belongs to no organization and sees none of its data', async () => {
    const newcomer = await signupAt(domain);
    expect(newcomer.organization).toBeNull();
    expect(newcomer.user).toMatchObject({ organizationId: null, role: 'member', emailVerified: false });
    const mail = await emailedLink(db(), newcomer.user.email, 'verify_email');
    expect(mail.email.textBody).toContain('join your organization');

    const me = await call<CurrentAccountJson>(app(), 'GET', '/api/auth/me', undefined, as(newcomer));
    expect(me.status).toBe(200);
    expect(me.body.organization).toBeNull();
    for (const url of [
      '/api/audits',
      `/api/audits/${auditId}`,
      `/api/audits/${auditId}/comments`,
      '/api/team/members',
      '/api/organization',
      '/api/activity',
      '/api/tool-costs',
      '/api/tool-costs/summary',
      '/api/billing',
      '/api/me/notifications',
    ]) {
      const answer = await call<ErrorBody>(app(), 'GET', url, undefined, as(newcomer));
      expect({ url, status: answer.status }).toEqual({ url, status: 403 });
      expect(answer.body.error.message).toContain('Confirm your email address');
    }
    const create = await call(app(), 'POST', '/api/audits', { name: 'Mine', stackData: { tools: [] } }, as(newcomer));
    expect(create.status).toBe(403);
    // Logging in again lands in the same state.
    const login = await call<Pending>(app(), 'POST', '/api/auth/login', {
      email: newcomer.user.email,
      password: 'long enough pass',
    });
    expect(login.status).toBe(200);
    expect(login.body.organization).toBeNull();
    const members = await call<{ items: { id: string }[] }>(app(), 'GET', '/api/team/members', undefined, as(acme));
    expect(members.body.items.map((m) => m.id)).not.toContain(newcomer.user.id);
  });

  it('verifying the email joins the claiming organization as a member, with its data and an activity entry', async () => {
    const newcomer = await signupAt(domain, 'Verified Newcomer');
    const joined = await verifyEmail(app(), db(), newcomer);
    expect(joined.body.user).toMatchObject({
      id: newcomer.user.id,
      organizationId: acme.organization.id,
      role: 'member',
      emailVerified: true,
    });
    expect(joined.body.organization.id).toBe(acme.organization.id);

    const audits = await call<{ items: { id: string }[] }>(app(), 'GET', '/api/audits', undefined, as(newcomer));
    expect(audits.status).toBe(200);
    expect(audits.body.items.map((a) => a.id)).toContain(auditId);
    const feed = await new CollaborationActivityRepository(db()).list(acme.organization.id, { limit: 100 });
    expect(feed.items.find((a) => a.action === 'member_joined' && a.userId === newcomer.user.id)?.metadata).toEqual({
      via: 'allowed_domain',
      domain,
      role: 'member',
    });
  });

  it('joining waits for a free seat: 402, nothing changes, and the same link works once there is one', async () => {
    const full = `full-${randomBytes(3).toString('hex')}.io`;
    const owner = await claimingOrganization(full); // free plan: 5 members
    const fillers = [];
    for (let i = 0; i < 4; i++) fillers.push(await makeUser(db(), owner.organization.id));
    const newcomer = await signupAt(full);
    const { token } = await emailedLink(db(), newcomer.user.email, 'verify_email');
    const refused = await call<ErrorBody>(app(), 'POST', '/api/auth/verify-email', { token }, as(newcomer));
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('plan_limit_reached');
    const still = await new UserRepository(db()).findByIdAcrossOrganizations(newcomer.user.id);
    expect(still).toMatchObject({ organizationId: null, emailVerifiedAt: null, domainJoinPending: true });

    await call(app(), 'DELETE', `/api/team/members/${fillers[0]!.id}`, undefined, as(owner));
    const joined = await call<CurrentAccountJson>(app(), 'POST', '/api/auth/verify-email', { token }, as(newcomer));
    expect(joined.status).toBe(200);
    expect(joined.body.organization?.id).toBe(owner.organization.id);
  });

  it('someone who signed up with a colleague’s address gets nothing when the colleague confirms it', async () => {
    // The squatter signs up with Alice's address, keeps the session and knows the password.
    const alice = uniqueEmail('alice', domain);
    const squatter = await call<Pending>(app(), 'POST', '/api/auth/signup', {
      email: alice,
      password: 'squatter password',
      name: 'Alice',
    });
    expect(squatter.status).toBe(201);
    // Alice opens the genuine email: logged out, the link does nothing.
    const { token } = await emailedLink(db(), alice, 'verify_email');
    expect((await call(app(), 'POST', '/api/auth/verify-email', { token })).status).toBe(401);
    // She does not know the password: she resets it from her mailbox, which ends every session
    // of the account and logs her in (still waiting: a reset proves nothing about joining).
    await call(app(), 'POST', '/api/auth/password-reset', { email: alice });
    const reset = await emailedLink(db(), alice, 'password_reset');
    const mine = await call<Pending>(app(), 'POST', `/api/auth/password-reset/${reset.token}`, {
      password: 'alice own password',
    });
    expect(mine.status).toBe(200);
    expect(mine.body.organization).toBeNull();
    expect(mine.body.user).toMatchObject({ organizationId: null, emailVerified: false });
    const joined = await call<CurrentAccountJson>(app(), 'POST', '/api/auth/verify-email', { token }, as(mine.body));
    expect(joined.status).toBe(200);
    expect(joined.body.organization?.id).toBe(acme.organization.id);
    // The squatter's session is gone and the squatter's password no longer opens the account.
    expect((await call(app(), 'GET', '/api/audits', undefined, as(squatter.body))).status).toBe(401);
    const login = await call(app(), 'POST', '/api/auth/login', { email: alice, password: 'squatter password' });
    expect(login.status).toBe(401);
  });

  it('an account waiting to join may correct a mistyped address; the address it verifies decides what it joins', async () => {
    const newcomer = await signupAt(domain, 'Typo Tom');
    const elsewhere = uniqueEmail('tom', `elsewhere-${randomBytes(3).toString('hex')}.io`);
    const fixed = await call<CurrentAccountJson>(
      app(),
      'PATCH',
      '/api/auth/me',
      { email: elsewhere, currentPassword: 'long enough pass' },
      as(newcomer),
    );
    expect(fixed.status).toBe(200);
    expect(fixed.body.user).toMatchObject({ email: elsewhere, organizationId: null, emailVerified: false });
    // The link sent to the first address no longer proves anything; the new one does.
    const stale = await emailedLink(db(), newcomer.user.email, 'verify_email');
    expect((await call(app(), 'POST', '/api/auth/verify-email', { token: stale.token }, as(newcomer))).status).toBe(
      410,
    );
    const verified = await verifyEmail(app(), db(), newcomer, elsewhere);
    expect(verified.body.organization.id).not.toBe(acme.organization.id);
    expect(verified.body.user).toMatchObject({ role: 'admin', emailVerified: true });
  });

  it('when the domain is released before the email is verified, the account gets an organization of its own', async () => {
    const released = `released-${randomBytes(3).toString('hex')}.io`;
    const owner = await claimingOrganization(released);
    const newcomer = await signupAt(released, 'Solo Founder');
    expect(
      (await call(app(), 'PATCH', '/api/organization', { settings: { allowedDomains: [] } }, as(owner))).status,
    ).toBe(200);
    const verified = await verifyEmail(app(), db(), newcomer);
    expect(verified.body.organization.id).not.toBe(owner.organization.id);
    expect(verified.body.organization.name).toBe("Solo Founder's organization");
    expect(verified.body.user).toMatchObject({ role: 'admin', emailVerified: true });
    expect((await call(app(), 'GET', '/api/audits', undefined, as(newcomer))).status).toBe(200);
  });
});

describeEachDatabase('password reset', (get) => {
  const app = appPerBlock(get, { APP_URL });
  const db = () => get().database.db;
  const requestReset = (email: string, options = {}) =>
    call<{ message: string }>(app(), 'POST', '/api/auth/password-reset', { email }, options);

  it('answers the same 202 whether or not the email has an account; only an account gets a link (1 h, hashed)', async () => {
    const account = await signup(app());
    const ghost = uniqueEmail('ghost');
    const known = await requestReset(account.user.email.toUpperCase());
    const unknown = await requestReset(ghost);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.raw).toBe(unknown.raw);
    expect(await emailsTo(db(), ghost, 'password_reset')).toHaveLength(0);

    const link = await emailedLink(db(), account.user.email, 'password_reset');
    expect(link.url).toBe(`${APP_URL}/reset-password/${link.token}`);
    const [stored] = await db()
      .select()
      .from(accountTokens)
      .where(eq(accountTokens.tokenHash, hashToken(link.token)));
    expect(stored).toMatchObject({ purpose: 'password_reset', userId: account.user.id, usedAt: null });
    near(stored!.expiresAt, Date.now() + 60 * 60 * 1000);
    expect(JSON.stringify(await db().select().from(accountTokens))).not.toContain(link.token);
  });

  it('the link sets the password, ends every session, logs in, and tells the user by email', async () => {
    const account = await signup(app());
    const other = await call<Account>(app(), 'POST', '/api/auth/login', {
      email: account.user.email,
      password: account.password,
    });
    expect(await new SessionRepository(db()).countForUser(account.user.id)).toBe(2);
    await requestReset(account.user.email);
    const { token } = await emailedLink(db(), account.user.email, 'password_reset');

    const reset = await call<Account>(app(), 'POST', `/api/auth/password-reset/${token}`, {
      password: 'a brand new password',
    });
    expect(reset.status).toBe(200);
    expect(reset.body.user.id).toBe(account.user.id);
    expect(reset.body.organization.id).toBe(account.organization.id);
    expect(String(reset.headers['set-cookie'])).toContain(`sa_session=${reset.body.token}`);

    // Every earlier session is gone (the rows, not only their answers); the new one works.
    const rows = await db().select().from(sessions).where(eq(sessions.userId, account.user.id));
    expect(rows.map((r) => r.tokenHash)).toEqual([hashToken(reset.body.token)]);
    for (const old of [account.token, other.body.token]) {
      expect((await call(app(), 'GET', '/api/auth/me', undefined, { token: old })).status).toBe(401);
    }
    expect((await call(app(), 'GET', '/api/auth/me', undefined, as(reset.body))).status).toBe(200);

    const login = (password: string) => call(app(), 'POST', '/api/auth/login', { email: account.user.email, password });
    expect((await login(account.password)).status).toBe(401);
    expect((await login('a brand new password')).status).toBe(200);
    const [told] = await emailsTo(db(), account.user.email, 'password_changed');
    expect(told?.textBody).toContain('password of your StackAudit account was changed');

    const again = await call<ErrorBody>(app(), 'POST', `/api/auth/password-reset/${token}`, {
      password: 'yet another password',
    });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('token_used');
  });

  it('a bad link is 400, an expired one 410, a short password 400 — and none of them changes anything', async () => {
    const account = await signup(app());
    const bad = await call<ErrorBody>(app(), 'POST', `/api/auth/password-reset/${'A'.repeat(43)}`, {
      password: 'a good long password',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.[0]?.field).toBe('params.token');

    await requestReset(account.user.email);
    const { token } = await emailedLink(db(), account.user.email, 'password_reset');
    const short = await call<ErrorBody>(app(), 'POST', `/api/auth/password-reset/${token}`, {
      password: 'elevenchars',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details?.[0]?.field).toBe('body.password');
    expect((await call(app(), 'GET', '/api/auth/me', undefined, as(account))).status).toBe(200);

    await db()
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(accountTokens.tokenHash, hashToken(token)));
    const expired = await call<ErrorBody>(app(), 'POST', `/api/auth/password-reset/${token}`, {
      password: 'a good long password',
    });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('token_expired');
    expect((await call(app(), 'GET', '/api/auth/me', undefined, as(account))).status).toBe(200);
    const login = await call(app(), 'POST', '/api/auth/login', {
      email: account.user.email,
      password: account.password,
    });
    expect(login.status).toBe(200);
  });

  it('one link used at once, and two links of one account at once: exactly one sets the password, no 5xx', async () => {
    const account = await signup(app());
    await requestReset(account.user.email);
    await requestReset(account.user.email);
    const tokens = (await emailsTo(db(), account.user.email, 'password_reset')).map(
      (mail) => /reset-password\/([A-Za-z0-9_-]+)/.exec(mail.textBody)![1]!,
    );
    expect(tokens).toHaveLength(2);
    const answers = await Promise.all(
      [...tokens, ...tokens, ...tokens].map((token, i) =>
        call(app(), 'POST', `/api/auth/password-reset/${token}`, { password: `concurrent password ${i}` }),
      ),
    );
    expect(statuses(answers)).toEqual({ 200: 1, 410: 5 });
    expect(await new SessionRepository(db()).countForUser(account.user.id)).toBe(1);
  });

  it('using one link retires the other reset links of the account', async () => {
    const account = await signup(app());
    await requestReset(account.user.email);
    await requestReset(account.user.email);
    const [newer, older] = await emailsTo(db(), account.user.email, 'password_reset');
    const tokenOf = (text: string) => /reset-password\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
    const used = await call(app(), 'POST', `/api/auth/password-reset/${tokenOf(older!.textBody)}`, {
      password: 'a good long password',
    });
    expect(used.status).toBe(200);
    const retired = await call<ErrorBody>(app(), 'POST', `/api/auth/password-reset/${tokenOf(newer!.textBody)}`, {
      password: 'another long password',
    });
    expect(retired.status).toBe(410);
  });

  it('is limited per email (known or not: the 429 tells nothing) and per IP', async () => {
    await withTestApp(
      get().database,
      {
        APP_URL,
        TRUST_PROXY_HOPS: '1',
        RATE_LIMIT_PASSWORD_RESET_PER_EMAIL: '2',
        RATE_LIMIT_PASSWORD_RESET_PER_IP: '3',
      },
      async (limited) => {
        const account = await signup(limited);
        const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
        const ask = (email: string, ip: string) =>
          call(limited, 'POST', '/api/auth/password-reset', { email }, from(ip));
        const refusals = [];
        for (const email of [account.user.email, uniqueEmail('ghost')]) {
          const answers = [];
          for (let i = 0; i < 3; i++) answers.push(await ask(email, `198.51.100.${i + 1}`));
          expect(answers.map((a) => a.status)).toEqual([202, 202, 429]);
          refusals.push(answers[2]!);
        }
        // The refusal of a known address reads as the refusal of an unknown one.
        const [known, unknown] = refusals.map((r) => r.raw.replace(/\d+ seconds/, 'N seconds'));
        expect(known).toBe(unknown);
        expect(await emailsTo(db(), account.user.email, 'password_reset')).toHaveLength(2);
        const sameIp = [];
        for (let i = 0; i < 4; i++) sameIp.push((await ask(uniqueEmail('any'), '203.0.113.50')).status);
        expect(sameIp).toEqual([202, 202, 202, 429]);
      },
    );
  });
});

describeEachDatabase('limits that hold under concurrency', (get) => {
  const db = () => get().database.db;

  it('30 simultaneous wrong passwords: exactly the limit are checked (401), the rest 429; then even the right one is 429', async () => {
    await withTestApp(get().database, {}, async (limited) => {
      const account = await signup(limited);
      const guesses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          call(limited, 'POST', '/api/auth/login', { email: account.user.email, password: `wrong guess ${i}` }),
        ),
      );
      expect(statuses(guesses)).toEqual({ 401: 10, 429: 20 });
      const right = await call(limited, 'POST', '/api/auth/login', {
        email: account.user.email,
        password: account.password,
      });
      expect(right.status).toBe(429);
    });
  });

  it('a success clears the account’s failures', async () => {
    await withTestApp(get().database, {}, async (limited) => {
      const account = await signup(limited);
      const login = (password: string) =>
        call(limited, 'POST', '/api/auth/login', { email: account.user.email, password });
      for (let i = 0; i < 9; i++) expect((await login(`wrong ${i}`)).status).toBe(401);
      expect((await login(account.password)).status).toBe(200);
      const after = [];
      for (let i = 0; i < 11; i++) after.push((await login(`wrong again ${i}`)).status);
      expect(after).toEqual([...Array<number>(10).fill(401), 429]);
    });
  });

  it('a password given to accept an invite counts against the same per-account limit', async () => {
    await withTestApp(get().database, { RATE_LIMIT_LOGIN_PER_ACCOUNT: '3' }, async (limited) => {
      const admin = await signup(limited);
      // An account without an organization (created directly, as a removed member is left).
      const email = uniqueEmail('returning');
      await new UserRepository(db()).create({
        email,
        passwordHash: await hashPassword('the right password'),
        name: 'Returning',
        organizationId: null,
      });
      const invite = await call<{ invite: { acceptUrl: string } }>(
        limited,
        'POST',
        '/api/team/invites',
        { email, role: 'member' },
        as(admin),
      );
      const token = invite.body.invite.acceptUrl.split('/invite/')[1]!;
      const accept = (password: string) => call(limited, 'POST', `/api/invites/${token}/accept`, { password });
      const guesses = await Promise.all(Array.from({ length: 10 }, (_, i) => accept(`wrong guess ${i}`)));
      expect(statuses(guesses)).toEqual({ 401: 3, 429: 7 });
      expect((await accept('the right password')).status).toBe(429);
      expect((await call(limited, 'POST', '/api/auth/login', { email, password: 'the right password' })).status).toBe(
        429,
      );
    });
  });

  it('signups per IP: of 8 at once, exactly the limit succeed', async () => {
    // From an address of its own: earlier tests' signups counted against 127.0.0.1.
    const from = { headers: { 'x-forwarded-for': '192.0.2.77' } };
    await withTestApp(get().database, { RATE_LIMIT_SIGNUP_PER_IP: '3', TRUST_PROXY_HOPS: '1' }, async (limited) => {
      const emails = Array.from({ length: 8 }, () => uniqueEmail('burst'));
      const answers = await Promise.all(
        emails.map((email) =>
          call(limited, 'POST', '/api/auth/signup', { email, password: 'long enough pass', name: 'Burst' }, from),
        ),
      );
      expect(statuses(answers)).toEqual({ 201: 3, 429: 5 });
      let created = 0;
      for (const email of emails) if (await new UserRepository(db()).findByEmailAcrossOrganizations(email)) created++;
      expect(created).toBe(3);
    });
  });

  it('invites per organization: of 6 at once, exactly the limit go out; another organization is not held back', async () => {
    await withTestApp(get().database, { RATE_LIMIT_INVITES_PER_ORGANIZATION: '3' }, async (limited) => {
      const admin = await signup(limited);
      const emails = Array.from({ length: 6 }, () => uniqueEmail('invitee'));
      const answers = await Promise.all(
        emails.map((email) => call(limited, 'POST', '/api/team/invites', { email, role: 'viewer' }, as(admin))),
      );
      expect(statuses(answers)).toEqual({ 201: 3, 429: 3 });
      let sent = 0;
      for (const email of emails) sent += (await emailsTo(db(), email, 'invite')).length;
      expect(sent).toBe(3);
      const other = await signup(limited);
      const elsewhere = await call(
        limited,
        'POST',
        '/api/team/invites',
        { email: uniqueEmail(), role: 'viewer' },
        as(other),
      );
      expect(elsewhere.status).toBe(201);
    });
  });

  it('reset requests for one email: of 10 at once, exactly the limit send a link', async () => {
    await withTestApp(get().database, { RATE_LIMIT_PASSWORD_RESET_PER_EMAIL: '3' }, async (limited) => {
      const account = await signup(limited);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          call(limited, 'POST', '/api/auth/password-reset', { email: account.user.email }),
        ),
      );
      expect(statuses(answers)).toEqual({ 202: 3, 429: 7 });
      expect(await emailsTo(db(), account.user.email, 'password_reset')).toHaveLength(3);
    });
  });
});

describeEachDatabase('session lifetimes', (get) => {
  const app = appPerBlock(get);
  const db = () => get().database.db;
  const sessionOf = async (token: string) =>
    (
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashToken(token)))
    )[0];
  const cookieExpiry = (answer: { headers: Record<string, unknown> }) =>
    /Expires=([^;]+)/.exec(String(answer.headers['set-cookie']))?.[1];

  it('a session lasts SESSION_IDLE_DAYS (7) from its last use: the cookie and the row say so', async () => {
    const answer = await call<Account>(app(), 'POST', '/api/auth/signup', {
      email: uniqueEmail('idle'),
      password: 'long enough pass',
      name: 'Idle',
    });
    near(cookieExpiry(answer)!, Date.now() + 7 * DAY, 2_000);
    near((await sessionOf(answer.body.token))!.expiresAt, Date.now() + 7 * DAY);
  });

  it('use slides the expiry forward, never past SESSION_MAX_DAYS (30) from the session’s start', async () => {
    const account = await signup(app());
    const started = Date.now() - 29.5 * DAY;
    await db()
      .update(sessions)
      .set({ createdAt: new Date(started), expiresAt: new Date(Date.now() + 60 * 60 * 1000) })
      .where(eq(sessions.tokenHash, hashToken(account.token)));
    const answer = await call(app(), 'GET', '/api/auth/me', undefined, { cookie: account.token });
    expect(answer.status).toBe(200);
    near(cookieExpiry(answer)!, started + 30 * DAY, 2_000);
    near((await sessionOf(account.token))!.expiresAt, started + 30 * DAY);
  });

  it('a session older than SESSION_MAX_DAYS is refused whatever its expiry says', async () => {
    const account = await signup(app());
    await db()
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - 30 * DAY - 60_000), expiresAt: new Date(Date.now() + DAY) })
      .where(eq(sessions.tokenHash, hashToken(account.token)));
    expect((await call(app(), 'GET', '/api/auth/me', undefined, as(account))).status).toBe(401);
  });

  it('a session unused for longer than SESSION_IDLE_DAYS is refused, even one made when the setting was longer', async () => {
    const account = await signup(app());
    await db()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 8 * DAY), expiresAt: new Date(Date.now() + 20 * DAY) })
      .where(eq(sessions.tokenHash, hashToken(account.token)));
    expect((await call(app(), 'GET', '/api/auth/me', undefined, as(account))).status).toBe(401);
  });

  it('shorter lifetimes configured are applied', async () => {
    await withTestApp(get().database, { SESSION_IDLE_DAYS: '1', SESSION_MAX_DAYS: '2' }, async (short) => {
      const account = await signup(short);
      near((await sessionOf(account.token))!.expiresAt, Date.now() + DAY);
      await db()
        .update(sessions)
        .set({ createdAt: new Date(Date.now() - 2 * DAY - 60_000) })
        .where(eq(sessions.tokenHash, hashToken(account.token)));
      expect((await call(short, 'GET', '/api/auth/me', undefined, as(account))).status).toBe(401);
    });
  });
});

describeEachDatabase('passwords', (get) => {
  const app = appPerBlock(get);

  it('a new password needs at least 12 characters, wherever it is set', async () => {
    const eleven = 'elevenchars';
    const signupAnswer = await call<ErrorBody>(app(), 'POST', '/api/auth/signup', {
      email: uniqueEmail('short'),
      password: eleven,
      name: 'Short',
    });
    expect(signupAnswer.status).toBe(400);
    expect(signupAnswer.body.error.details?.[0]?.field).toBe('body.password');
    const account = await signup(app());
    const change = await call<ErrorBody>(
      app(),
      'PATCH',
      '/api/auth/me',
      { currentPassword: account.password, newPassword: eleven },
      as(account),
    );
    expect(change.status).toBe(400);
    const invite = await call<{ invite: { acceptUrl: string } }>(
      app(),
      'POST',
      '/api/team/invites',
      { email: uniqueEmail('inv'), role: 'member' },
      as(account),
    );
    const token = invite.body.invite.acceptUrl.split('/invite/')[1]!;
    const accept = await call(app(), 'POST', `/api/invites/${token}/accept`, { name: 'Short', password: eleven });
    expect(accept.status).toBe(400);
    const accepted = await call<CurrentAccountJson>(app(), 'POST', `/api/invites/${token}/accept`, {
      name: 'Long',
      password: `${eleven}!`,
    });
    expect(accepted.status).toBe(200);
    // An invite link proves no address (an admin may copy it and hand it on).
    expect(accepted.body.user.emailVerified).toBe(false);
  });

  it('an existing shorter password keeps working until it is changed', async () => {
    const account = await signup(app());
    await get()
      .database.db.update(users)
      .set({ passwordHash: await hashPassword('old8char') })
      .where(eq(users.id, account.user.id));
    const login = await call(app(), 'POST', '/api/auth/login', { email: account.user.email, password: 'old8char' });
    expect(login.status).toBe(200);
  });
});
