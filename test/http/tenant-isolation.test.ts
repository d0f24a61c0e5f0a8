/**
 * Tenant isolation over HTTP, on both databases: an admin and a member of organization B
 * send every route that takes an id of a tenant row the ids of organization A's rows (in
 * the path, in the query string, in the body) and get exactly the answer an id that never
 * existed gets — 404 `not_found` for a path or query id — while nothing of either
 * organization changes.
 *
 * The table is checked against the application itself: every route (read from Fastify's
 * route tree) and every id-like parameter (from the OpenAPI document: path parameters,
 * query and body fields with the id pattern or an id-like name) must have a case below or
 * an exemption that says why. A new route with an id fails here until it has its case.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Database } from '../../src/db/database.js';
import { ID_PATTERN } from '../../src/domain/ids.js';
import type { App } from '../../src/http/app.js';
import { AcceptedRecommendationRepository } from '../../src/repositories/accepted-recommendation.repository.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { ToolCostRepository } from '../../src/repositories/tool-cost.repository.js';
import { buildTestApp, fanOutComments } from '../harness/app.js';
import { call, team, uniqueEmail, type Account } from '../harness/client.js';
import { describeEachDatabase } from '../harness/databases.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Request = { method: Method; url: string; body?: unknown };

interface Case {
  /** The route as Fastify names it: `METHOD /path/:param`. */
  route: string;
  /** The reference it probes: `path:id`, `query:against`, `body:userId`, … */
  param: string;
  /** Organization A's id (or email) that the case sends. */
  target: () => string;
  request: (reference: string) => Request;
  /** What B gets, for A's id as for an id that never existed. Default: 404 not_found. */
  answer?: { status: number; code?: string };
  /** The route checks the role first: B's member gets 403 for any id, A's or none. */
  adminOnly?: boolean;
  /** A reference of another kind than an id (an email): its "never existed" value, and not listed by references(). */
  never?: () => string;
}

/**
 * References that are not ids of another organization's rows, by pattern over
 * `METHOD /path param`.
 */
const EXEMPT: { pattern: RegExp; why: string }[] = [
  {
    pattern: /^\w+ \/api\/auth\/\S* (path|query|body):\w*token$/i,
    why: 'an emailed link (password reset, email verification): the token is the credential, looked up across organizations by design',
  },
  {
    pattern: /^\w+ \/api\/invites\/:token\S* path:token$/,
    why: 'an invite link: for whoever holds it, in no organization yet (404 unknown, 410 used)',
  },
  {
    pattern: /^GET \/api\/shared\/:shareToken(\/report\.(pdf|csv))? path:shareToken$/,
    why: 'a public link (and its report): anyone with it may read',
  },
  {
    pattern: /^GET \/api\/calendar\/:token\.ics path:token$/,
    why: "a calendar feed's secret URL: the token (stored hashed) is the credential and names its organization",
  },
  {
    pattern: /^\w+ \/api\/integrations\/:provider\S* path:provider$/,
    why: "a provider's name (quickbooks, xero, stripe), not a row: the connection is always the caller's organization's own",
  },
  {
    pattern: /^POST \/api\/integrations\/:provider\/connect body:apiToken$/,
    why: "an Okta API token to store for the caller's own organization, not an id of a row",
  },
  {
    pattern: /^GET \/api\/integrations\/:provider\/callback query:realmId$/,
    why: "QuickBooks' company id on the OAuth redirect: the connection is found by the state, bound to the session that asked",
  },
  {
    pattern: /^DELETE \/api\/comments\/:id\/reactions\/:reaction path:reaction$/,
    why: "a reaction (an emoji), not an id: the route's :id has its case",
  },
  { pattern: /^GET \/api\/docs\/\S* path:\*$/, why: "the OpenAPI UI's static files" },
];

/**
 * Routes left out of the OpenAPI document on purpose, whose query and body it cannot list:
 * its own UI, and GETs outside /api without parameters (the web app's files, /metrics).
 */
const UNDOCUMENTED = /^GET (\/api\/docs(\/.*)?|\/(?!api\/)[^:*]*)$/;

const ID_LIKE_NAME = /^(id|ids)$|[a-z](Id|Ids)$|token/i;

