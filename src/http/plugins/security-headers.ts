/**
 * Security headers on every answer, in two sets.
 *
 * Documents — the web app's pages and files, the API docs' UI — get helmet's: their CSP,
 * framing, opener, referrer and legacy headers protect an HTML page and what it loads. helmet's
 * headers depend only on its options (no nonces), so helmet runs once at start-up against a
 * recorder, and each request gets the recorded set in one `reply.headers` — running helmet's
 * middleware per request (a dozen validated `setHeader` calls, the CSP checked each time) cost a
 * refused request about a third of its CPU under the benchmark.
 *
 * The API's JSON answers (`/api/…` but its docs under `/api/docs`, `/health`, `/ready`) get the
 * set OWASP's REST Security Cheat Sheet gives for API responses — `Cache-Control: no-store`,
 * `Content-Security-Policy: frame-ancestors 'none'` (and `default-src 'none'`: an answer opened
 * in a tab loads nothing), `Strict-Transport-Security`, `X-Content-Type-Options: nosniff`,
 * `X-Frame-Options: DENY` — plus `Cross-Origin-Resource-Policy: same-origin` (another site's
 * page cannot pull an answer into its process with `<img>` or `<script>`) and `Referrer-Policy:
 * no-referrer`. The rest of helmet's set only means something to an HTML page; on every API
 * answer it was ~560 bytes of headers to validate and send (a refused request cost ~15 % more
 * CPU with them, measured side by side). The reports (PDF, CSV) are downloads, never framed.
 *
 * Every `/api` answer says `Cache-Control: no-store` (the contract), the docs' too, and every
 * answer names its request id (`X-Request-Id`). Both are set here, with the rest, when the
 * request arrives: a hook per answer (onSend) cost every request a second pass through
 * Fastify's hooks. A route may still set its own (the docs' CSP and their files' caching, which
 * app.ts overrides in the docs' scope): a header set later wins. Answers given before a route
 * is found (`frameworkErrors`, plugins/errors.ts) set the same headers there: `securityHeaders`
 * is computed once, before Fastify is built, and given to both. The headers are tested in
 * test/http/basics.test.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

import { API_URL } from './errors.js';

/** The headers helmet sets with these options, as it sets them. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  const outcome: { error: Error | null } = { error: null };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) outcome.error = error instanceof Error ? error : new Error('helmet refused its options');
  });
  if (outcome.error) throw outcome.error;
  return Object.freeze(headers);
}

/**
 * An answer of the API, JSON for a program: `/api…` but the docs (their UI is a page, its
 * files and the document kept as they were), and exactly `/health` and `/ready` (a path below
 * them is the web app's page, and so is `/metrics` where it is not served: a page needs
 * helmet's set, under `default-src 'none'` it would render blank).
 */
export const API_ANSWER_URL = /^\/(?:api(?!\/docs(?:[/?]|$))(?:[/?]|$)|(?:health|ready)(?:\?|$))/;

/** The API's set: OWASP's headers for API responses (see above), HSTS as helmet gives it. */
export function apiHeaders(documentHeaders: Readonly<Record<string, string>>): Record<string, string> {
  const hsts = documentHeaders['strict-transport-security'];
  return Object.freeze({
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    ...(hsts ? { 'strict-transport-security': hsts } : {}),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
}

/** Which headers an answer to a URL carries (the request id aside). */
export type HeadersFor = (url: string) => Readonly<Record<string, string>>;

/** The two sets for these helmet options, computed once: an API answer's, the docs' (no-store too), a page's. */
export function securityHeaders(options: HelmetOptions): HeadersFor {
  const documents = helmetHeaders(options);
  const api = apiHeaders(documents);
  const docs = Object.freeze({ ...documents, 'cache-control': 'no-store' });
  return (url) => (API_ANSWER_URL.test(url) ? api : API_URL.test(url) ? docs : documents);
}

export const securityHeadersPlugin = fp<{ headersFor: HeadersFor }>(async function securityHeaders(
  app: FastifyInstance,
  { headersFor },
) {
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headersFor(request.url)).header('x-request-id', request.id);
    done();
  });
});
