import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../../../config.js';
import type { Services } from '../../../services/index.js';
import { requestMeta, requireActor } from '../../plugins/auth.js';
import { authenticatedAnswer } from '../auth/routes.js';
import { presentInvite } from './presenter.js';
import { presentUser } from '../auth/presenter.js';
import { Email, errors, Name, RoleSchema } from '../../schemas.js';
import { AuthResponse, UserSchema } from '../auth/contract.js';
import { InviteInfoSchema, InviteSchema, SentInviteSchema } from './contract.js';
import { UserIdParams, IdParams, TokenParams } from './contract.js';

export function teamRoutes(services: Services, config: Config): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['team'];

    app.get(
      '/api/team/members',
      {
        schema: {
          tags,
          summary: 'The members of the organization',
          response: {
            200: Type.Object({ items: Type.Array(UserSchema), nextCursor: Type.Null() }),
            ...errors(401, 403),
          },
        },
      },
      async (request) => {
        const members = await services.team.listMembers(requireActor(request));
        return { items: members.map(presentUser), nextCursor: null };
      },
    );

    app.patch(
      '/api/team/members/:userId',
      {
        schema: {
          tags,
          summary: "Change a member's role (admin); the last admin stays admin",
          params: UserIdParams,
          body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
          response: { 200: Type.Object({ user: UserSchema }), ...errors(400, 401, 403, 404, 422) },
        },
      },
      async (request) => ({
        user: presentUser(
          await services.team.changeRole(requireActor(request), request.params.userId, request.body.role),
        ),
      }),
    );

    app.delete(
      '/api/team/members/:userId',
      {
        schema: {
          tags,
          summary: 'Remove a member (admin): their sessions end',
          params: UserIdParams,
          response: { 204: Type.Null(), ...errors(401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        await services.team.removeMember(requireActor(request), request.params.userId);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/team/invites',
      {
        schema: {
          tags,
          summary: 'Invite someone by email (admin); acceptUrl is shown only here',
          body: Type.Object({ email: Email, role: RoleSchema }, { additionalProperties: false }),
          response: {
            201: SentInviteSchema,
            ...errors(400, 401, 402, 403, 409),
          },
        },
      },
      async (request, reply) => {
        const { invite, acceptUrl } = await services.team.createInvite(
          requireActor(request),
          request.body,
          requestMeta(request),
        );
        return reply.code(201).send({ invite: { ...presentInvite(invite), acceptUrl } });
      },
    );

    app.get(
      '/api/team/invites',
      {
        schema: {
          tags,
          summary: 'Pending invites (admin)',
          response: {
            200: Type.Object({ items: Type.Array(InviteSchema), nextCursor: Type.Null() }),
            ...errors(401, 403),
          },
        },
      },
      async (request) => ({
        items: (await services.team.listInvites(requireActor(request))).map(presentInvite),
        nextCursor: null,
      }),
    );

    app.delete(
      '/api/team/invites/:id',
      {
        schema: {
          tags,
          summary: 'Revoke a pending invite (admin)',
          params: IdParams,
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await services.team.revokeInvite(requireActor(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/invites/:token',
      {
        schema: {
          tags,
          summary: 'What an invite link is for (anyone with the link)',
          params: TokenParams,
          response: {
            200: InviteInfoSchema,
            ...errors(404, 410),
          },
        },
      },
      async (request) => {
        const { invite, organization } = await services.team.lookupInvite(request.params.token);
        return {
          organizationName: organization.name,
          email: invite.email,
          role: invite.role ?? 'member',
          expiresAt: invite.expiresAt.toISOString(),
        };
      },
    );

    app.post(
      '/api/invites/:token/accept',
      {
        schema: {
          tags,
          summary:
            'Accept an invite: a new account (name, password) or an existing one without organization (password)',
          params: TokenParams,
          body: Type.Optional(
            Type.Object(
              { name: Type.Optional(Name), password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })) },
              { additionalProperties: false },
            ),
          ),
          response: { 200: AuthResponse, ...errors(400, 401, 402, 403, 404, 409, 410, 429) },
        },
      },
      async (request, reply) => {
        const body = request.body ?? {};
        const result = await services.team.acceptInvite(
          request.params.token,
          { account: request.account, name: body.name, password: body.password },
          requestMeta(request),
        );
        return authenticatedAnswer(reply, services, config, result);
      },
    );
  };
}
