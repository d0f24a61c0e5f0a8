import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';

import type { Config } from '../../config.js';
import type { Services } from '../../services/index.js';
import type { CommentView, ThreadView } from '../../services/comment.service.js';
import { requireActor } from '../plugins/auth.js';
import { errors, Id, NullableTimestamp, pageQueryWith, Nullable } from '../schemas.js';
import { presentAnalysis } from './audits.routes.js';

const AuditParams = Type.Object({ id: Id });
const Visibility = Type.Union([Type.Literal('private'), Type.Literal('organization'), Type.Literal('public')]);
const Permission = Type.Union([Type.Literal('view'), Type.Literal('comment'), Type.Literal('edit')]);
const Reactions = Type.Array(
  Type.Object({ reaction: Type.String(), count: Type.Integer(), reactedByMe: Type.Boolean() }),
);
const commentFields = {
  id: Type.String(),
  auditId: Nullable(Type.String()),
  parentId: Nullable(Type.String()),
  content: Type.String({ description: 'Markdown, exactly as written: never rendered by the server' }),
  author: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  createdAt: NullableTimestamp,
  updatedAt: NullableTimestamp,
  edited: Type.Boolean(),
  reactions: Reactions,
};
const CommentSchema = Type.Object(commentFields);
const ThreadSchema = Type.Object({ ...commentFields, replies: Type.Array(CommentSchema) });
const ShareSchema = Type.Object({
  visibility: Visibility,
  shareToken: Nullable(Type.String()),
  shareUrl: Nullable(Type.String()),
});
const PersonSchema = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  email: Type.String(),
});
const UserShareSchema = Type.Object({ user: PersonSchema, permission: Type.String(), createdAt: NullableTimestamp });
const Content = Type.String({ minLength: 1, maxLength: 10_000 });

const iso = (d: Date | null) => d?.toISOString() ?? null;

function presentComment(view: CommentView) {
  const c = view.comment;
  return {
    id: c.id,
    auditId: c.auditId,
    parentId: c.parentId,
    content: c.content,
    author: c.userId ? { id: c.userId, name: view.authorName } : null,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    // Created and updated in one statement carry the same time; an edit moves updatedAt.
    edited: c.updatedAt !== null && c.createdAt !== null && c.updatedAt.getTime() !== c.createdAt.getTime(),
    reactions: view.reactions,
  };
}

// Object.assign, not a spread: see presentAudit in audits.routes.ts.
const presentThread = (thread: ThreadView) =>
  Object.assign(presentComment(thread), { replies: thread.replies.map(presentComment) });

