import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { openPostgres } from '../../src/db/postgres.js';
import { Day } from '../../src/domain/analysis/stack.js';
import { MAX_JSON_DEPTH } from '../../src/http/plugins/input-guard.js';
import { WHOLE_CHECK_MAX_VALUES } from '../../src/http/plugins/validation.js';
import { Nullable } from '../../src/http/schemas.js';
import { buildTestApp } from '../harness/app.js';
import type { ErrorBody } from '../harness/contract.js';
import { silentLogger, testPostgresConfig } from '../harness/config.js';
import { describeEachDatabase } from '../harness/databases.js';

/**
 * The request pipeline every route shares: error format, body parsing and limits,
 * unknown fields, NUL characters, security headers, docs. A probe route with a TypeBox
 * body schema stands in for the API's write routes (the accounts and audits issues add
 * them, and their own tests go through the same pipeline).
 */
function addProbeRoute(app: App) {
  app.post(
    '/api/probe',
    {
      // Outside the contract: open to anyone, as the API's public write routes are.
      config: { loginNeeded: false },
      schema: {
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 50 }),
            tags: Type.Optional(Type.Array(Type.String())),
            data: Type.Optional(Type.Unknown()),
            when: Type.Optional(Nullable(Day)),
            count: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
            kind: Type.Optional(Type.Union([Type.Literal('a'), Type.Literal('b')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ received: request.body }),
  );
}

describeEachDatabase('HTTP basics', (get) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp(get().database);
    addProbeRoute(app);
    // What PostgreSQL refuses as a client's data (22008, year 0000), and an error of ours (22012).
    const statements = { date: "SELECT '0000-01-01'::date", division: 'SELECT 1 / 0' };
    app.get<{ Querystring: { sql: keyof typeof statements } }>(
      '/api/probe-sql',
      { config: { loginNeeded: false } },
      async (request) => get().database.query(statements[request.query.sql]),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  it('GET /health reports the database and driver, not the server version', async () => {
    const response = await app.inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'healthy', database: 'connected', driver: get().driver });
  });

  it('an unknown route is a 404 in the contract format', async () => {
    const response = await app.inject('/api/nothing-here?x=1');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'There is nothing at GET /api/nothing-here.' },
    });
  });

  it('malformed JSON is a 400 validation_failed', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/probe',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expect(response.statusCode).toBe(400);
    const error = response.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('not valid JSON');
  });

  it('a wrong content type is a 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/probe',
      headers: { 'content-type': 'application/xml' },
      payload: '<name>x</name>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('unsupported_media_type');
  });

  it('a body over 1 MiB is a 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/probe',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x', tags: ['y'.repeat(1024 * 1024)] }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('payload_too_large');
  });

  it('unknown fields are refused, not silently dropped, and each bad field is listed', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/probe', payload: { name: '', admin: true } });
    expect(response.statusCode).toBe(400);
    const error = response.json<{ error: { code: string; details: { field: string; message: string }[] } }>().error;
    expect(error.code).toBe('validation_failed');
    expect(error.details).toContainEqual({ field: 'body.admin', message: 'is not a known field' });
  });

  it("each field's mistake in plain words: a union of constants names them, a nullable field says what its value needs", async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/probe',
      payload: { name: 'x'.repeat(51), when: 'soon', count: 0, kind: 'c', tags: [1] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details).toEqual([
      { field: 'body.name', message: 'must be at most 50 characters' },
      { field: 'body.tags.0', message: 'must be text' },
      { field: 'body.when', message: 'must be a date (YYYY-MM-DD)' },
      { field: 'body.count', message: 'must be 1 or more' },
      { field: 'body.kind', message: 'must be one of "a", "b"' },
    ]);
    const nulls = await app.inject({
      method: 'POST',
      url: '/api/probe',
      payload: { name: 'ok', when: null, count: null },
    });
    expect(nulls.statusCode).toBe(200);
  });

  it(`a failing body of more than ${WHOLE_CHECK_MAX_VALUES} values is answered with its first mistake, not checked whole`, async () => {
    const send = (payload: string) =>
      app.inject({ method: 'POST', url: '/api/probe', headers: { 'content-type': 'application/json' }, payload });
    // 300,000 bad list items: checked whole, each would be an error object of its own.
    const many = await send(`{"name":"ok","tags":[${Array(300_000).fill('1').join(',')}]}`);
    expect(many.statusCode).toBe(400);
    expect(many.json<ErrorBody>().error.details).toEqual([{ field: 'body.tags.0', message: 'must be text' }]);
    // A form-sized one names every mistake.
    const few = await send('{"name":"","tags":[1,"ok",2]}');
    expect(few.json<ErrorBody>().error.details).toEqual([
      { field: 'body.name', message: 'cannot be empty' },
      { field: 'body.tags.0', message: 'must be text' },
      { field: 'body.tags.2', message: 'must be text' },
    ]);
  });

  it('a missing field names the field', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/probe', payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { details: { field: string }[] } }>().error.details).toContainEqual(
      expect.objectContaining({ field: 'body.name' }),
    );
  });

  it('text with a NUL character is a 400, never a 500', async () => {
    for (const payload of ['{"name":"a\\u0000b"}', '{"name":"ok","tags":["x\\u0000"]}']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/probe',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
    const query = await app.inject('/health?x=%00');
    expect(query.statusCode).toBe(400);
  });

  const post = (payload: string) =>
    app.inject({ method: 'POST', url: '/api/probe', headers: { 'content-type': 'application/json' }, payload });

  it.each([
    ['a lone high surrogate', '{"name":"\\ud800"}', 'body.name', 'lone surrogate'],
    ['a lone low surrogate in a list', '{"name":"ok","tags":["a","x\\udc00y"]}', 'body.tags.1', 'lone surrogate'],
    ['a lone surrogate in a key', '{"name":"ok","data":{"k\\ud83d":1}}', 'body.data.k\\ud83d', 'field name'],
    ['a NUL in a key', '{"name":"ok","data":{"a\\u0000b":1}}', 'body.data.a\\u0000b', 'NUL'],
    ['a number JSON cannot round-trip', '{"name":"ok","data":[1e400]}', 'body.data.0', 'too large'],
    ['a negative one', '{"name":"ok","data":{"x":-1e999}}', 'body.data.x', 'too large'],
  ])('%s is a 400 naming the field', async (_what, payload, field, message) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    const error = response.json<ErrorBody>().error;
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([{ field, message: expect.stringContaining(message) as string }]);
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is a 400, however deep; up to ${MAX_JSON_DEPTH} it is taken`, async () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    // The body is level 1, data level 2: data may hold MAX_JSON_DEPTH - 1 levels.
    const deepest = await post(`{"name":"ok","data":${nested(MAX_JSON_DEPTH - 1)}}`);
    expect(deepest.statusCode).toBe(200);
    for (const depth of [MAX_JSON_DEPTH, 5_000, 100_000]) {
      const response = await post(`{"name":"ok","data":${nested(depth)}}`);
      expect(response.statusCode, `depth ${depth}`).toBe(400);
      const error = response.json<ErrorBody>().error;
      expect(error.code).toBe('validation_failed');
      expect(error.details?.[0]?.message).toBe(`is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const objects = await post(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`);
    expect(objects.statusCode).toBe(400);
  });

  it('well-formed text goes through as it is: astral characters (escaped or not), control characters', async () => {
    const response = await post('{"name":"😀 é \\u0001","tags":["\\ud83d\\ude00"]}');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: { name: '😀 é \u0001', tags: ['😀'] } });
  });

  it('a JSON null body is a 400, not a 500; no body at all is judged as {}', async () => {
    const nullBody = await post('null');
    expect(nullBody.statusCode).toBe(400);
    expect(nullBody.json<ErrorBody>().error.code).toBe('validation_failed');
    const none = await app.inject({ method: 'POST', url: '/api/probe' });
    expect(none.statusCode).toBe(400);
    expect(none.json<ErrorBody>().error.details).toContainEqual(expect.objectContaining({ field: 'body.name' }));
  });

  it('a path that is not valid percent-encoded UTF-8 is a 404 in the contract format', async () => {
    for (const url of ['/api/audits/%ED%A0%80', '/api/audits/%E2%82/comments', `/api/audits/${'x'.repeat(200)}`]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json<ErrorBody>().error.code).toBe('not_found');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      // No hook runs before routing: these answers carry the API's security set all the same.
      expect(response.headers).toMatchObject({
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
      });
    }
  });

  it('a value the database refuses is a 400; an error of our own making stays a 500', async () => {
    const refused = await app.inject('/api/probe-sql?sql=date');
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().error.code).toBe('validation_failed');
    const ours = await app.inject('/api/probe-sql?sql=division');
    expect(ours.statusCode).toBe(500);
    expect(ours.json<ErrorBody>().error.code).toBe('internal');
  });

  it('a valid body goes through unchanged', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/probe', payload: { name: 'ok', tags: ['a'] } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: { name: 'ok', tags: ['a'] } });
  });

  it('sends security headers, a request id, and no x-powered-by', async () => {
    const response = await app.inject('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it("gives the API's answers OWASP's headers for APIs, and HTML documents helmet's", async () => {
    const apiSet = {
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    };
    for (const url of ['/health', '/ready', '/api/auth/me', '/api/audits', '/api/nothing-here', '/api?x=1']) {
      const response = await app.inject(url);
      expect(response.headers, url).toMatchObject(apiSet);
      // What only an HTML page needs is not sent with JSON.
      for (const name of ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control'])
        expect(response.headers[name], `${url} ${name}`).toBeUndefined();
    }
    const refused = await post('{"name":');
    expect(refused.statusCode).toBe(400);
    expect(refused.headers).toMatchObject(apiSet);
    // Below /health, and /metrics where it is not served, is the web app's page: helmet's set.
    for (const url of ['/health/x', '/ready/x', '/healthz', '/metrics', '/apix']) {
      expect((await app.inject(url)).headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
    // The docs' UI is a page: helmet's set (its own CSP, set by the UI, wins).
    const docs = await app.inject('/api/docs/');
    expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(docs.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(docs.headers['content-security-policy']).toContain("default-src 'self'");
    expect(docs.headers['cache-control']).toBe('no-store');
  });

  it("keeps a client's X-Request-Id only when it is a short safe token; otherwise makes one", async () => {
    const id = async (given: string) =>
      (await app.inject({ url: '/health', headers: { 'x-request-id': given } })).headers['x-request-id'];
    for (const safe of ['4bf92f3577b34da6', 'req_01J0ABCDEF', 'a.b:c-d_e', '0'.repeat(64)]) {
      expect(await id(safe)).toBe(safe);
    }
    for (const unsafe of [
      '',
      'a b',
      'x\ty',
      '"quoted"',
      '<script>',
      'é',
      '0'.repeat(65),
      'a,b',
      'x%0d%0aSet-Cookie:',
    ]) {
      const made = await id(unsafe);
      expect(made, JSON.stringify(unsafe)).not.toBe(unsafe);
      expect(made).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('every /api answer carries Cache-Control: no-store: successes, errors, 404s, the docs', async () => {
    for (const [method, url] of [
      ['GET', '/api/docs/json'],
      ['GET', '/api/docs/'],
      ['GET', '/api/docs/static/index.css'],
      ['GET', '/api/docs/nothing-here'],
      ['GET', '/api/nothing-here'],
      ['GET', '/api'],
      ['GET', '/api?x=1'],
      ['GET', '/api/auth/me'],
      ['POST', '/api/probe'],
    ] as const) {
      const response = await app.inject({ method, url });
      expect(response.headers['cache-control'], `${method} ${url} → ${response.statusCode}`).toBe('no-store');
    }
    const ok = await post('{"name":"ok"}');
    expect(ok.headers['cache-control']).toBe('no-store');
    // So does the server's status: a cache must never answer for it.
    expect((await app.inject('/health')).headers['cache-control']).toBe('no-store');
  });

  it('serves the OpenAPI document and its UI', async () => {
    const json = await app.inject('/api/docs/json');
    expect(json.statusCode).toBe(200);
    const doc = json.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths).toHaveProperty('/health');
    for (const path of [
      '/api/auth/signup',
      '/api/auth/login',
      '/api/organization',
      '/api/team/invites',
      '/api/invites/{token}/accept',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const ui = await app.inject('/api/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});

describe('when the database cannot be reached', () => {
  let app: App;
  const database = openPostgres(
    testPostgresConfig('postgres://nobody:secret@127.0.0.1:1/none', { connectionTimeoutMs: 500 }),
    silentLogger,
  );
  beforeAll(async () => {
    app = await buildTestApp(database);
    app.get('/api/probe-db', { config: { loginNeeded: false } }, async () => database.query('SELECT 1'));
    app.get('/api/probe-crash', { config: { loginNeeded: false } }, async () => {
      throw new Error('SELECT secret FROM internals');
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('a request that needs it answers 503 unavailable with Retry-After; a 500 never leaks', async () => {
    const response = await app.inject('/api/probe-db');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json<{ error: { code: string } }>().error.code).toBe('unavailable');
    expect(response.body).not.toContain('secret');
    expect(response.body).not.toContain('ECONNREFUSED');
  });

  it('/health answers 503 unhealthy', async () => {
    const response = await app.inject('/health');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unhealthy', database: 'disconnected', driver: 'postgres' });
  });

  it('an unexpected error is a bare 500 with the request id', async () => {
    const response = await app.inject('/api/probe-crash');
    expect(response.statusCode).toBe(500);
    const error = response.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('internal');
    expect(error.message).toContain(response.headers['x-request-id'] as string);
    expect(response.body).not.toContain('SELECT');
  });
});
