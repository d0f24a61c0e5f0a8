import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors, Id, PageQuery } from '../../schemas.js';
import { Preferences, PreferencesPatch, NotificationPageSchema } from './contract.js';

export function meRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['me'];

    app.get(
      '/api/me/notification-preferences',
      {
        schema: {
          tags,
          summary: 'Your notification preferences (all on by default)',
          response: { 200: Preferences, ...errors(401, 403) },
        },
      },
      async (request) => services.me.preferences(requireActor(request)),
    );

    app.put(
      '/api/me/notification-preferences',
      {
        schema: {
          tags,
          summary: 'Change some or all of your notification preferences',
          body: PreferencesPatch,
          response: { 200: Preferences, ...errors(400, 401, 403) },
        },
      },
      async (request) => services.me.updatePreferences(requireActor(request), request.body),
    );

    app.get(
      '/api/me/notifications',
      {
        schema: {
          tags,
          summary: 'Your in-app notifications, newest first, with the unread count',
          querystring: PageQuery,
          response: {
            200: NotificationPageSchema,
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const page = await services.me.notifications(requireActor(request), request.query);
        return {
          items: page.items.map((n) => ({
            id: n.id,
            type: n.type,
            auditId: n.auditId,
            commentId: n.commentId,
            actor: n.actorId ? { id: n.actorId, name: n.actorName } : null,
            text: n.text,
            readAt: n.readAt?.toISOString() ?? null,
            createdAt: n.createdAt.toISOString(),
          })),
          nextCursor: page.nextCursor,
          unreadCount: page.unreadCount,
        };
      },
    );

    app.post(
      '/api/me/notifications/read',
      {
        schema: {
          tags,
          summary: 'Mark the given notifications read, or all of them when no ids are given',
          body: Type.Optional(
            Type.Object({ ids: Type.Optional(Type.Array(Id, { maxItems: 500 })) }, { additionalProperties: false }),
          ),
          response: { 204: Type.Null(), ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        await services.me.markRead(requireActor(request), request.body?.ids);
        return reply.code(204).send(null);
      },
    );
  };
}