/** Every route of the app, from Fastify's own route tree (HEAD is GET's twin). */
function appRoutes(app: App): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (prefixes[depth - 1] ?? '') + match[2]!;
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

type JsonSchema = {
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};
type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema?: JsonSchema }[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
};

const isIdSchema = (schema: JsonSchema | undefined) =>
  schema?.pattern === ID_PATTERN || schema?.items?.pattern === ID_PATTERN;

/** The names of body fields that hold ids, however deep. */
function bodyReferences(schema: JsonSchema | undefined, out = new Set<string>()): Set<string> {
  if (!schema) return out;
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    bodyReferences(branch, out);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (isIdSchema(property) || ID_LIKE_NAME.test(name)) out.add(name);
    bodyReferences(property, out);
  }
  if (schema.items) bodyReferences(schema.items, out);
  return out;
}

/** `METHOD /path param` for every id-like reference a route takes. */
function references(app: App): { routes: string[]; references: string[]; undocumented: string[] } {
  const routes = appRoutes(app);
  const doc = app.swagger() as unknown as OpenApi;
  const documented = new Map<string, OpenApi['paths'][string][string]>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      documented.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, operation);
    }
  }
  const found: string[] = [];
  const undocumented: string[] = [];
  for (const route of routes) {
    for (const match of route.matchAll(/:(\w+)|\*/g)) found.push(`${route} path:${match[1] ?? '*'}`);
    const operation = documented.get(route);
    if (!operation) {
      if (!UNDOCUMENTED.test(route)) undocumented.push(route);
      continue;
    }
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === 'query' && (isIdSchema(parameter.schema) || ID_LIKE_NAME.test(parameter.name)))
        found.push(`${route} query:${parameter.name}`);
    }
    const bodies = Object.values(operation.requestBody?.content ?? {});
    for (const name of new Set(bodies.flatMap((b) => [...bodyReferences(b.schema)])))
      found.push(`${route} body:${name}`);
  }
  // The tree parser and the document must agree: a route the parser lost would go unchecked.
  for (const route of documented.keys()) if (!routes.includes(route)) undocumented.push(`${route} (not parsed)`);
  return { routes, references: [...new Set(found)], undocumented };
}

/**
 * Every row of one organization, as text: each public table's rows reached through
 * organization_id, audit_id, comment_id or user_id. A table with none of these fails the
 * snapshot until it is placed here (so a new tenant table cannot be overlooked).
 */
const GLOBAL_TABLES = new Set(['rate_limit_counters', 'stripe_events']);
async function tenantTables(database: Database): Promise<Map<string, string>> {
  const columns = await database.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
  );
  const tables = new Map<string, Set<string>>();
  for (const c of columns) tables.set(c.table_name, (tables.get(c.table_name) ?? new Set()).add(c.column_name));
  const audits = 'SELECT id FROM audits WHERE organization_id = $1';
  const where = (table: string, has: Set<string>): string => {
    if (table === 'organizations') return 'id = $1';
    if (has.has('organization_id')) return 'organization_id = $1';
    if (has.has('audit_id')) return `audit_id IN (${audits})`;
    if (has.has('comment_id')) return `comment_id IN (SELECT id FROM audit_comments WHERE audit_id IN (${audits}))`;
    if (has.has('user_id')) return 'user_id IN (SELECT id FROM users WHERE organization_id = $1)';
    throw new Error(`snapshot: table ${table} is not placed in an organization (nor in GLOBAL_TABLES)`);
  };
  const result = new Map<string, string>();
  for (const [table, has] of [...tables].sort(([x], [y]) => x.localeCompare(y)))
    if (!GLOBAL_TABLES.has(table)) result.set(table, where(table, has));
  return result;
}

