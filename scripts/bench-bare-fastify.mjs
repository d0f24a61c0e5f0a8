/**
 * The HTTP floor of `npm run bench`: a bare Fastify 5 server (no plugins, hooks or logger)
 * answering GET /api/audits with the same 401 body StackAudit gives a request without a
 * session. What StackAudit spends above this on a refused request is its own HTTP stack.
 * Plain JavaScript, run by node itself (no TypeScript loader in the measured process).
 *
 * GET /api/audits/with-headers answers the same 401 with the headers StackAudit's answer
 * carries (BARE_HEADERS, as a query string: the benchmark reads them from StackAudit's own 401) and a fresh
 * X-Request-Id, set in the handler in one `reply.headers`: the cheapest way Fastify has to send
 * them. The difference between the two floors is what those headers cost.
 */
import { randomUUID } from 'node:crypto';
import process from 'node:process';
import { URLSearchParams } from 'node:url';

import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = JSON.stringify({
  error: { code: 'unauthenticated', message: 'Log in to do this.' },
});
app.get('/api/audits', (_request, reply) => {
  void reply.code(401).header('content-type', 'application/json; charset=utf-8').send(body);
});
const headers = Object.freeze(Object.fromEntries(new URLSearchParams(process.env.BARE_HEADERS ?? '')));
app.get('/api/audits/with-headers', (_request, reply) => {
  void reply
    .code(401)
    .headers(headers)
    .header('x-request-id', randomUUID())
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
