import { afterAll, beforeAll } from 'vitest';

import type { App } from '../../src/http/app.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { AnalysisWorker } from '../../src/jobs/analysis.worker.js';
import { createServices, type Services } from '../../src/services/index.js';
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

const servicesOfApp = new WeakMap<App, Services>();

/**
 * The real application over a test database, for app.inject. It runs no background worker:
 * a test runs what it needs when it needs it (e.g. `fanOutComments`), so that what it reads
 * next does not race with a worker.
 */
export async function buildTestApp(database: Database, env: Record<string, string> = {}): Promise<App> {
  const config = testConfig(env);
  const services = createServices(database, config);
  const app = await buildApp({ config, logger: silentLogger, services });
  servicesOfApp.set(app, services);
  return app;
}

/**
 * What the comment fan-out worker does, now: everyone concerned by the comments posted so far
 * is told (notifications, emails). Returns how many comments it handled.
 */
export async function fanOutComments(app: App): Promise<number> {
  const services = servicesOfApp.get(app);
  if (!services) throw new Error('not an app of buildTestApp or buildAppWithWorker');
  let done = 0;
  for (let told = await services.comments.fanOut(); told > 0; told = await services.comments.fanOut()) done += told;
  return done;
}

/** The services behind an app of buildTestApp or buildAppWithWorker. */
export function servicesOf(app: App): Services {
  const services = servicesOfApp.get(app);
  if (!services) throw new Error('not an app of buildTestApp or buildAppWithWorker');
  return services;
}

/** What the narrative worker does, now: every narrative due is written (or refused). Returns their outcomes. */
export async function writeNarratives(app: App): Promise<string[]> {
  const ai = servicesOf(app).ai;
  const outcomes: string[] = [];
  for (let claimed = await ai.claimNarratives(); claimed.length > 0; claimed = await ai.claimNarratives()) {
    for (const job of claimed) outcomes.push((await ai.writeNarrative(job)).status);
  }
  return outcomes;
}

/**
 * Tests change rows behind the application's back (an expired session, another plan) and
 * expect the next request to see it: the session cache, which learns of such changes by
 * NOTIFY a moment later, is off unless a test turns it on (test/http/session-cache.test.ts;
 * the browser test runs the server as configured by default, with it).
 */
export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_CACHE_SECONDS: '0',
    ...GENEROUS_IP_LIMITS,
    ...env,
  });
}

/** The application with a real analysis worker behind it, as the server runs them. */
export async function buildAppWithWorker(database: Database, env: Record<string, string> = {}) {
  const config = testConfig({ ANALYSIS_POLL_MS: '100', ...env });
  // The services wake the worker, which needs the services (the callback runs after both exist).
  const services = createServices(database, config, { onAnalysisQueued: () => worker.notify() });
  const worker = new AnalysisWorker(services.analyses, config, silentLogger);
  const app = await buildApp({ config, logger: silentLogger, services });
  servicesOfApp.set(app, services);
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
