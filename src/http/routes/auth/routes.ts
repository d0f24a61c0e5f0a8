import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../../config.js';
import type { Authenticated } from '../../../services/auth.service.js';
import type { Services } from '../../../services/index.js';
import type { OrganizationRecord, UserView } from '../../../services/views.js';
import type { AccountSession } from '../../../services/actor.js';
import { clearSessionCookie, requestMeta, requireAccount, setSessionCookie } from '../../plugins/auth.js';
import { presentOrganization } from '../organization/presenter.js';
import { presentUser } from './presenter.js';
import { Email, errors, Name, Nullable, Password } from '../../schemas.js';
import { AcceptedResponse, AuthResponse, UserSchema } from './contract.js';
import { NullableOrganization } from '../organization/contract.js';
import { EmailedToken, CurrentAccount } from './contract.js';

/** `{user, organization}` as answers carry them (organization read fresh; null without one). */
async function accountAnswer(services: Services, user: UserView, organization: OrganizationRecord | null) {
  return {
    user: presentUser(user),
    organization: organization ? presentOrganization(await services.organizations.viewOf(organization)) : null,
  };
}

/** The logged-in account as /me and /session show it (the organization came with the session lookup). */
async function currentAccount(services: Services, account: AccountSession) {
  const { user, organization } = account;
  return {
    user: presentUser(user),
    organization: organization
      ? presentOrganization(await services.organizations.get({ ...account, organization }))
      : null,
  };
}

/** After signup, login, a password reset or accepting an invite: the session cookie, and `{user, organization, token}`. */
export async function authenticatedAnswer(
  reply: FastifyReply,
  services: Services,
  config: Config,
  result: Authenticated,
) {
  setSessionCookie(reply, config, result.token, result.expiresAt);
  return { ...(await accountAnswer(services, result.user, result.organization)), token: result.token };
}

export function authRoutes(services: Services, config: Config): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['auth'];

    app.post(
      '/api/auth/signup',
      {
        schema: {
          tags,
          summary: 'Create an account and send a verification email',
          description:
            'At an email domain no organization claims, the account gets an organization of its own and is its admin. ' +
            'At a claimed domain (an organization lists it in settings.allowedDomains) the account belongs to no ' +
            'organization (`organization: null`) until its email is verified, then joins that one as a member; ' +
            'meanwhile every organization route answers 403. Passwords: at least 12 characters.',
          body: Type.Object(
            {
              email: Email,
              password: Password,
              name: Name,
              organizationName: Type.Optional(Name),
            },
            { additionalProperties: false },
          ),
          response: { 201: AuthResponse, ...errors(400, 409, 413, 415, 429) },
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
          response: { 200: AuthResponse, ...errors(400, 401, 429) },
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
        await services.auth.logout(requireAccount(request));
        clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      {
        schema: {
          tags,
          summary: 'The logged-in user and their organization (null when they belong to none yet)',
          response: { 200: CurrentAccount, ...errors(401) },
        },
      },
      async (request) => currentAccount(services, requireAccount(request)),
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
            200: Type.Object({ user: Nullable(UserSchema), organization: NullableOrganization }),
          },
        },
      },
      async (request) =>
        request.account ? currentAccount(services, request.account) : { user: null, organization: null },
    );

    app.patch(
      '/api/auth/me',
      {
        schema: {
          tags,
          summary:
            'Change name, email or password (email and password need currentPassword; a new email is unverified until its link is used; a new password ends the other sessions)',
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
        const user = await services.auth.updateMe(requireAccount(request), request.body, requestMeta(request));
        return { user: presentUser(user) };
      },
    );

    app.post(
      '/api/auth/verify-email',
      {
        schema: {
          tags,
          summary: 'Verify the email address with the token of the emailed link APP_URL/verify-email/TOKEN',
          description:
            'Logged in as the account the link was sent for (401 otherwise, 403 for another account): the link ' +
            'proves someone reads the mailbox, the session that it is the account holder. Single use, valid 24 ' +
            'hours. An account waiting to join the organization that claims its domain joins it now (402 if that ' +
            'organization has no free seat; the link stays usable). 400 for a link we never sent, 410 token_used / ' +
            'token_expired.',
          body: Type.Object({ token: EmailedToken }, { additionalProperties: false }),
          response: { 200: CurrentAccount, ...errors(400, 401, 402, 403, 410, 429) },
        },
      },
      async (request) => {
        const { user, organization } = await services.auth.verifyEmail(
          requireAccount(request),
          request.body.token,
          requestMeta(request),
        );
        return accountAnswer(services, user, organization);
      },
    );

    app.post(
      '/api/auth/verify-email/resend',
      {
        schema: {
          tags,
          summary: 'Send a new verification link to the logged-in user (rate-limited); 409 when already verified',
          response: { 202: AcceptedResponse, ...errors(401, 403, 409, 429) },
        },
      },
      async (request, reply) => {
        const account = requireAccount(request);
        await services.auth.resendVerification(account, requestMeta(request));
        return reply.code(202).send({ message: `We sent a new link to ${account.user.email}.` });
      },
    );

    app.post(
      '/api/auth/password-reset',
      {
        schema: {
          tags,
          summary: 'Email a password reset link (APP_URL/reset-password/TOKEN, 1 hour) if the address has an account',
          description:
            'Always the same 202, whether or not the email has an account. Rate-limited per IP and per email.',
          body: Type.Object({ email: Email }, { additionalProperties: false }),
          response: { 202: AcceptedResponse, ...errors(400, 429) },
        },
      },
      async (request, reply) => {
        await services.auth.requestPasswordReset(request.body, requestMeta(request));
        return reply.code(202).send({
          message: 'If an account uses this email, we sent it a link to choose a new password. It works for one hour.',
        });
      },
    );

    app.post(
      '/api/auth/password-reset/:token',
      {
        schema: {
          tags,
          summary: "Set a new password with a reset link's token; ends every session of the user and logs in",
          description:
            'The user is told by email. Single use. 400 for a link we never sent, 410 token_used / token_expired.',
          params: Type.Object({ token: EmailedToken }),
          body: Type.Object({ password: Password }, { additionalProperties: false }),
          response: { 200: AuthResponse, ...errors(400, 410, 429) },
        },
      },
      async (request, reply) => {
        const result = await services.auth.resetPassword(request.params.token, request.body, requestMeta(request));
        return authenticatedAnswer(reply, services, config, result);
      },
    );
  };
}
