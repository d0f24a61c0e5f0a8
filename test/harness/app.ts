import { afterAll, beforeAll } from 'vitest';

import type { App } from '../../src/http/app.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { AnalysisWorker } from '../../src/jobs/analysis.worker.js';
import { createServices } from '../../src/services/index.js';
import { silentLogger } from './config.js';
import type { TestDatabase } from './databases.js';

/**
 * Every request of app.inject comes from 127.0.0.1, so the per-IP limits would trip on a
 * test file's own set-up: they are raised here, and the rate-limit tests lower them.
 */
export const GENEROUS_IP_LIMITS = {
  RATE_LIMIT_SIGNUP_PER_IP: '1000000',
  RATE_LIMIT_INVITE_ACCEPT_PER_IP: '1000000',
  RATE_LIMIT_LOGIN_PER_IP: '1000000',
  RATE_LIMIT_PASSWORD_RESET_PER_IP: '1000000',
  RATE_LIMIT_EMAIL_LINKS_PER_IP: '1000000',
};

/** The real application over a test database, for app.inject. */
export async function buildTestApp(database: Database, env: Record<string, string> = {}): Promise<App> {
  const config = testConfig(env);
  return buildApp({ config, logger: silentLogger, services: createServices(database, config) });
}

export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...GENEROUS_IP_LIMITS, ...env });
}

/** The application with a real analysis worker behind it, as the server runs them. */
export async function buildAppWithWorker(database: Database, env: Record<string, string> = {}) {
  const config = testConfig({ ANALYSIS_POLL_MS: '100', ...env });
  // The services wake the worker, which needs the services (the callback runs after both exist).
  const services = createServices(database, config, { onAnalysisQueued: () => worker.notify() });
  const worker = new AnalysisWorker(services.analyses, config, silentLogger);
  const app = await buildApp({ config, logger: silentLogger, services });
  worker.start();
  app.addHook('onClose', async () => worker.stop());
  return { app, worker };
}

/** The application of a `describeEachDatabase` block: built before its tests, closed after them. */
export function appPerBlock(get: () => TestDatabase, env: Record<string, string> = {}): () => App {
  let app: App | undefined;
  beforeAll(async () => {
    app = await buildTestApp(get().database, env);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('the test app is not built yet');
    return app;
  };
}

/** Runs `body` with an application of its own (other settings, e.g. lower limits), closed after. */
export async function withTestApp<T>(
  database: Database,
  env: Record<string, string>,
  body: (app: App) => Promise<T>,
): Promise<T> {
  const app = await buildTestApp(database, env);
  try {
    return await body(app);
  } finally {
    await app.close();
  }
}
