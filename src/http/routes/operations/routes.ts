import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../../../config.js';
import type { OperationsService, Readiness } from '../../../services/operations.service.js';
import { Healthy, Unhealthy } from './contract.js';

/**
 * GET /health: whether this instance can reach its database, within a short timeout.
 * Load balancers poll it every few seconds, so its request lines are logged only at
 * `quietLogLevel` (warn, or the configured level when that is quieter).
 */
export function healthRoutes(
  operations: OperationsService,
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
        const health = await operations.health();
        if (health.status === 'healthy') return health;
        request.log.warn({ err: { message: health.reason } }, 'health check: database unreachable');
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ status: health.status, database: health.database, driver: health.driver });
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
