import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors } from '../../schemas.js';
import { AppUsageSchema, ConsentUrl, IntegrationSchema, OktaConnectBody, Provider } from './contract.js';
import { present } from './presenter.js';

export function integrationRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['integrations'];

    app.get(
      '/api/integrations',
      {
        schema: {
          tags,
          summary: 'QuickBooks, Xero and Stripe connections with their sync status (admin); never tokens',
          response: {
            200: Type.Object({ items: Type.Array(IntegrationSchema), nextCursor: Type.Null() }),
            ...errors(401, 403),
          },
        },
      },
      async (request) => ({
        items: (await services.integrations.list(requireActor(request))).map(present),
        nextCursor: null,
      }),
    );

    app.post(
      '/api/integrations/:provider/connect',
      {
        schema: {
          tags,
          summary:
            'quickbooks, xero, google, microsoft: the provider’s consent URL (state bound to this session, PKCE); stripe: {apiKey} (a restricted, read-only key); okta: {orgUrl, apiToken} (a read-only administrator’s API token)',
          params: Provider,
          body: Type.Object(
            {
              apiKey: Type.Optional(Type.String({ maxLength: 255 })),
              orgUrl: Type.Optional(OktaConnectBody.properties.orgUrl),
              apiToken: Type.Optional(Type.String({ maxLength: 255 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: ConsentUrl,
            201: Type.Object({ integration: IntegrationSchema }),
            ...errors(400, 401, 403, 404, 503),
          },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        if (request.params.provider === 'stripe') {
          const integration = await services.integrations.connectStripe(actor, request.body.apiKey ?? '');
          return reply.code(201).send({ integration: present(integration) });
        }
        if (request.params.provider === 'okta') {
          const integration = await services.integrations.connectOkta(actor, {
            orgUrl: request.body.orgUrl ?? '',
            apiToken: request.body.apiToken ?? '',
          });
          return reply.code(201).send({ integration: present(integration) });
        }
        return services.integrations.connect(actor, request.params.provider);
      },
    );

    app.get(
      '/api/integrations/:provider/callback',
      {
        schema: {
          tags,
          summary: 'Where the provider sends the browser back: stores the tokens encrypted, redirects to the web app',
          params: Provider,
          querystring: Type.Object(
            {
              code: Type.Optional(Type.String({ maxLength: 2000 })),
              state: Type.Optional(Type.String({ maxLength: 200 })),
              realmId: Type.Optional(Type.String({ maxLength: 100 })),
              error: Type.Optional(Type.String({ maxLength: 200 })),
              error_description: Type.Optional(Type.String({ maxLength: 2000 })),
            },
            // Providers add parameters of their own (scope, iss, …).
            { additionalProperties: true },
          ),
          response: { 302: Type.Null(), ...errors(404) },
        },
      },
      async (request, reply) => {
        const location = await services.integrations.callback(
          request.actor,
          request.params.provider,
          request.query,
          request.log,
        );
        return reply.redirect(location, 302);
      },
    );

    app.get(
      '/api/usage',
      {
        schema: {
          tags,
          summary:
            'Apps the connected identity providers report, with seats and people active; those no recent audit lists are discovered (shadow IT)',
          response: {
            200: Type.Object({ items: Type.Array(AppUsageSchema), nextCursor: Type.Null() }),
            ...errors(401, 403),
          },
        },
      },
      async (request) => ({
        items: (await services.integrations.usage(requireActor(request))).map((u) => ({
          ...u,
          syncedAt: u.syncedAt.toISOString(),
        })),
        nextCursor: null,
      }),
    );

    app.post(
      '/api/integrations/:provider/sync',
      {
        schema: {
          tags,
          summary: 'Queue a sync of the connection (admin); 202',
          params: Provider,
          response: { 202: Type.Object({ integration: IntegrationSchema }), ...errors(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const integration = await services.integrations.requestSync(requireActor(request), request.params.provider);
        return reply.code(202).send({ integration: present(integration) });
      },
    );

    app.delete(
      '/api/integrations/:provider',
      {
        schema: {
          tags,
          summary: 'Disconnect: revoke at the provider, delete the tokens (admin); imported costs stay',
          params: Provider,
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await services.integrations.disconnect(requireActor(request), request.params.provider, request.log);
        return reply.code(204).send(null);
      },
    );
  };
}
