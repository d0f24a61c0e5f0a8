/**
 * Hostile input never causes a 5xx, and a refused request writes nothing (#14, point 8).
 *
 * Every operation of the app's own OpenAPI document is fuzzed, so a route added later is
 * fuzzed without touching this file: request bodies (arbitrary JSON, bodies shaped like the
 * route's schema with hostile leaves, JSON nested thousands deep, numbers JSON cannot
 * round-trip, text that is not JSON), query strings and path parameters, sent by an admin
 * with a valid session and real ids. After each request: its status is below 500, an answer
 * ≥ 400 is in the contract's error format, and an answer ≥ 400 changed no table's row count.
 *
 * Reproduce a failure with the seed it prints: FUZZ_SEED=… (and FUZZ_RUNS=… for a longer run).
 */
import { randomBytes } from 'node:crypto';

import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { openPostgres } from '../../src/db/postgres.js';
import { hashToken } from '../../src/domain/tokens.js';
import { buildApp, type App } from '../../src/http/app.js';
import { createServices } from '../../src/services/index.js';
import { SessionRepository } from '../../src/repositories/session.repository.js';
import { buildTestApp, testConfig } from '../harness/app.js';
import { call, signup, team, type Account } from '../harness/client.js';
import { silentLogger, testPostgresConfig, warningLogger } from '../harness/config.js';
import { describeEachDatabase } from '../harness/databases.js';
import { startFakeProviders, type FakeProviders } from '../harness/fake-providers.js';
import {
  hostileLeaf,
  hostileString,
  jsonText,
  notJson,
  parameterValue,
  percentEncoded,
  shapedLike,
  type JsonSchema,
} from '../harness/hostile.js';
import { FIXTURE_PRICES, startFakeStripe, WEBHOOK_SECRET, type FakeStripe } from '../harness/stripe.js';
import { startFakeOpenAi, type FakeOpenAi } from '../harness/fake-openai.js';

const SEED = Number(process.env.FUZZ_SEED ?? 1414);
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema: JsonSchema;
}
interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string; // OpenAPI form: /api/audits/{id}
  parameters: Parameter[];
  body: JsonSchema | null;
}

/**
 * The routes, read from the OpenAPI document of an app built over a database it never
 * connects to (building the app opens nothing): known before the tests are declared, so
 * each route is a test of its own.
 */
async function operations(): Promise<Operation[]> {
  const database = openPostgres(testPostgresConfig('postgres://nobody@127.0.0.1:1/none'), silentLogger);
  const app = await buildTestApp(database);
  await app.ready();
  type Doc = {
    paths: Record<
      string,
      Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema?: JsonSchema }> } }>
    >;
  };
  const doc = app.swagger() as unknown as Doc;
  await app.close();
  await database.close();
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase() as Operation['method'],
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema ?? null,
    })),
  );
}

const OPERATIONS = await operations();

interface Request {
  url: string;
  contentType?: string;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

/** What a request body may be: shaped like the route's schema, any JSON, hostile, or not JSON at all. */
function bodies(schema: JsonSchema | null): fc.Arbitrary<Pick<Request, 'contentType' | 'payload' | 'headers'>> {
  const json = (arb: fc.Arbitrary<unknown>) =>
    arb.map((value) => ({ contentType: 'application/json', payload: jsonText(value) }));
  return fc.oneof(
    ...(schema
      ? [
          { weight: 4, arbitrary: json(shapedLike(schema, 'hostile')) },
          { weight: 8, arbitrary: json(shapedLike(schema, 'extreme')) },
        ]
      : []),
    { weight: 2, arbitrary: json(fc.jsonValue({ maxDepth: 3 })) },
    { weight: 2, arbitrary: json(hostileLeaf) },
    { weight: 1, arbitrary: json(notJson) },
    {
      weight: 1,
      arbitrary: fc.record({
        contentType: fc.constantFrom('text/csv', 'text/plain', 'application/json; charset=utf-16', 'application/xml'),
        payload: hostileString,
      }),
    },
    {
      // Bytes that are not UTF-8, in a JSON string.
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 20 }).map((bytes) => ({
        contentType: 'application/json',
        payload: Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('"}')]),
      })),
    },
    {
      // The Stripe webhook verifies a signature first: garbage with a signature-looking header.
      weight: 1,
      arbitrary: json(hostileLeaf).map((b) => ({ ...b, headers: { 'stripe-signature': 't=1,v1=00' } })),
    },
  );
}

/** Long text as its start and end: bodies can be megabytes of brackets. */
const clip = (text: string, n = 400) =>
  text.length > n ? `${text.slice(0, n / 2)}…(${text.length} characters)…${text.slice(-n / 2)}` : text;

function describe(request: Request): string {
  const payload = Buffer.isBuffer(request.payload) ? `bytes ${request.payload.toString('hex')}` : request.payload;
  return `${clip(request.url)} ${request.contentType ?? ''} ${JSON.stringify(request.headers ?? {})} ${clip(JSON.stringify(payload) ?? '')}`;
}

