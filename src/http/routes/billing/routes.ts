import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors } from '../../schemas.js';
import { BillingSchema, UrlResponse } from './contract.js';

export function billingRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['billing'];

    app.get(
      '/api/billing',
      {
        schema: {
          tags,
          summary: 'The plan, its subscription, limits and usage, and the plans on offer',
          response: {
            200: BillingSchema,
            ...errors(401, 403),
          },
        },
      },
      async (request) => {
        const view = await services.billing.get(requireActor(request));
        return { ...view, currentPeriodEnd: view.currentPeriodEnd?.toISOString() ?? null };
      },
    );

    app.post(
      '/api/billing/checkout',
      {
        schema: {
          tags,
          summary: 'A Stripe Checkout URL for a plan (admin); 503 billing_disabled without Stripe keys',
          body: Type.Object({ plan: Type.String({ maxLength: 50 }) }, { additionalProperties: false }),
          response: { 200: UrlResponse, ...errors(400, 401, 403, 409, 503) },
        },
      },
      async (request) => services.billing.checkout(requireActor(request), request.body.plan),
    );

    app.post(
      '/api/billing/portal',
      {
        schema: {
          tags,
          summary: 'A Stripe customer portal URL (admin); 422 no_billing_account before the first subscription',
          response: { 200: UrlResponse, ...errors(401, 403, 422, 503) },
        },
      },
      async (request) => services.billing.portal(requireActor(request)),
    );

    // The webhook reads its body raw: the signature is over the exact bytes Stripe sent.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      raw.post(
        '/api/billing/webhook',
        {
          schema: {
            tags,
            summary: 'Stripe events (Stripe-Signature verified against the raw body); each event id applied once',
            response: {
              200: Type.Object({
                received: Type.Boolean(),
                outcome: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('ignored')]),
              }),
              ...errors(400, 503),
            },
          },
        },
        async (request) => {
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const signature = request.headers['stripe-signature'];
          const { outcome, event } = await services.billing.handleWebhook(
            body,
            typeof signature === 'string' ? signature : undefined,
          );
          request.log.info({ stripeEvent: event.id, type: event.type, outcome }, 'stripe webhook');
          return { received: true, outcome };
        },
      );
    });
  };
}
