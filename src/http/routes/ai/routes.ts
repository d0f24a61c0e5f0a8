/**
 * AI over an audit (services/ai.service.ts): whether it is on, the narrative of the latest
 * analysis, and questions answered as a stream of server-sent events.
 */
import { Readable } from 'node:stream';

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';

import type { Answer, AnswerEvent } from '../../../services/ai.service.js';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors } from '../../schemas.js';
import { AuditParams } from '../audits/contract.js';
import {
  AiStatusSchema,
  AnswerDeltaSchema,
  AnswerDoneSchema,
  AnswerErrorSchema,
  NarrativeSchema,
  QuestionBody,
} from './contract.js';
import { presentNarrative, serverSentEvents } from './presenter.js';

/** An answer's events as a text/event-stream body (the reply untyped: its schema describes the events, not a stream). */
function stream(reply: FastifyReply, events: AsyncIterable<AnswerEvent>) {
  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-accel-buffering', 'no')
    .send(Readable.from(serverSentEvents(events)));
}

export function aiRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['ai'];

    app.get(
      '/api/ai',
      {
        schema: {
          tags,
          summary: "Whether this server has an AI model and the organization uses it; today's tokens (admins)",
          response: { 200: AiStatusSchema, ...errors(401, 403) },
        },
      },
      async (request) => services.ai.status(requireActor(request)),
    );

    app.get(
      '/api/audits/:id/narrative',
      {
        schema: {
          tags,
          summary:
            "The AI narrative of the audit's latest analysis: summary and plan, every figure the engine's (view access)",
          params: AuditParams,
          response: { 200: NarrativeSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => presentNarrative(await services.ai.narrative(requireActor(request), request.params.id)),
    );

    app.post(
      '/api/audits/:id/questions',
      {
        schema: {
          tags,
          summary:
            'Ask about the audit (members with view access): the answer streams as server-sent events, its figures the engine’s; rate-limited and within the daily token budget per organization',
          params: AuditParams,
          body: QuestionBody,
          response: {
            200: {
              description:
                'text/event-stream: `delta` events {parts} as the answer is written, then `done` {citations, removedNumbers, tokens} or `error` {error}',
              content: {
                'text/event-stream': {
                  schema: { oneOf: [AnswerDeltaSchema, AnswerDoneSchema, AnswerErrorSchema] },
                },
              },
            },
            ...errors(400, 401, 403, 404, 422, 429, 503),
          },
        },
      },
      async (request, reply) => {
        // A reader that goes away stops the model's answer (and its tokens).
        const stop = new AbortController();
        let answer: Answer | null = null;
        reply.raw.on('close', () => {
          if (reply.raw.writableFinished) return;
          stop.abort();
          void answer?.cancel();
        });
        answer = await services.ai.ask(requireActor(request), request.params.id, request.body.question, stop.signal);
        // Gone meanwhile (or before this handler listened): nothing is asked.
        if (stop.signal.aborted || reply.raw.destroyed) {
          stop.abort();
          await answer.cancel();
          return reply;
        }
        return stream(reply, answer.events);
      },
    );
  };
}