describeEachDatabase('hostile input never causes a 5xx', (get) => {
  let app: App;
  let providers: FakeProviders;
  let stripe: FakeStripe;
  let ai: FakeOpenAi;
  let admin: Account;
  /** Real ids and tokens for path parameters, by "<segment before>/<name>" or by name. */
  const real: Record<string, string> = {};
  let tables: string[] = [];
  let organizationSettings: unknown;
  const { logger, lines: logged } = warningLogger();

  /**
   * Row counts of every table: what a refused request must leave as it was. Counting is
   * skipped when no transaction has taken a transaction id since the last count (only one
   * that writes, or tries to, takes one): most refused requests never reach the database.
   */
  let counted: { xmax: string; counts: Record<string, string> } | null = null;
  async function fingerprint(): Promise<Record<string, string>> {
    const [snapshot] = await get().database.query<{ xmax: string }>(
      'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax',
    );
    if (counted?.xmax === snapshot!.xmax) return counted.counts;
    const columns = tables.map((t) => `(SELECT count(*) FROM "${t}")::text AS "${t}"`).join(', ');
    const [counts] = await get().database.query<Record<string, string>>(`SELECT ${columns}`);
    counted = { xmax: snapshot!.xmax, counts: counts! };
    return counts!;
  }

  beforeAll(async () => {
    providers = await startFakeProviders();
    stripe = await startFakeStripe();
    // A model too, so that a valid question reaches it (without one it would be a 503 by design).
    ai = await startFakeOpenAi();
    ai.fallback = () => ({ content: 'Start with {R1}.' });
    const config = testConfig({
      ...providers.env,
      ...ai.env,
      APP_URL: 'https://app.stackaudit.test',
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      STRIPE_SECRET_KEY: 'sk_test_stackaudit',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PRICE_PRO: FIXTURE_PRICES.pro,
      STRIPE_PRICE_BUSINESS: FIXTURE_PRICES.business,
      STRIPE_API_BASE: stripe.url,
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000',
    });
    // What the server logs at warn and above, to show with a failure (a 500's error) and to
    // catch the database refusing a value the route's schema let through.
    app = await buildApp({ config, logger, services: createServices(get().database, config) });
    await app.ready();

    admin = await signup(app, { organizationName: `Fuzz ${randomBytes(3).toString('hex')}` });
    // No plan limit: valid bodies must reach the database, not stop at 402.
    await get().database.query(`UPDATE organizations SET plan = 'enterprise' WHERE id = $1`, [admin.organization.id]);
    const { member } = await team(app, admin);
    const as = { token: admin.token };
    const invite = await call<{ invite: { id: string; acceptUrl: string } }>(
      app,
      'POST',
      '/api/team/invites',
      { email: `invitee-${randomBytes(4).toString('hex')}@example.org`, role: 'viewer' },
      as,
    );
    const stackData = { currency: 'USD', tools: [{ name: 'Slack', monthlyCost: 350, seats: 50, activeSeats: 31 }] };
    const audit = await call<{ audit: { id: string } }>(app, 'POST', '/api/audits', { name: 'Fuzzed', stackData }, as);
    const other = await call<{ audit: { id: string } }>(app, 'POST', '/api/audits', { name: 'Other', stackData }, as);
    const auditId = audit.body.audit.id;
    const comment = await call<{ comment: { id: string } }>(
      app,
      'POST',
      `/api/audits/${auditId}/comments`,
      { content: 'a comment' },
      as,
    );
    await call(app, 'POST', `/api/comments/${comment.body.comment.id}/reactions`, { reaction: '👍' }, as);
    const share = await call<{ shareToken: string }>(
      app,
      'PUT',
      `/api/audits/${auditId}/share`,
      { visibility: 'public' },
      as,
    );
    await call(app, 'POST', `/api/audits/${auditId}/user-shares`, { userId: member.user.id, permission: 'view' }, as);
    Object.assign(real, {
      'audits/id': auditId,
      'comments/id': comment.body.comment.id,
      'members/userId': member.user.id,
      'user-shares/userId': member.user.id,
      'invites/id': invite.body.invite.id,
      'invites/token': invite.body.invite.acceptUrl.split('/invite/')[1]!,
      'shared/shareToken': share.body.shareToken,
      'reactions/reaction': '👍',
      'integrations/provider': 'quickbooks',
      against: other.body.audit.id,
    });
    for (const value of Object.values(real)) expect(value, JSON.stringify(real)).toBeTruthy();

    const live = await get().database.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    // Refused logins count against the rate limit by design: that counter is written whatever the answer.
    tables = live.map((t) => t.name).filter((t) => t !== 'rate_limit_counters');
    organizationSettings = (
      await get().database.query<{ settings: unknown }>('SELECT settings FROM organizations WHERE id = $1', [
        admin.organization.id,
      ])
    )[0]?.settings;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([providers?.close(), stripe?.close(), ai?.close()]);
  });

  /**
   * What a route's successful fuzzed calls may have changed and the next route needs: the
   * plan and settings (maxAuditsPerMonth: 0 would turn every audit into a 402), the admin's
   * role, and a live session (a logout, or a password change, ends it).
   */
  async function restore() {
    const db = get().database;
    await db.query(`UPDATE organizations SET plan = 'enterprise', settings = $2::jsonb WHERE id = $1`, [
      admin.organization.id,
      JSON.stringify(organizationSettings),
    ]);
    await db.query(`UPDATE users SET role = 'admin', organization_id = $2 WHERE id = $1`, [
      admin.user.id,
      admin.organization.id,
    ]);
    if ((await call(app, 'GET', '/api/auth/me', undefined, { token: admin.token })).status === 401) {
      admin = { ...admin, token: randomBytes(32).toString('base64url') };
      await new SessionRepository(db.db).create({
        userId: admin.user.id,
        tokenHash: hashToken(admin.token),
        expiresAt: new Date(Date.now() + 86_400_000),
      });
    }
  }

  function requests(op: Operation): fc.Arbitrary<Request> {
    const segments = op.path.split('/');
    const pathParameters = op.parameters.filter((p) => p.in === 'path');
    const queryParameters = op.parameters.filter((p) => p.in === 'query');
    const realValue = (name: string) => {
      const at = segments.findIndex((s) => s === `{${name}}`);
      return real[`${segments[at - 1]}/${name}`] ?? real[name] ?? `fuzz_${name}`;
    };
    // A DELETE with a real id would take the fixtures away: it gets ids that name nothing.
    const pathValue = (p: Parameter) =>
      op.method === 'DELETE'
        ? fc.oneof(fc.constant('nothing_here_1'), parameterValue(p.schema))
        : fc.oneof({ weight: 8, arbitrary: fc.constant(percentEncoded(realValue(p.name))) }, parameterValue(p.schema));
    const queryPair = (p: Parameter) =>
      fc.option(
        (p.name === 'against'
          ? fc.oneof(fc.constant(real.against!), parameterValue(p.schema))
          : parameterValue(p.schema)
        ).map((v) => `${p.name}=${v}`),
        { freq: 2 },
      );
    const unknownPair = fc.option(
      fc.tuple(hostileString.map(percentEncoded), parameterValue({})).map(([k, v]) => `${k}=${v}`),
      { freq: 6 },
    );
    const hasBody = op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH';
    return fc
      .record({
        path: fc.tuple(...pathParameters.map(pathValue)),
        query: fc.tuple(...queryParameters.map(queryPair), unknownPair),
        body: hasBody ? bodies(op.body) : fc.constant({}),
      })
      .map(({ path, query, body }) => {
        let url = op.path;
        pathParameters.forEach((p, i) => (url = url.replace(`{${p.name}}`, path[i]!)));
        const pairs = query.filter((q): q is string => q !== null);
        const request: Request = { url: pairs.length ? `${url}?${pairs.join('&')}` : url, ...body };
        // fast-check prints a failing request with this: bodies can be megabytes of brackets.
        return Object.assign(request, { [fc.toStringMethod]: () => describe(request) });
      });
  }

  for (const op of OPERATIONS) {
    it(`${op.method} ${op.path}`, async () => {
      await restore();
      let before = await fingerprint();
      await fc.assert(
        fc.asyncProperty(requests(op), async (request) => {
          logged.length = 0;
          const response = await app.inject({
            method: op.method,
            url: request.url,
            headers: {
              authorization: `Bearer ${admin.token}`,
              ...(request.contentType ? { 'content-type': request.contentType } : {}),
              ...request.headers,
            },
            ...(request.payload !== undefined ? { payload: request.payload } : {}),
          });
          const after = await fingerprint();
          const what = `${op.method} ${clip(request.url)} → ${response.statusCode} ${clip(response.body)}\n${logged.map((l) => clip(l, 2000)).join('\n')}`;
          expect(response.statusCode, what).toBeLessThan(500);
          // The error handler's last line of defence turned a database error into this 400: the
          // route's schema should have bounded the value (and told the OpenAPI document).
          expect(
            logged.filter((l) => l.includes('the database refused a value')),
            what,
          ).toEqual([]);
          if (response.statusCode >= 400) {
            expect(response.json<{ error: { code: unknown } }>().error.code, what).toEqual(expect.any(String));
            expect(after, `${what}: a refused request wrote rows`).toEqual(before);
          }
          before = after;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }, 120_000);
  }

  it('the document lists the routes this test fuzzes', () => {
    expect(OPERATIONS.length).toBeGreaterThan(50);
    expect(OPERATIONS.map((o) => `${o.method} ${o.path}`)).toContain('POST /api/audits');
  });
});
