/**
 * Who is calling: the session token from `Authorization: Bearer …` or the `sa_session`
 * cookie, looked up in the database (any instance accepts any session). Cookie-
 * authenticated requests that change state must come from an allowed Origin (CSRF):
 * APP_URL, or without it (development) this server's own origin. Bearer requests are not
 * subject to it: a browser never attaches them by itself.
 */
import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../../config.js';
import { ForbiddenError, UnauthenticatedError } from '../../errors.js';
import type { AccountSession, Actor, RequestMeta } from '../../services/actor.js';
import type { AuthService } from '../../services/auth.service.js';

export const SESSION_COOKIE = 'sa_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Set on the API's routes that answer only a logged-in caller (see authPlugin); a route
     * outside the contract (a test's probe) may say false.
     */
    loginNeeded?: boolean;
  }
  interface FastifyRequest {
    /** The caller when logged in and in an organization: what every tenant route needs. */
    actor: Actor | null;
    /** The caller when logged in, with or without an organization: what account routes need. */
    account: AccountSession | null;
    authVia: 'cookie' | 'bearer' | null;
    /** The token the request authenticated with (logout revokes its session). */
    sessionToken: string | null;
  }
}

/**
 * The caller, a member of an organization; 401 when not logged in, 403 for an account
 * that belongs to no organization (it sees no organization's data).
 */
export function requireActor(request: FastifyRequest): Actor {
  if (request.actor) return request.actor;
  if (request.account) throw new ForbiddenError(withoutOrganization(request.account));
  throw new UnauthenticatedError();
}

/** The caller, with or without an organization (their own account), or 401. */
export function requireAccount(request: FastifyRequest): AccountSession {
  if (!request.account) throw new UnauthenticatedError();
  return request.account;
}

