import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { presentOrganization } from './presenter.js';
import { errors, Name, Nullable } from '../../schemas.js';
import { OrganizationSchema } from './contract.js';

export function organizationRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['organization'];
    const response = Type.Object({ organization: OrganizationSchema });

    app.get(
      '/api/organization',
      {
        schema: {
          tags,
          summary: 'The organization: plan, settings, limits and usage',
          response: { 200: response, ...errors(401, 403) },
        },
      },
      async (request) => ({
        organization: presentOrganization(await services.organizations.get(requireActor(request))),
      }),
    );

    app.patch(
      '/api/organization',
      {
        schema: {
          tags,
          summary: 'Rename the organization or change its settings (admin)',
          body: Type.Object(
            {
              name: Type.Optional(Name),
              settings: Type.Optional(
                Type.Object(
                  {
                    allowedDomains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 50 })),
                    maxAuditsPerMonth: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
                    auditRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
                    baseCurrency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
                    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
                    reminderLeadDays: Type.Optional(
                      Type.Array(Type.Integer({ minimum: 0, maximum: 365 }), { maxItems: 10 }),
                    ),
                    aiEnabled: Type.Optional(Type.Boolean()),
                    aiIncludePeopleNames: Type.Optional(Type.Boolean()),
                  },
                  { additionalProperties: false },
                ),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: response, ...errors(400, 401, 403, 409, 422) },
        },
      },
      async (request) => ({
        organization: presentOrganization(await services.organizations.update(requireActor(request), request.body)),
      }),
    );
  };
}
