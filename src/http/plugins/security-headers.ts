/**
 * Security headers on every answer, by helmet. Its headers depend only on its options (no
 * nonces), so helmet runs once at start-up against a recorder, and each request gets the
 * recorded set in one `reply.headers` — running helmet's middleware per request (a dozen
 * validated `setHeader` calls, the CSP checked each time) cost a refused request about a
 * third of its CPU under the benchmark. A route may still set its own (the docs' CSP): a
 * header set later wins, as before. The headers are tested in test/http/basics.test.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

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

export const securityHeadersPlugin = fp<{ options: HelmetOptions }>(async function securityHeaders(
  app: FastifyInstance,
  { options },
) {
  const headers = helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
});
