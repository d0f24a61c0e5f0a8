/** Threaded comments on an audit, and their reactions. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors, Id, pageQueryWith, Nullable } from '../../schemas.js';
import { AuditParams } from '../audits/contract.js';
import { CommentSchema, Content, Reactions, ThreadSchema } from './contract.js';
import { presentComment, presentThread } from './presenter.js';

export function commentRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['collaboration'];
    const { comments } = services;

    app.get(
      '/api/audits/:id/comments',
      {
        schema: {
          tags,
          summary: 'Comment threads of an audit, oldest first, with replies and reactions',
          params: AuditParams,
          querystring: pageQueryWith({}),
          response: {
            200: Type.Object({ items: Type.Array(ThreadSchema), nextCursor: Nullable(Type.String()) }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const page = await comments.list(requireActor(request), request.params.id, request.query);
        return { items: page.items.map(presentThread), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/api/audits/:id/comments',
      {
        schema: {
          tags,
          summary: 'Comment (or reply: parentId); @email and @"Full Name" mention people',
          params: AuditParams,
          body: Type.Object({ content: Content, parentId: Type.Optional(Id) }, { additionalProperties: false }),
          response: { 201: Type.Object({ comment: CommentSchema }), ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const view = await comments.add(requireActor(request), request.params.id, request.body);
        return reply.code(201).send({ comment: presentComment(view) });
      },
    );

    app.patch(
      '/api/comments/:id',
      {
        schema: {
          tags,
          summary: 'Edit your comment',
          params: AuditParams,
          body: Type.Object({ content: Content }, { additionalProperties: false }),
          response: { 200: Type.Object({ comment: CommentSchema }), ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        comment: presentComment(await comments.edit(requireActor(request), request.params.id, request.body.content)),
      }),
    );

    app.delete(
      '/api/comments/:id',
      {
        schema: {
          tags,
          summary: "Delete a comment (its author, or a manager of the audit); a thread's replies go with it",
          params: AuditParams,
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await comments.delete(requireActor(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/comments/:id/reactions',
      {
        schema: {
          tags,
          summary: 'React to a comment (the same reaction again changes nothing)',
          params: AuditParams,
          body: Type.Object(
            { reaction: Type.String({ minLength: 1, maxLength: 50 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ reactions: Reactions }),
            201: Type.Object({ reactions: Reactions }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const result = await comments.react(requireActor(request), request.params.id, request.body.reaction);
        return reply.code(result.created ? 201 : 200).send({ reactions: result.reactions });
      },
    );

    app.delete(
      '/api/comments/:id/reactions/:reaction',
      {
        schema: {
          tags,
          summary: 'Take back your reaction',
          params: Type.Object({ id: Id, reaction: Type.String({ minLength: 1, maxLength: 50 }) }),
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await comments.unreact(requireActor(request), request.params.id, request.params.reaction);
        return reply.code(204).send(null);
      },
    );
  };
}
