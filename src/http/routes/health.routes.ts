import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { migrationStatus } from '../../db/migrate.js';

const HEALTH_TIMEOUT_MS = 2_000;

const Healthy = Type.Object({
  status: Type.Literal('healthy'),
  database: Type.Literal('connected'),
  driver: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
});
const Unhealthy = Type.Object({
  status: Type.Literal('unhealthy'),
  database: Type.Literal('disconnected'),
  driver: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
});

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

/** Ready when the database answers and every migration of this version is applied. */
export async function defaultReadiness(database: Database): Promise<Readiness> {
  let databaseUp = false;
  let migrated = false;
  try {
    await database.ping(HEALTH_TIMEOUT_MS);
    databaseUp = true;
    migrated = (await migrationStatus(database)).every((m) => m.applied);
  } catch {
    // reported as not ready
  }
  return { ready: databaseUp && migrated, checks: { database: databaseUp, migrations: migrated } };
}

/**
 * GET /health: whether this instance can reach its database, within a short timeout.
 * Load balancers poll it every few seconds, so its request lines are logged only at
 * `quietLogLevel` (warn, or the configured level when that is quieter).
 */
export function healthRoutes(
  database: Database,
  quietLogLevel: Config['logLevel'],
  readiness: () => Promise<Readiness>,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['operations'],
          summary: 'Liveness and database reachability',
          response: { 200: Healthy, 503: Unhealthy },
        },
        logLevel: quietLogLevel,
      },
      async (request, reply) => {
        try {
          await database.ping(HEALTH_TIMEOUT_MS);
          // No server version: it would tell anyone which vulnerabilities to try (the start log has it).
          return { status: 'healthy' as const, database: 'connected' as const, driver: database.driver };
        } catch (error) {
          request.log.warn({ err: { message: (error as Error).message } }, 'health check: database unreachable');
          return reply
            .code(503)
            .header('retry-after', '5')
            .send({ status: 'unhealthy' as const, database: 'disconnected' as const, driver: database.driver });
        }
      },
    );

    app.get(
      '/ready',
      {
        schema: {
          tags: ['operations'],
          summary: 'Ready to serve: database reachable, migrations applied, background workers running',
          response: {
            200: Type.Object({ ready: Type.Boolean(), checks: Type.Record(Type.String(), Type.Boolean()) }),
            503: Type.Object({ ready: Type.Boolean(), checks: Type.Record(Type.String(), Type.Boolean()) }),
          },
        },
        logLevel: quietLogLevel,
      },
      async (_request, reply) => {
        const result = await readiness();
        return reply.code(result.ready ? 200 : 503).send(result);
      },
    );
  };
}
