import type { FastifyReply } from 'fastify';

import type { JsonText } from '../domain/json-text.js';

/** Answers with JSON text as it is (Fastify serialises objects, not strings with a JSON type). */
export function sendJson(reply: FastifyReply, body: JsonText): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}
