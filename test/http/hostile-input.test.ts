/**
 * #14's hostile inputs on the real routes, on both databases: what used to answer 500 is a
 * 400 `validation_failed` and writes nothing, and the bounds the schemas gained where
 * PostgreSQL refused values they let through (found by fuzz.test.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { buildTestApp } from '../harness/app.js';
import { call, signup, type Account } from '../harness/client.js';
import type { ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

describeEachDatabase('hostile input on the routes', (get) => {
  let app: App;
  let admin: Account;
  let auditId: string;
  const as = () => ({ token: admin.token });
  const count = async (table: string) =>
    Number((await get().database.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0]!.n);

  beforeAll(async () => {
    app = await buildTestApp(get().database);
    await app.ready();
    admin = await signup(app);
    const audit = await call<{ audit: { id: string } }>(
      app,
      'POST',
      '/api/audits',
      { name: 'Target', stackData: { tools: [{ name: 'Slack' }] } },
      as(),
    );
    auditId = audit.body.audit.id;
  });
  afterAll(() => app.close());

  /** Every route that takes a JSON body, from the app's own OpenAPI document, with real ids in the path. */
  async function bodyRoutes() {
    const doc = (await app.inject('/api/docs/json')).json<{
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>();
    return Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        // The Stripe webhook reads its body as bytes and checks a signature first (fuzz.test.ts covers it).
        .filter(([m]) => ['post', 'put', 'patch'].includes(m) && path !== '/api/billing/webhook')
        .map(([m, op]) => ({
          method: m.toUpperCase() as 'POST' | 'PUT' | 'PATCH',
          url: path.replace(/\{[^}]+\}/g, (p) => (p === '{id}' ? auditId : 'x')),
          schema: op.requestBody !== undefined,
        })),
    );
  }
  const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: string) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      payload,
    });

  it('JSON nested 5,000 levels deep is a 400 on every route that takes a body', async () => {
    const routes = await bodyRoutes();
    expect(routes.length).toBeGreaterThan(25);
    const deep = `{"name":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    for (const { method, url } of routes) {
      const response = await send(method, url, deep);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(400);
      expect(response.json<ErrorBody>().error.code, `${method} ${url}`).toBe('validation_failed');
    }
  });

  it('a JSON null body is a 400 on every route with a body schema (those whose fields are all optional too)', async () => {
    const routes = (await bodyRoutes()).filter((r) => r.schema);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toContain('PATCH /api/organization');
    for (const { method, url } of routes) {
      const response = await send(method, url, 'null');
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(400);
      expect(response.json<ErrorBody>().error.code, `${method} ${url}`).toBe('validation_failed');
    }
  });

  it('a lone surrogate in a tool name is a 400 naming it, and no audit is written', async () => {
    const before = await count('audits');
    const response = await call<ErrorBody>(app, 'POST', '/api/audits', undefined, {
      ...as(),
      raw: { contentType: 'application/json', payload: '{"name":"Q1","stackData":{"tools":[{"name":"Sl\\ud800ck"}]}}' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details).toEqual([
      { field: 'body.stackData.tools.0.name', message: expect.stringContaining('lone surrogate') as string },
    ]);
    expect(await count('audits')).toBe(before);
  });

  it.each([
    ['an amount past DECIMAL(12,2)', { amount: 1e10 }, 'body.amount'],
    ['a negative one', { amount: -1e10 }, 'body.amount'],
    ['one that rounds past it', { amount: 9_999_999_999.995 }, 'body.amount'],
    ['year 0000 (PostgreSQL has none)', { amount: 1, billingPeriodStart: '0000-01-01' }, 'body.billingPeriodStart'],
    ['a five-digit year', { amount: 1, billingPeriodEnd: '99999-01-01' }, 'body.billingPeriodEnd'],
  ])('a manual cost line with %s is a 400, nothing written', async (_what, fields, field) => {
    const before = await count('tool_costs');
    const response = await call<ErrorBody>(app, 'POST', '/api/tool-costs', { toolName: 'Slack', ...fields }, as());
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual(expect.objectContaining({ field }));
    expect(await count('tool_costs')).toBe(before);
  });

  it('the largest amounts and the earliest year are stored as sent', async () => {
    for (const amount of [9_999_999_999.99, -9_999_999_999.99]) {
      const response = await call<{ toolCost: { amount: number } }>(
        app,
        'POST',
        '/api/tool-costs',
        { toolName: 'Slack', amount, billingPeriodStart: '0001-01-01' },
        as(),
      );
      expect(response.status).toBe(201);
      expect(response.body.toolCost.amount).toBe(amount);
    }
  });

  it('a statement dated in year 0000 names the row, and imports nothing', async () => {
    const before = await count('tool_costs');
    const statement = await call<ErrorBody>(app, 'POST', '/api/tool-costs/import', undefined, {
      ...as(),
      raw: {
        contentType: 'text/csv',
        payload: 'Date,Description,Amount\n01/02/2026,SLACK,8.75\n01/02/0000,ZOOM,14.99\n',
      },
    });
    expect(statement.status).toBe(400);
    expect(statement.body.error.details).toEqual([{ row: 3, field: 'Date', message: '"01/02/0000" is not a date' }]);
    expect(await count('tool_costs')).toBe(before);
  });

  it('the OpenAPI document states those bounds', async () => {
    type Schema = { properties: Record<string, { minimum?: number; maximum?: number; pattern?: string }> };
    const doc = (await app.inject('/api/docs/json')).json<{
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Schema }> } }>>;
    }>();
    const body = (path: string, method: string) =>
      doc.paths[path]![method]!.requestBody.content['application/json']!.schema;
    const cost = body('/api/tool-costs', 'post').properties;
    expect(cost.amount).toMatchObject({ minimum: -9_999_999_999.99, maximum: 9_999_999_999.99 });
    const day = new RegExp(cost.billingPeriodStart!.pattern!);
    expect(['0000-01-01', '99999-01-01', '2025-13-01'].filter((d) => day.test(d))).toEqual([]);
    expect(['0001-01-01', '2025-02-28', '9999-12-31'].every((d) => day.test(d))).toBe(true);
    const rates = body('/api/organization/exchange-rates', 'put').properties.rates as unknown as {
      items: Schema;
    };
    expect(rates.items.properties.rate).toMatchObject({ minimum: 1e-10 });
  });

  it('year 0000 in a filter, a stack or a rate too small to store is a 400', async () => {
    for (const url of ['/api/tool-costs?from=0000-01-01', '/api/tool-costs/summary?to=0000-12-31']) {
      expect((await call(app, 'GET', url, undefined, as())).status, url).toBe(400);
    }
    const stack = await call(
      app,
      'POST',
      '/api/audits',
      { name: 'Old', stackData: { tools: [{ name: 'Slack', renewalDate: '0000-01-01' }] } },
      as(),
    );
    expect(stack.status).toBe(400);
    // The rate column keeps 10 decimals: 1e-11 would be stored as 0 (and divided by).
    const tiny = await call(
      app,
      'PUT',
      '/api/organization/exchange-rates',
      { rates: [{ currency: 'EUR', rate: 1e-11 }] },
      as(),
    );
    expect(tiny.status).toBe(400);
    const smallest = await call<{ rates: { rate: number }[] }>(
      app,
      'PUT',
      '/api/organization/exchange-rates',
      { rates: [{ currency: 'EUR', rate: 1e-10 }] },
      as(),
    );
    expect(smallest.status).toBe(200);
    expect(smallest.body.rates[0]?.rate).toBe(1e-10);
  });
});
