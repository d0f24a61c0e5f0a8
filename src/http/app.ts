/**
 * The Fastify application: plugins, error handling, the OpenAPI document and the routes.
 * Building it opens nothing: the caller passes an open Database and listens (or injects).
 */
import { randomUUID } from 'node:crypto';

import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { errorsPlugin } from './plugins/errors.js';
import { rejectNulPlugin } from './plugins/reject-nul.js';
import { healthRoutes } from './routes/health.routes.js';

export interface AppDeps {
  config: Readonly<Config>;
  database: Database;
  logger: FastifyBaseLogger;
}

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export async function buildApp({ config, database, logger }: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Refuse unknown body fields instead of silently dropping them (Fastify's default
    // Ajv options include removeAdditional: true); schemas say additionalProperties: false.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  await app.register(rejectNulPlugin);
  await app.register(helmet, { global: true });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'StackAudit API',
        version: '0.1.0',
        description: 'The HTTP contract of StackAudit. Errors are `{"error": {code, message, details}}`.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const quiet = (['error', 'fatal', 'silent'] as const).find((level) => level === config.logLevel) ?? 'warn';
  await app.register(healthRoutes(database, quiet));
  return app;
}
