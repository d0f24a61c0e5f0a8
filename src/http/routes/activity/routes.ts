/** The activity feed. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors, Id, pageQueryWith, Nullable } from '../../schemas.js';

import { iso } from '../../present.js';
import { ActivitySchema } from './contract.js';

export function activityRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['collaboration'];
    const { activity } = services;

    app.get(
      '/api/activity',
      {
        schema: {
          tags,
          summary: 'The activity feed: audits you can see, and organization events for admins',
          querystring: pageQueryWith({ auditId: Type.Optional(Id) }),
          response: {
            200: Type.Object({
              items: Type.Array(ActivitySchema),
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
            auditName: a.auditName,
            user: a.userId ? { id: a.userId, name: a.userName } : null,
            subjectName: a.subjectName,
            metadata: a.metadata ?? {},
            createdAt: iso(a.createdAt),
          })),
          nextCursor: page.nextCursor,
        };
      },
    );
  };
}
