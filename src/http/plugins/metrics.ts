/**
 * GET /metrics in Prometheus text format (prom-client): requests by route (count and
 * latency), errors by kind, the database pool, the analysis queue and the email outbox,
 * and the process (memory, event loop). A registry per application, so that several apps
 * in one process (tests) do not collide. With METRICS_TOKEN set, scrapes must send
 * `Authorization: Bearer <token>`.
 */
import { timingSafeEqual } from 'node:crypto';

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { Config } from '../../config.js';
import { isDatabaseUnavailable, UnauthenticatedError } from '../../errors.js';
import type { OperationsService } from '../../services/operations.service.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const metricsPlugin = fp<{ config: Config; operations: OperationsService }>(async function metrics(
  app: FastifyInstance,
  { config, operations },
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer, by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'http_errors_total',
    help: 'Errors raised while answering: database_unavailable, client (4xx) or server (5xx)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const pool = new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting clients, max)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = operations.poolStats();
      for (const state of ['total', 'idle', 'waiting', 'max'] as const) this.set({ state }, stats[state]);
    },
  });
  const queue = new Gauge({
    name: 'analysis_queue',
    help: 'Analyses pending or running (depth) and the age in seconds of the oldest (oldest_seconds)',
    labelNames: ['measure'] as const,
    registers: [registry],
    async collect() {
      const stats = await operations.analysisQueue();
      this.set({ measure: 'depth' }, stats.depth);
      this.set({ measure: 'oldest_seconds' }, stats.oldestSeconds);
    },
  });
  const outbox = new Gauge({
    name: 'email_outbox',
    help: 'Emails waiting to be sent (backlog), given up on (failed), and the oldest waiting one (oldest_seconds)',
    labelNames: ['measure'] as const,
    registers: [registry],
    async collect() {
      const stats = await operations.emailOutbox();
      this.set({ measure: 'backlog' }, stats.backlog);
      this.set({ measure: 'failed' }, stats.failed);
      this.set({ measure: 'oldest_seconds' }, stats.oldestSeconds);
    },
  });
  // Registered for their collect(): the scrape reads them fresh.
  void [pool, queue, outbox];

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids and tokens would explode the label set (and leak).
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.addHook('onError', async (_request, reply, error) => {
    const kind = isDatabaseUnavailable(error) ? 'database_unavailable' : reply.statusCode < 500 ? 'client' : 'server';
    errors.inc({ kind });
  });

  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    if (config.metricsToken) {
      const header = request.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!sameSecret(token, config.metricsToken))
        throw new UnauthenticatedError('Send Authorization: Bearer <METRICS_TOKEN>.');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
});
