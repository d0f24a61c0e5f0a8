/** Accepting recommendations, and the savings the books show for them. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors, Id } from '../../schemas.js';
import { AuditParams } from '../audits/contract.js';
import { AcceptanceSchema, AcceptBody, SavingsSchema } from './contract.js';
import { presentAcceptance, presentSavings } from './presenter.js';

export function savingsRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['savings'];

    app.get(
      '/api/savings',
      {
        schema: {
          tags,
          summary: "The organization's accepted recommendations: the saving expected against the saving seen",
          response: { 200: SavingsSchema, ...errors(401, 403) },
        },
      },
      async (request) => presentSavings(await services.savings.overview(requireActor(request))),
    );

    app.get(
      '/api/audits/:id/acceptances',
      {
        schema: {
          tags,
          summary: "An audit's accepted recommendations, each with what the books show (view access)",
          params: AuditParams,
          response: { 200: SavingsSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => presentSavings(await services.savings.forAudit(requireActor(request), request.params.id)),
    );

    app.post(
      '/api/audits/:id/acceptances',
      {
        schema: {
          tags,
          summary: 'Accept a recommendation of the latest analysis, by its type and tools (edit access)',
          params: AuditParams,
          body: AcceptBody,
          response: { 201: Type.Object({ acceptance: AcceptanceSchema }), ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const view = await services.savings.accept(requireActor(request), request.params.id, request.body);
        return reply.code(201).send({ acceptance: presentAcceptance(view) });
      },
    );

    app.delete(
      '/api/audits/:id/acceptances/:acceptanceId',
      {
        schema: {
          tags,
          summary: 'Withdraw an acceptance (edit access)',
          params: Type.Object({ id: Id, acceptanceId: Id }),
          response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await services.savings.withdraw(requireActor(request), request.params.id, request.params.acceptanceId);
        return reply.code(204).send(null);
      },
    );
  };
}
