/**
 * Security headers on every answer, by helmet, whose middleware is built once here.
 * @fastify/helmet built it anew for every request (helmet(options) parses and checks the
 * Content-Security-Policy directives each time): 5–10 % of the server's CPU on a cheap
 * request, profiled under the benchmark. The headers are the same (test/http/basics.test.ts).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

export const securityHeadersPlugin = fp<{ options: HelmetOptions }>(async function securityHeaders(
  app: FastifyInstance,
  { options },
) {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => apply(request.raw, reply.raw, (error) => done(error as Error)));
});
