/**
 * The Fastify application: plugins, error handling, the OpenAPI document and the routes.
 * Building it opens nothing: the caller passes the services (over an open database) and
 * listens (or injects). HTTP reaches the data only through the services.
 */
import { randomUUID } from 'node:crypto';

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Config } from '../config.js';
import { errorsPlugin, frameworkErrors, sendNotFound } from './plugins/errors.js';
import { inputGuardPlugin } from './plugins/input-guard.js';
import { metricsPlugin } from './plugins/metrics.js';
import { securityHeaders, securityHeadersPlugin } from './plugins/security-headers.js';
import { lazyRequestLogger } from './request-logger.js';
import { validatorCompiler } from './plugins/validation.js';
import type { Services } from '../services/index.js';
import type { Readiness } from '../services/operations.service.js';
import { authPlugin } from './plugins/auth.js';
import { aiRoutes } from './routes/ai/routes.js';
import { auditRoutes } from './routes/audits/routes.js';
import { billingRoutes } from './routes/billing/routes.js';
import { readWebIndex, spaFallback, WEB_DIR, webPlugin } from './plugins/web.js';
import { savingsRoutes } from './routes/savings/routes.js';
import { spendRoutes } from './routes/spend/routes.js';
import { integrationRoutes } from './routes/integrations/routes.js';
import { authRoutes } from './routes/auth/routes.js';
import { activityRoutes } from './routes/activity/routes.js';
import { commentRoutes } from './routes/comments/routes.js';
import { renewalRoutes } from './routes/renewals/routes.js';
import { reportRoutes } from './routes/reports/routes.js';
import { shareRoutes } from './routes/shares/routes.js';
import { healthRoutes } from './routes/operations/routes.js';
import { meRoutes } from './routes/me/routes.js';
import { organizationRoutes } from './routes/organization/routes.js';
import { teamRoutes } from './routes/team/routes.js';
import { loginNeededFor, openapiOptions } from './openapi.js';
import { ErrorResponse } from './schemas.js';

export interface AppDeps {
  config: Readonly<Config>;
  logger: FastifyBaseLogger;
  services: Services;
  /** What /ready checks beyond the database (the server adds its workers). */
  readiness?: () => Promise<Readiness>;
  /** Where the built web app is (default dist/web); none there: the API only. */
  webDir?: string;
}

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * A client's X-Request-Id is kept (a proxy's or a caller's id ties their logs to ours) only
 * when it is a short token of letters, digits and `._:-`: it goes into every log line, an
 * answer header and the 500 message, where a newline, a quote or kilobytes of text could
 * forge log lines or bloat every one. 64 characters take a UUID (36), a ULID (26) or a
 * load balancer's trace id. Anything else: a fresh UUID.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** /metrics is served where enabled, but in production only behind METRICS_TOKEN: never openly. */
export const metricsServed = (config: Readonly<Config>): boolean =>
  config.metricsEnabled && (config.metricsToken !== null || config.nodeEnv !== 'production');

export async function buildApp({ config, logger, services, readiness, webDir = WEB_DIR }: AppDeps): Promise<App> {
  // The security headers, for every answer: the hook's and Fastify's own errors' (before routing).
  const headersFor = securityHeaders({
    // Upgrading to https only makes sense where it is served over https (not http://localhost or a LAN address).
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.nodeEnv === 'production' ? [] : null } },
  });
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    // No requestIdHeader: Fastify would take the header as it comes. genReqId decides.
    genReqId: requestId,
    childLoggerFactory: lazyRequestLogger,
    return503OnClosing: true,
    frameworkErrors: frameworkErrors(headersFor),
    // The client's address (rate limits, sessions) from X-Forwarded-For, through this many proxies.
    trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Unknown body fields are refused, not dropped; body types are not coerced (plugins/validation.ts).
  app.setValidatorCompiler(validatorCompiler);

  // The web app, when built (npm run build): its files, and its page for any GET outside /api.
  const webIndex = readWebIndex(webDir);
  await app.register(errorsPlugin, { fallback: spaFallback(webIndex) });
  await app.register(inputGuardPlugin);
  await app.register(securityHeadersPlugin, { headersFor });
  // OpenAPI 3.1: security schemes, operationIds and the errors every route can give (openapi.ts).
  await app.register(swagger, openapiOptions());
  // The docs' UI serves its files with caching headers of its own; like every /api answer they
  // say no-store (the contract), set in this scope only, after theirs.
  await app.register(async function docs(scope) {
    scope.addHook('onSend', (_request, reply, payload, done) => {
      void reply.header('cache-control', 'no-store');
      done(null, payload);
    });
    await scope.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  });
  app.addSchema(ErrorResponse);
  // CSV uploads (tool lists, statements) arrive as text; everything else must be JSON.
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });
  await app.register(authPlugin, { config, auth: services.auth, loginNeeded: loginNeededFor });
  // The session cache listens for changes from the moment the app is ready (its own connection
  // on PostgreSQL) until it closes; until it listens, every request reads its session.
  app.addHook('onReady', async () => services.auth.sessionCache.start());
  app.addHook('onClose', async () => services.auth.sessionCache.stop());

  const quiet = (['error', 'fatal', 'silent'] as const).find((level) => level === config.logLevel) ?? 'warn';
  if (metricsServed(config)) await app.register(metricsPlugin, { config, operations: services.operations });
  else if (config.metricsEnabled) {
    app.log.warn('/metrics is not served: in production it needs METRICS_TOKEN');
    // A 404 a scraper understands, rather than the web app's page.
    app.get('/metrics', { schema: { hide: true } }, (request, reply) => sendNotFound(request, reply));
  }
  const { operations } = services;
  await app.register(healthRoutes(operations, quiet, readiness ?? (() => operations.readiness())));
  await app.register(authRoutes(services, config));
  await app.register(organizationRoutes(services));
  await app.register(teamRoutes(services, config));
  await app.register(meRoutes(services));
  await app.register(auditRoutes(services));
  await app.register(commentRoutes(services));
  await app.register(shareRoutes(services, config));
  await app.register(reportRoutes(services));
  await app.register(renewalRoutes(services));
  await app.register(activityRoutes(services));
  if (webIndex) await app.register(webPlugin, { dir: webDir });
  else if (config.nodeEnv !== 'test') app.log.warn('the web app is not built (npm run build): serving the API only');
  await app.register(billingRoutes(services));
  await app.register(spendRoutes(services));
  await app.register(savingsRoutes(services));
  await app.register(aiRoutes(services));
  await app.register(integrationRoutes(services));
  return app;
}
