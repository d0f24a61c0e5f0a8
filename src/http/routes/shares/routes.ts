/** Who an audit is shared with: visibility, the public link, per-person shares, people who may be mentioned. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../../config.js';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors, Id } from '../../schemas.js';
import { presentAnalysis } from '../audits/presenter.js';
import { AuditParams } from '../audits/contract.js';
import {
  Permission,
  PersonSchema,
  SharedAuditSchema,
  SharedParams,
  ShareSchema,
  UserShareSchema,
  Visibility,
} from './contract.js';
import { withoutPeople } from './presenter.js';
import { iso } from '../../present.js';

export function shareRoutes(services: Services, config: Config): FastifyPluginAsyncTypebox {
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
    const { shares } = services;

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
          params: SharedParams,
          response: {
            200: SharedAuditSchema,
            ...errors(404),
          },
        },
      },
      async (request) => {
        const { audit, analysis, today } = await shares.shared(request.params.shareToken);
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
          today,
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
  };
}