async function snapshot(
  database: Database,
  tables: Map<string, string>,
  organizationId: string,
): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const [table, condition] of tables) {
    const rows = await database.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM ${table} t WHERE ${condition}`,
      [organizationId],
    );
    result[table] = rows.map((r) => r.row).sort();
  }
  return result;
}

/** An id of the same kind that no row has. */
const ghost = (id: string) => `${id.split('_')[0]}_NEVER${randomBytes(8).toString('hex').toUpperCase()}`;

describeEachDatabase('tenant isolation', (get) => {
  let app: App;
  let a: Awaited<ReturnType<typeof team>>;
  let b: Awaited<ReturnType<typeof team>>;
  const ids = {} as {
    audit: string;
    earlierAudit: string;
    comment: string;
    invite: string;
    notification: string;
    ownAudit: string;
    toolCost: string;
    acceptance: string;
  };

  const as = (who: Account) => ({ token: who.token });
  const ok = async <T>(answer: Promise<{ status: number; body: T; raw: string }>, status: number) => {
    const done = await answer;
    if (done.status !== status) throw new Error(`set-up: ${done.status} ${done.raw}`);
    return done.body;
  };

  beforeAll(async () => {
    app = await buildTestApp(get().database);
    await app.ready();
    const db = get().database.db;
    a = await team(app);
    b = await team(app);
    const audits = new AuditRepository(db);
    const stackData = { tools: [{ name: 'Slack', monthlyCost: 100, seats: 10 }] };
    const make = (owner: Account, name: string) =>
      audits.create({
        organizationId: owner.organization.id,
        userId: owner.user.id,
        name,
        stackData,
        status: 'completed',
      });
    // A: an earlier and a current audit of its member, private and shared with its viewer,
    // a comment of the viewer (which notifies the owner) with a reaction, a pending invite.
    ids.earlierAudit = (await make(a.member, 'A earlier')).id;
    ids.audit = (await make(a.member, 'A current')).id;
    await ok(call(app, 'PUT', `/api/audits/${ids.audit}/share`, { visibility: 'private' }, as(a.member)), 200);
    await ok(
      call(
        app,
        'POST',
        `/api/audits/${ids.audit}/user-shares`,
        { userId: a.viewer.user.id, permission: 'comment' },
        as(a.member),
      ),
      201,
    );
    const comment = await ok(
      call<{ comment: { id: string } }>(
        app,
        'POST',
        `/api/audits/${ids.audit}/comments`,
        { content: 'A only' },
        as(a.viewer),
      ),
      201,
    );
    ids.comment = comment.comment.id;
    // The audit's owner hears of the comment once the fan-out has run (a worker, off the request).
    await fanOutComments(app);
    await ok(call(app, 'POST', `/api/comments/${ids.comment}/reactions`, { reaction: '👍' }, as(a.member)), 201);
    const invite = await ok(
      call<{ invite: { id: string } }>(
        app,
        'POST',
        '/api/team/invites',
        { email: uniqueEmail('a-invite'), role: 'member' },
        as(a.admin),
      ),
      201,
    );
    ids.invite = invite.invite.id;
    const notifications = await ok(
      call<{ items: { id: string }[] }>(app, 'GET', '/api/me/notifications', undefined, as(a.member)),
      200,
    );
    ids.notification = notifications.items[0]!.id;
    // A: a charge waiting for review, and an accepted recommendation of its audit.
    const [cost] = await new ToolCostRepository(db).insertMany(a.member.organization.id, [
      { source: 'csv', toolName: 'ACME 123', amount: '10.00', review: 'unreviewed', metadata: { merchantKey: 'acme' } },
    ]);
    ids.toolCost = cost!.id;
    const acceptance = await new AcceptedRecommendationRepository(db).create(a.member.organization.id, {
      auditId: ids.audit,
      recommendationKey: 'cancel:Slack',
      type: 'cancel',
      title: 'Cancel Slack',
      tools: ['Slack'],
      expectedMonthlySavings: '100.00',
      currency: 'USD',
      acceptedBy: a.member.user.id,
    });
    ids.acceptance = acceptance!.id;
    // B: an audit of its member (so that B's member manages it too).
    ids.ownAudit = (await make(b.member, 'B own')).id;
  });
  afterAll(() => app.close());

  const thumbs = encodeURIComponent('👍');
  const cases: Case[] = [
    // Audits
    {
      route: 'GET /api/audits/:id',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}` }),
    },
    {
      route: 'PATCH /api/audits/:id',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'PATCH', url: `/api/audits/${id}`, body: { name: 'Taken over' } }),
    },
    {
      route: 'DELETE /api/audits/:id',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'DELETE', url: `/api/audits/${id}` }),
    },
    {
      route: 'POST /api/audits/:id/analyze',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'POST', url: `/api/audits/${id}/analyze` }),
    },
    {
      route: 'GET /api/audits/:id/diff',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/diff` }),
    },
    {
      route: 'GET /api/audits/:id/diff',
      param: 'query:against',
      target: () => ids.earlierAudit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${ids.ownAudit}/diff?against=${id}` }),
    },
    // Comments and reactions
    {
      route: 'GET /api/audits/:id/comments',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/comments` }),
    },
    {
      route: 'POST /api/audits/:id/comments',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'POST', url: `/api/audits/${id}/comments`, body: { content: 'B was here' } }),
    },
    {
      // A reply on B's own audit to A's comment: the same 400 as a reply to no comment at all.
      route: 'POST /api/audits/:id/comments',
      param: 'body:parentId',
      target: () => ids.comment,
      request: (id) => ({
        method: 'POST',
        url: `/api/audits/${ids.ownAudit}/comments`,
        body: { content: 'a reply', parentId: id },
      }),
      answer: { status: 400, code: 'validation_failed' },
    },
    {
      route: 'PATCH /api/comments/:id',
      param: 'path:id',
      target: () => ids.comment,
      request: (id) => ({ method: 'PATCH', url: `/api/comments/${id}`, body: { content: 'Edited by B' } }),
    },
    {
      route: 'DELETE /api/comments/:id',
      param: 'path:id',
      target: () => ids.comment,
      request: (id) => ({ method: 'DELETE', url: `/api/comments/${id}` }),
    },
    {
      route: 'POST /api/comments/:id/reactions',
      param: 'path:id',
      target: () => ids.comment,
      request: (id) => ({ method: 'POST', url: `/api/comments/${id}/reactions`, body: { reaction: '👍' } }),
    },
    {
      route: 'DELETE /api/comments/:id/reactions/:reaction',
      param: 'path:id',
      target: () => ids.comment,
      request: (id) => ({ method: 'DELETE', url: `/api/comments/${id}/reactions/${thumbs}` }),
    },
    // Visibility and shares
    {
      route: 'GET /api/audits/:id/share',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/share` }),
    },
    {
      route: 'PUT /api/audits/:id/share',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'PUT', url: `/api/audits/${id}/share`, body: { visibility: 'public' } }),
    },
    {
      route: 'GET /api/audits/:id/user-shares',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/user-shares` }),
    },
    {
      route: 'POST /api/audits/:id/user-shares',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({
        method: 'POST',
        url: `/api/audits/${id}/user-shares`,
        body: { userId: b.viewer.user.id, permission: 'edit' },
      }),
    },
    {
      // Sharing B's own audit with a person of A: "no such user in this organization".
      route: 'POST /api/audits/:id/user-shares',
      param: 'body:userId',
      target: () => a.viewer.user.id,
      request: (id) => ({
        method: 'POST',
        url: `/api/audits/${ids.ownAudit}/user-shares`,
        body: { userId: id, permission: 'view' },
      }),
    },
    {
      route: 'POST /api/audits/:id/user-shares',
      param: 'body:email',
      target: () => a.viewer.user.email,
      never: () => uniqueEmail('never'),
      request: (email) => ({
        method: 'POST',
        url: `/api/audits/${ids.ownAudit}/user-shares`,
        body: { email, permission: 'view' },
      }),
    },
    {
      route: 'DELETE /api/audits/:id/user-shares/:userId',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'DELETE', url: `/api/audits/${id}/user-shares/${a.viewer.user.id}` }),
    },
    {
      route: 'DELETE /api/audits/:id/user-shares/:userId',
      param: 'path:userId',
      target: () => a.viewer.user.id,
      request: (id) => ({ method: 'DELETE', url: `/api/audits/${ids.ownAudit}/user-shares/${id}` }),
    },
    {
      route: 'GET /api/audits/:id/mentionable',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/mentionable?q=a` }),
    },
    // Spend and savings
    {
      route: 'PATCH /api/tool-costs/:id',
      param: 'path:id',
      target: () => ids.toolCost,
      request: (id) => ({ method: 'PATCH', url: `/api/tool-costs/${id}`, body: { amount: 1 } }),
    },
    {
      route: 'DELETE /api/tool-costs/:id',
      param: 'path:id',
      target: () => ids.toolCost,
      request: (id) => ({ method: 'DELETE', url: `/api/tool-costs/${id}` }),
    },
    {
      route: 'POST /api/tool-costs/:id/review',
      param: 'path:id',
      target: () => ids.toolCost,
      request: (id) => ({ method: 'POST', url: `/api/tool-costs/${id}/review`, body: { decision: 'not_software' } }),
    },
    {
      route: 'GET /api/audits/:id/report.pdf',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/report.pdf` }),
    },
    {
      route: 'GET /api/audits/:id/report.csv',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/report.csv` }),
    },
    {
      route: 'GET /api/audits/:id/acceptances',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/acceptances` }),
    },
    {
      route: 'POST /api/audits/:id/acceptances',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({
        method: 'POST',
        url: `/api/audits/${id}/acceptances`,
        body: { type: 'cancel', tools: ['Slack'] },
      }),
    },
    {
      route: 'DELETE /api/audits/:id/acceptances/:acceptanceId',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'DELETE', url: `/api/audits/${id}/acceptances/${ids.acceptance}` }),
    },
    {
      route: 'DELETE /api/audits/:id/acceptances/:acceptanceId',
      param: 'path:acceptanceId',
      target: () => ids.acceptance,
      request: (id) => ({ method: 'DELETE', url: `/api/audits/${ids.ownAudit}/acceptances/${id}` }),
    },
    {
      route: 'GET /api/audits/:id/narrative',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/audits/${id}/narrative` }),
    },
    {
      route: 'POST /api/audits/:id/questions',
      param: 'path:id',
      target: () => ids.audit,
      request: (id) => ({ method: 'POST', url: `/api/audits/${id}/questions`, body: { question: 'What first?' } }),
    },
    {
      route: 'GET /api/activity',
      param: 'query:auditId',
      target: () => ids.audit,
      request: (id) => ({ method: 'GET', url: `/api/activity?auditId=${id}` }),
    },
    // Team
    {
      route: 'PATCH /api/team/members/:userId',
      param: 'path:userId',
      target: () => a.viewer.user.id,
      request: (id) => ({ method: 'PATCH', url: `/api/team/members/${id}`, body: { role: 'admin' } }),
      adminOnly: true,
    },
    {
      route: 'DELETE /api/team/members/:userId',
      param: 'path:userId',
      target: () => a.member.user.id,
      request: (id) => ({ method: 'DELETE', url: `/api/team/members/${id}` }),
      adminOnly: true,
    },
    {
      route: 'DELETE /api/team/invites/:id',
      param: 'path:id',
      target: () => ids.invite,
      request: (id) => ({ method: 'DELETE', url: `/api/team/invites/${id}` }),
      adminOnly: true,
    },
    {
      // Marking A's notification read: accepted (as for any id) and ignored.
      route: 'POST /api/me/notifications/read',
      param: 'body:ids',
      target: () => ids.notification,
      request: (id) => ({ method: 'POST', url: '/api/me/notifications/read', body: { ids: [id] } }),
      answer: { status: 204 },
    },
  ];

  it('the table has a case or a stated exemption for every id a route takes', () => {
    const { routes, references: found, undocumented } = references(app);
    // The parser read the tree: a few routes it must have found.
    expect(routes).toEqual(
      expect.arrayContaining(['GET /api/audits/:id', 'DELETE /api/comments/:id/reactions/:reaction', 'GET /metrics']),
    );
    const covered = new Set(cases.map((c) => `${c.route} ${c.param}`));
    expect({
      // Documented, so that their query and body are seen (or undocumented on purpose; see UNDOCUMENTED).
      undocumented,
      // Ids no case sends another organization's value of, and no exemption explains.
      unchecked: found.filter((r) => !covered.has(r) && !EXEMPT.some((e) => e.pattern.test(r))),
      // Cases of routes the app no longer has (a renamed route must not leave a dead case behind).
      stale: cases
        .filter((c) => !routes.includes(c.route) || (!c.never && !found.includes(`${c.route} ${c.param}`)))
        .map((c) => `${c.route} ${c.param}`),
      // Exemptions that exempt nothing any more (a stale one could hide a new route).
      unusedExemptions: EXEMPT.filter((e) => !found.some((r) => e.pattern.test(r))).map((e) => e.why),
    }).toEqual({ undocumented: [], unchecked: [], stale: [], unusedExemptions: [] });
  });

  it("organization B's admin and member get 404 for every id of organization A, and nothing changes", async () => {
    const database = get().database;
    const tables = await tenantTables(database);
    const both = async () => ({
      a: await snapshot(database, tables, a.admin.organization.id),
      b: await snapshot(database, tables, b.admin.organization.id),
    });
    const before = await both();
    let last = before;
    expect(before.a.audit_comments).toHaveLength(1);
    expect(before.a.comment_reactions).toHaveLength(1);
    expect(before.a.audit_user_shares).toHaveLength(1);
    expect(before.a.notifications?.length).toBeGreaterThan(0);

    const seen: string[] = [];
    const wanted: string[] = [];
    const changed: string[] = [];
    for (const test of cases) {
      for (const [role, caller] of [
        ['admin', b.admin],
        ['member', b.member],
      ] as const) {
        const label = `${test.route} ${test.param} as B's ${role}`;
        const send = (reference: string) => {
          const r = test.request(reference);
          return call(app, r.method, r.url, r.body, as(caller));
        };
        const target = test.target();
        const answer = await send(target);
        const never = await send(test.never?.() ?? ghost(target));
        const expected =
          test.adminOnly && role === 'member'
            ? { status: 403, code: 'forbidden' }
            : (test.answer ?? { status: 404, code: 'not_found' });
        const error = (answer.body as { error?: { code?: string } } | null)?.error;
        seen.push(`${label}: ${answer.status} ${error?.code ?? ''}`);
        wanted.push(`${label}: ${expected.status} ${expected.code ?? ''}`);
        if (expected.code) {
          // The contract's error body, nothing more.
          seen.push(`${label}: body ${JSON.stringify(Object.keys(error ?? {}).sort())}`);
          wanted.push(
            `${label}: body ${JSON.stringify(expected.status === 400 ? ['code', 'details', 'message'] : ['code', 'message'])}`,
          );
        }
        // Word for word what an id that never existed gets: the answer does not tell that A's row exists.
        seen.push(`${label}: ${JSON.stringify([answer.status, answer.body])}`);
        wanted.push(`${label}: ${JSON.stringify([never.status, never.body])}`);
        // Compared with the state before this request, so that a change is blamed on its request.
        const after = await both();
        for (const org of ['a', 'b'] as const) {
          for (const table of Object.keys(last[org])) {
            if (JSON.stringify(after[org][table]) !== JSON.stringify(last[org][table]))
              changed.push(`${label}: ${org.toUpperCase()}'s ${table}`);
          }
        }
        last = after;
      }
    }
    expect(seen).toEqual(wanted);
    expect(changed, 'rows of A or B changed by a refused request').toEqual([]);

    // What A's people see is as it was: the audit's name, the comment, the visibility, the roles.
    const audit = await call<{ audit: { name: string } }>(
      app,
      'GET',
      `/api/audits/${ids.audit}`,
      undefined,
      as(a.admin),
    );
    expect(audit.body.audit.name).toBe('A current');
    const comments = await call<{ items: { content: string; reactions: unknown[] }[] }>(
      app,
      'GET',
      `/api/audits/${ids.audit}/comments`,
      undefined,
      as(a.admin),
    );
    expect(comments.body.items.map((c) => [c.content, c.reactions.length])).toEqual([['A only', 1]]);
    const share = await call<{ visibility: string }>(
      app,
      'GET',
      `/api/audits/${ids.audit}/share`,
      undefined,
      as(a.admin),
    );
    expect(share.body.visibility).toBe('private');
    const members = await call<{ items: { id: string; role: string }[] }>(
      app,
      'GET',
      '/api/team/members',
      undefined,
      as(a.admin),
    );
    expect(Object.fromEntries(members.body.items.map((m) => [m.id, m.role]))).toEqual({
      [a.admin.user.id]: 'admin',
      [a.member.user.id]: 'member',
      [a.viewer.user.id]: 'viewer',
    });
  }, 120_000);
});
