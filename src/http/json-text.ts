import type { FastifyReply } from 'fastify';

import type { JsonText } from '../domain/json-text.js';

/**
 * An object as JSON, with some fields whose values are JSON text already (stored documents,
 * db/json-text.ts, or another jsonWith) spliced in unparsed; null stands for JSON null.
 * Routes that answer with it send a string, which Fastify does not serialise again: the
 * route's response schema still documents the answer, and its tests validate against it.
 */
export function jsonWith(fields: Record<string, unknown>, json: Record<string, JsonText | null>): JsonText {
  const shell = JSON.stringify(fields);
  const spliced = Object.entries(json).map(([key, text]) => `${JSON.stringify(key)}:${text ?? 'null'}`);
  if (spliced.length === 0) return shell as JsonText;
  return (shell === '{}' ? `{${spliced.join(',')}}` : `${shell.slice(0, -1)},${spliced.join(',')}}`) as JsonText;
}

/** Answers with JSON text as it is (Fastify serialises objects, not strings with a JSON type). */
export function sendJson(reply: FastifyReply, body: JsonText): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}
