import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { openPostgres } from '../../src/db/postgres.js';
import { buildTestApp } from '../harness/app.js';
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
      schema: {
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 50 }), tags: Type.Optional(Type.Array(Type.String())) },
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
    await app.ready();
  });
  afterAll(() => app.close());

  it('GET /health reports the database, driver and version', async () => {
    const response = await app.inject('/health');
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, string>>();
    expect(body).toMatchObject({ status: 'healthy', database: 'connected', driver: get().driver });
    expect(body.version).toMatch(/^\d+\.\d+/);
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

  it('a valid body goes through unchanged', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/probe', payload: { name: 'ok', tags: ['a'] } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: { name: 'ok', tags: ['a'] } });
  });

  it('sends security headers, a request id, and no x-powered-by', async () => {
    const response = await app.inject('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-powered-by']).toBeUndefined();
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
    app.get('/api/probe-db', async () => database.query('SELECT 1'));
    app.get('/api/probe-crash', async () => {
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
