import { afterAll, beforeAll, expect, it } from 'vitest';

import { buildApp, type App } from '../../src/http/app.js';
import { createServices } from '../../src/services/index.js';
import { buildTestApp, testConfig } from '../harness/app.js';
import { call, signup } from '../harness/client.js';
import { warningLogger } from '../harness/config.js';
import { describeEachDatabase } from '../harness/databases.js';

describeEachDatabase('metrics and readiness', (get) => {
  let app: App;
  let guarded: App;
  beforeAll(async () => {
    app = await buildTestApp(get().database);
    guarded = await buildTestApp(get().database, { METRICS_TOKEN: 'scrape-secret' });
  });
  afterAll(async () => {
    await app.close();
    await guarded.close();
  });

  it('/metrics: requests by route pattern, pool, analysis queue, outbox, process', async () => {
    const account = await signup(app);
    await call(app, 'POST', '/api/audits', { name: 'Queued', stackData: { tools: [] } }, { token: account.token });
    await call(app, 'GET', `/api/audits/audit_${'x'.repeat(20)}`, undefined, { token: account.token });
    const answer = await app.inject('/metrics');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/plain');
    const text = answer.body;
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/api\/audits",status="201"\} 1/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/audits\/:id",status="404"\} 1/);
    expect(text).not.toContain('audit_xxxx'); // never raw URLs
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/api\/audits"\}/);
    expect(text).toMatch(/db_pool_connections\{state="max"\} \d+/);
    expect(text).toMatch(/analysis_queue\{measure="depth"\} [1-9]/);
    expect(text).toMatch(/email_outbox\{measure="backlog"\} \d+/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
  });

  it('/metrics with METRICS_TOKEN: 401 without it', async () => {
    expect((await guarded.inject('/metrics')).statusCode).toBe(401);
    expect((await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(
      401,
    );
    expect(
      (await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } })).statusCode,
    ).toBe(200);
  });

  it('/metrics in production: only with METRICS_TOKEN, and then only with the token; never openly', async () => {
    const production = { NODE_ENV: 'production', APP_URL: 'https://app.example' };
    const { logger, lines } = warningLogger();
    const config = testConfig(production);
    const open = await buildApp({ config, logger, services: createServices(get().database, config) });
    const tokened = await buildTestApp(get().database, { ...production, METRICS_TOKEN: 'prod-secret' });
    try {
      for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: 'Bearer anything' }]) {
        const answer = await open.inject({ url: '/metrics', headers });
        expect(answer.statusCode).toBe(404);
        expect(answer.json<{ error: { code: string } }>().error.code).toBe('not_found');
      }
      expect(lines.filter((l) => l.includes('/metrics is not served'))).toHaveLength(1);

      expect((await tokened.inject('/metrics')).statusCode).toBe(401);
      expect((await tokened.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(
        401,
      );
      const scraped = await tokened.inject({ url: '/metrics', headers: { authorization: 'Bearer prod-secret' } });
      expect(scraped.statusCode).toBe(200);
      expect(scraped.body).toContain('http_requests_total');
    } finally {
      await Promise.all([open.close(), tokened.close()]);
    }
  });

  it('/ready: database reachable and every migration applied', async () => {
    const answer = await call(app, 'GET', '/ready');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ready: true, checks: { database: true, migrations: true } });
  });
});