export function collaborationRoutes(services: Services, config: Config): FastifyPluginAsyncTypebox {
  const origin = (request: FastifyRequest) => config.appUrl ?? `${request.protocol}://${request.host}`;
  const shareAnswer = (
    request: FastifyRequest,
    share: { visibility: 'private' | 'organization' | 'public'; shareToken: string | null },
  ) => ({
    ...share,
    shareUrl: share.shareToken ? `${origin(request)}/shared/${share.shareToken}` : null,
  });

  return async (app) => {
    const tags = ['collaboration'];
    const { comments, shares, activity } = services;

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
        const view = await comments.add(requireActor(request), request.params.id, request.body, origin(request));
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

    app.get(
      '/api/audits/:id/share',
      {
        schema: {
          tags,
          summary: 'Visibility (and, for managers of a public audit, its link)',
          params: AuditParams,
          response: { 200: ShareSchema, ...errors(401, 403, 404) },
        },
      },
      async (request) => shareAnswer(request, await shares.get(requireActor(request), request.params.id)),
    );

    app.put(
      '/api/audits/:id/share',
      {
        schema: {
          tags,
          summary: 'Set visibility: public makes a fresh link, leaving public kills it',
          params: AuditParams,
          body: Type.Object({ visibility: Visibility }, { additionalProperties: false }),
          response: { 200: ShareSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) =>
        shareAnswer(
          request,
          await shares.setVisibility(requireActor(request), request.params.id, request.body.visibility),
        ),
    );

    app.get(
      '/api/shared/:shareToken',
      {
        schema: {
          tags,
          summary: 'A public audit and its analysis, for anyone with the link (read-only)',
          params: Type.Object({ shareToken: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) }),
          response: {
            200: Type.Object({
              audit: Type.Object({
                id: Type.String(),
                name: Type.String(),
                status: Type.String(),
                stackData: Type.Unknown(),
                createdAt: NullableTimestamp,
                completedAt: NullableTimestamp,
              }),
              analysis: Type.Unknown(),
            }),
            ...errors(404),
          },
        },
      },
      async (request) => {
        const { audit, analysis } = await shares.shared(request.params.shareToken);
        return {
          audit: {
            id: audit.id,
            name: audit.name,
            status: audit.status ?? 'pending',
            stackData: withoutPeople(audit.stackData),
            createdAt: iso(audit.createdAt),
            completedAt: iso(audit.completedAt),
          },
          analysis: analysis ? presentAnalysis(analysis) : null,
        };
      },
    );

    app.get(
      '/api/audits/:id/user-shares',
      {
        schema: {
          tags,
          summary: 'Who the audit is shared with',
          params: AuditParams,
          response: {
            200: Type.Object({ items: Type.Array(UserShareSchema), nextCursor: Type.Null() }),
            ...errors(401, 403, 404),
          },
        },
      },
      async (request) => ({
        items: (await shares.listUserShares(requireActor(request), request.params.id)).map((s) => ({
          user: { id: s.user.id, name: s.user.name, email: s.user.email },
          permission: s.permission ?? 'view',
          createdAt: iso(s.createdAt),
        })),
        nextCursor: null,
      }),
    );

    app.post(
      '/api/audits/:id/user-shares',
      {
        schema: {
          tags,
          summary: 'Share with a person of the organization (again: change the permission)',
          params: AuditParams,
          body: Type.Union([
            Type.Object({ userId: Id, permission: Permission }, { additionalProperties: false }),
            Type.Object(
              { email: Type.String({ format: 'email', maxLength: 255 }), permission: Permission },
              { additionalProperties: false },
            ),
          ]),
          response: {
            200: Type.Object({ share: UserShareSchema }),
            201: Type.Object({ share: UserShareSchema }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const { share, created } = await shares.shareWithUser(
          requireActor(request),
          request.params.id,
          request.body,
          origin(request),
        );
        return reply.code(created ? 201 : 200).send({
          share: {
            user: { id: share.user.id, name: share.user.name, email: share.user.email },
            permission: share.permission ?? 'view',
            createdAt: iso(share.createdAt),
          },
        });
      },
    );

    app.delete(
      '/api/audits/:id/user-shares/:userId',
      {
        schema: {
          tags,
          summary: 'Stop sharing with a person',
          params: Type.Object({ id: Id, userId: Id }),
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await shares.unshare(requireActor(request), request.params.id, request.params.userId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/audits/:id/mentionable',
      {
        schema: {
          tags,
          summary: 'People who can see the audit, for @-mention autocomplete',
          params: AuditParams,
          querystring: Type.Object(
            { q: Type.Optional(Type.String({ maxLength: 255 })) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(PersonSchema), nextCursor: Type.Null() }),
            ...errors(401, 403, 404),
          },
        },
      },
      async (request) => ({
        items: (await shares.mentionable(requireActor(request), request.params.id, request.query.q)).map((u) => ({
          id: u.id,
          name: u.name,
          email: u.email,
        })),
        nextCursor: null,
      }),
    );

    app.get(
      '/api/activity',
      {
        schema: {
          tags,
          summary: 'The activity feed: audits you can see, and organization events for admins',
          querystring: pageQueryWith({ auditId: Type.Optional(Id) }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  action: Type.String(),
                  auditId: Nullable(Type.String()),
                  user: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
                  metadata: Type.Unknown(),
                  createdAt: NullableTimestamp,
                }),
              ),
              nextCursor: Nullable(Type.String()),
            }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const page = await activity.list(requireActor(request), request.query);
        return {
          items: page.items.map((a) => ({
            id: a.id,
            action: a.action,
            auditId: a.auditId,
            user: a.userId ? { id: a.userId, name: a.userName } : null,
            metadata: a.metadata ?? {},
            createdAt: iso(a.createdAt),
          })),
          nextCursor: page.nextCursor,
        };
      },
    );
  };
}

/** A public view carries no member data: tool owners (people's emails) are left out. */
function withoutPeople(stackData: unknown): unknown {
  if (stackData === null || typeof stackData !== 'object' || !Array.isArray((stackData as { tools?: unknown }).tools))
    return stackData;
  const stack = stackData as { tools: Record<string, unknown>[] };
  return { ...stack, tools: stack.tools.map(({ owner: _owner, ...tool }) => tool) };
}
