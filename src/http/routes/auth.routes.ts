import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';

import type { Config } from '../../config.js';
import type { Authenticated } from '../../services/auth.service.js';
import type { Services } from '../../services/index.js';
import { clearSessionCookie, requestMeta, requireActor, setSessionCookie } from '../plugins/auth.js';
import { presentOrganization, presentUser } from '../presenters.js';
import { AuthResponse, Email, errors, Name, OrganizationSchema, Password, UserSchema, Nullable } from '../schemas.js';

/** After signup, login or accepting an invite: the session cookie, and `{user, organization, token}`. */
export async function authenticatedAnswer(
  reply: FastifyReply,
  services: Services,
  config: Config,
  result: Authenticated,
) {
  setSessionCookie(reply, config, result.token, result.expiresAt);
  const view = await services.organizations.viewOf(result.organization);
  return { user: presentUser(result.user), organization: presentOrganization(view), token: result.token };
}

export function authRoutes(services: Services, config: Config): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['auth'];

    app.post(
      '/api/auth/signup',
      {
        schema: {
          tags,
          summary: 'Create an account (and an organization, unless the email domain belongs to one)',
          body: Type.Object(
            {
              email: Email,
              password: Password,
              name: Name,
              organizationName: Type.Optional(Name),
            },
            { additionalProperties: false },
          ),
          response: { 201: AuthResponse, ...errors(400, 402, 409, 413, 415, 429) },
        },
      },
      async (request, reply) => {
        const result = await services.auth.signup(request.body, requestMeta(request));
        return reply.code(201).send(await authenticatedAnswer(reply, services, config, result));
      },
    );

    app.post(
      '/api/auth/login',
      {
        schema: {
          tags,
          summary: 'Log in: sets the sa_session cookie and returns the same token',
          body: Type.Object(
            {
              email: Type.String({ minLength: 1, maxLength: 255 }),
              password: Type.String({ minLength: 1, maxLength: 1024 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: AuthResponse, ...errors(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        const result = await services.auth.login(request.body, requestMeta(request));
        return authenticatedAnswer(reply, services, config, result);
      },
    );

    app.post(
      '/api/auth/logout',
      { schema: { tags, summary: 'End this session', response: { 204: Type.Null(), ...errors(401, 403) } } },
      async (request, reply) => {
        await services.auth.logout(requireActor(request));
        clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      {
        schema: {
          tags,
          summary: 'The logged-in user and their organization',
          response: { 200: Type.Object({ user: UserSchema, organization: OrganizationSchema }), ...errors(401) },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const view = await services.organizations.get(actor);
        return { user: presentUser(actor.user), organization: presentOrganization(view) };
      },
    );

    // For the web app: whether anyone is logged in, without a 401 (a browser logs every 4xx
    // answer as a console error, and "not logged in yet" is not one).
    app.get(
      '/api/auth/session',
      {
        schema: {
          tags,
          summary: 'The logged-in user and organization, or {user: null, organization: null}; never 401',
          response: {
            200: Type.Object({
              user: Nullable(UserSchema),
              organization: Nullable(OrganizationSchema),
            }),
          },
        },
      },
      async (request) => {
        if (!request.actor) return { user: null, organization: null };
        const view = await services.organizations.get(request.actor);
        return { user: presentUser(request.actor.user), organization: presentOrganization(view) };
      },
    );

    app.patch(
      '/api/auth/me',
      {
        schema: {
          tags,
          summary: 'Change name, email or password (a new password ends the other sessions)',
          body: Type.Object(
            {
              name: Type.Optional(Name),
              email: Type.Optional(Email),
              currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
              newPassword: Type.Optional(Password),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ user: UserSchema }), ...errors(400, 401, 403, 409) },
        },
      },
      async (request) => {
        const user = await services.auth.updateMe(requireActor(request), request.body);
        return { user: presentUser(user) };
      },
    );
  };
}