function withoutOrganization({ user }: AccountSession): string {
  if (user.domainJoinPending) {
    return `Confirm your email address first: we sent a link to ${user.email}. Your email's domain belongs to an organization on StackAudit, and you join it once you confirm.`;
  }
  return 'Your account does not belong to an organization: ask an admin of one for an invite, and open its link while logged in.';
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return {
    ip: request.ip,
    userAgent: typeof agent === 'string' ? agent : null,
    origin: `${request.protocol}://${request.host}`,
  };
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string, expiresAt: Date): void {
  writeSessionCookie(reply, config, token, { expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  writeSessionCookie(reply, config, '', { expires: new Date(0), maxAge: 0 });
}

/**
 * The session cookie is the only cookie StackAudit sets, written with the `cookie` library
 * itself rather than through @fastify/cookie: that plugin adds an onRequest hook (a parse and a
 * Map for every request) and an onSend hook to every answer, for one cookie that a few routes
 * set. One request can clear it (a stale cookie, in the session hook) and then set it (login):
 * the last one is what the answer carries, as the plugin did. Fastify appends to a set-cookie
 * header already there, so the header is written anew without the earlier session cookie.
 */
function writeSessionCookie(
  reply: FastifyReply,
  config: Config,
  value: string,
  expiry: { expires: Date; maxAge?: number },
): void {
  const cookie = stringifySetCookie({
    name: SESSION_COOKIE,
    value,
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.nodeEnv === 'production',
    ...expiry,
  });
  const others = [reply.getHeader('set-cookie') ?? []]
    .flat()
    .map(String)
    .filter((header) => !header.startsWith(`${SESSION_COOKIE}=`));
  void reply.removeHeader('set-cookie').header('set-cookie', [...others, cookie]);
}

/** The origin a state-changing cookie request must come from. */
function allowedOrigin(request: FastifyRequest, config: Config): string | null {
  if (config.appUrl) return new URL(config.appUrl).origin;
  const host = request.headers.host;
  return host ? `${request.protocol}://${host}` : null;
}

function requestOrigin(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin;
  const referer = request.headers.referer;
  if (typeof referer === 'string') {
    try {
      return new URL(referer).origin;
    } catch {
      return null;
    }
  }
  return null;
}

/** The 401 of a route that needs a login, as the error handler would give it (its body, its code), serialised once. */
const LOGIN_FIRST = new UnauthenticatedError();
const LOGIN_FIRST_JSON = JSON.stringify({ error: { code: LOGIN_FIRST.code, message: LOGIN_FIRST.message } });

function refuse(reply: FastifyReply): void {
  void reply.code(401).header('content-type', 'application/json; charset=utf-8').send(LOGIN_FIRST_JSON);
}

/** What a request's session means for it: go on (logged in or not), refuse it (401), or an error (403). */
function applySession(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  via: 'cookie' | 'bearer',
  needed: boolean,
  result: Awaited<ReturnType<AuthService['authenticate']>>,
  config: Config,
): 'next' | 'refuse' | Error {
  if (!result) {
    if (via === 'cookie') clearSessionCookie(reply, config);
    return needed ? 'refuse' : 'next';
  }
  if (via === 'cookie' && !SAFE_METHODS.has(request.method)) {
    const expected = allowedOrigin(request, config);
    const origin = requestOrigin(request);
    if (!expected || origin !== expected) {
      return new ForbiddenError(
        'This request changes data with a session cookie but does not come from the StackAudit web app (Origin check). ' +
          'Scripts should send Authorization: Bearer <token> instead.',
      );
    }
  }
  request.actor = result.actor;
  request.account = result.account;
  request.authVia = via;
  request.sessionToken = token;
  if (result.renewedUntil && via === 'cookie') setSessionCookie(reply, config, token, result.renewedUntil);
  return 'next';
}

export const authPlugin = fp<{
  config: Config;
  auth: AuthService;
  /** Whether a route of the contract answers only a logged-in caller (openapi.ts). */
  loginNeeded: (method: string, url: string) => boolean;
}>(async function auth(app: FastifyInstance, { config, auth, loginNeeded }) {
  // The API's routes that answer nobody without a session say so in their config, so that a
  // GET without one is answered 401 here, before validation and without an exception thrown
  // through the error handler: the cheapest refusal. (Requests with a body are refused by the
  // route as before, once the body has been read within its limit.)
  app.addHook('onRoute', (route) => {
    if (
      route.config?.loginNeeded !== undefined ||
      !route.url.startsWith('/api/') ||
      route.url.startsWith('/api/docs')
    ) {
      return;
    }
    const methods = [route.method].flat().map(String);
    // A HEAD route (Fastify adds one for each GET) is as open as its GET.
    if (methods.every((m) => loginNeeded(m === 'HEAD' ? 'GET' : m, route.url))) {
      route.config = { ...route.config, loginNeeded: true };
    }
  });

  // A callback hook, not an async one: a request without a token (every refused one) is decided
  // without a promise; one with a token waits for its session.
  app.addHook('onRequest', (request, reply, done) => {
    const header = request.headers.authorization;
    let token: string | undefined;
    let via: 'cookie' | 'bearer';
    if (typeof header === 'string' && /^bearer\s/i.test(header)) {
      token = header.slice(7).trim();
      via = 'bearer';
    } else {
      const cookies = request.headers.cookie;
      token = cookies ? parseCookie(cookies)[SESSION_COOKIE] : undefined;
      via = 'cookie';
    }
    // Only where no body comes: a body is read (and held to the body limit, 413) before any answer.
    const needed = request.routeOptions.config.loginNeeded === true && SAFE_METHODS.has(request.method);
    if (!token) {
      if (needed) refuse(reply);
      else done();
      return;
    }
    auth
      .authenticate(token)
      .then((result) => {
        const outcome = applySession(request, reply, token, via, needed, result, config);
        if (outcome === 'refuse') refuse(reply);
        else if (outcome === 'next') done();
        else done(outcome);
      }, done)
      // Whatever throws above (nothing should: Fastify guards what done() runs) reaches the
      // error handler as the request's 500, never the process as an unhandled rejection.
      .catch((error: unknown) => {
        if (!reply.sent) void reply.send(error);
        else request.log.error({ err: error }, 'the session hook failed after answering');
      });
  });
});
