/**
 * The OpenAPI 3.1 document (`/api/docs/json`): @fastify/swagger's options, and what every
 * operation gets here in one place rather than in each route — who may call it (the
 * security schemes), a stable `operationId`, and the error answers any route can give.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';

import { SESSION_COOKIE } from './plugins/auth.js';
import { errorAnswer, type ErrorStatus } from './schemas.js';

/**
 * Operations anyone may call: they never call requireActor/requireAccount. Fastify's form,
 * `METHOD /path/:param`. Every other operation needs a login (a session cookie or a bearer
 * token); test/http/openapi.test.ts sends each one an anonymous request and expects a 401
 * from the others and none from these, so a new route must be added here to be public.
 */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set([
  'GET /health',
  'GET /ready',
  'POST /api/auth/signup',
  'POST /api/auth/login',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/:token',
  'GET /api/invites/:token',
  'GET /api/shared/:shareToken',
  'GET /api/shared/:shareToken/report.pdf',
  'GET /api/shared/:shareToken/report.csv',
  // The secret URL is the credential (calendars send no login).
  'GET /api/calendar/:token.ics',
  // Stripe signs it (Stripe-Signature), with no session.
  'POST /api/billing/webhook',
]);

/** Operations anyone may call that also read a login when there is one. */
export const OPTIONAL_LOGIN_OPERATIONS: ReadonlySet<string> = new Set([
  // Who is logged in, without a 401 for nobody.
  'GET /api/auth/session',
  // A new account (name, password) or the logged-in account without organization.
  'POST /api/invites/:token/accept',
  // The provider's redirect back: the state it carries names the session that started it.
  'GET /api/integrations/:provider/callback',
]);

export const SECURITY_SCHEMES = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The session cookie the web app holds (httpOnly). A POST/PUT/PATCH/DELETE with it must come from ' +
      "the app's origin (Origin or Referer), or it is a 403.",
  },
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'The same session token, for scripts: the `token` of the login or signup answer.',
  },
} as const;

const LOGGED_IN: Record<string, string[]>[] = [{ sessionCookie: [] }, { bearerAuth: [] }];

/** `METHOD /path` as PUBLIC_OPERATIONS writes it. */
export const operationKey = (method: string, url: string): string => `${method.toUpperCase()} ${url}`;

/** Whether an operation answers nobody but a logged-in caller (neither public nor optionally logged in). */
export const loginNeededFor = (method: string, url: string): boolean => {
  const key = operationKey(method, url);
  return !PUBLIC_OPERATIONS.has(key) && !OPTIONAL_LOGIN_OPERATIONS.has(key);
};

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const camel = (segment: string) => segment.split(/[-_.]/).filter(Boolean).map(capitalized).join('');

/**
 * A stable operationId from the method and path: `GET /api/audits/:id/comments` is
 * `getAuditsByIdComments`. Unique because a method and a path name one route; a route's own
 * `schema.operationId` wins.
 */
export function operationId(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'api')
    .map((segment) => (segment.startsWith(':') ? `By${camel(segment.slice(1))}` : camel(segment)));
  return method.toLowerCase() + words.join('');
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The error answers an operation can give whatever its route lists: 400 (the input guard
 * refuses a NUL in any query string), 500, 503 (every request may meet a database that is
 * down, and a server shutting down answers 503); 401 where a login is needed; 404 where the
 * path has a parameter (one outside its pattern is a 404); and for a method with a body, 413
 * and 415 (parsed before any route code) and 403 (the Origin check on cookie requests).
 */
export function centralErrors(method: string, url: string, loginNeeded: boolean): ErrorStatus[] {
  const statuses: ErrorStatus[] = [400, 500, 503];
  if (loginNeeded) statuses.push(401);
  if (url.includes('/:')) statuses.push(404);
  if (BODY_METHODS.has(method)) statuses.push(403, 413, 415);
  return statuses;
}

type Transform = NonNullable<FastifyDynamicSwaggerOptions['transform']>;

const transform: Transform = ({ schema, url, route }) => {
  // A route without a schema has none here either, whatever the type says: spreading copes.
  const given: FastifySchema & { operationId?: string } = { ...schema };
  const method = (Array.isArray(route.method) ? String(route.method[0]) : route.method).toUpperCase();
  const key = operationKey(method, url);
  const loginNeeded = loginNeededFor(method, url);
  // A route that declares no answers keeps none (its test then says what is missing).
  const response = given.response ? { ...(given.response as Record<string, unknown>) } : undefined;
  if (response) for (const status of centralErrors(method, url, loginNeeded)) response[status] ??= errorAnswer(status);
  return {
    url,
    schema: {
      ...given,
      operationId: given.operationId ?? operationId(method, url),
      // Global security needs a login; these say otherwise ({}: none needed).
      ...(PUBLIC_OPERATIONS.has(key) ? { security: [] } : {}),
      ...(OPTIONAL_LOGIN_OPERATIONS.has(key) ? { security: [{}, ...LOGGED_IN] } : {}),
      response,
    },
  };
};

/** @fastify/swagger's options: an OpenAPI 3.1 document of the routes. */
export function openapiOptions(): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'StackAudit API',
        version: '0.1.0',
        description:
          'The HTTP contract of StackAudit. Errors are `{"error": {code, message, details}}` (the Error schema). ' +
          'Log in (POST /api/auth/login) for a session: the web app keeps it in the `sa_session` cookie, scripts send ' +
          'it as `Authorization: Bearer <token>`.',
      },
      // Relative: the server that serves this document.
      servers: [{ url: '/', description: 'This server' }],
      components: { securitySchemes: SECURITY_SCHEMES },
      security: LOGGED_IN,
    },
    transform,
    // Shared schemas (app.addSchema) under their own $id: `#/components/schemas/Error`.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  };
}
