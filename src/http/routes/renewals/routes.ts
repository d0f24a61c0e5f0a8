/** Renewals: the page's list, the calendar feed's secret URL (admin), and the feed itself. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import type { Services } from '../../../services/index.js';
import { requestMeta, requireActor } from '../../plugins/auth.js';
import { iso } from '../../present.js';
import { errors } from '../../schemas.js';
import { CalendarFeedSchema, RenewalsQuery, RenewalsSchema } from './contract.js';

export function renewalRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['renewals'];

    app.get(
      '/api/renewals',
      {
        schema: {
          tags,
          summary:
            "Upcoming renewals (the next 400 days) of the latest audit the caller may view and of the organization's connected spend, by date",
          querystring: RenewalsQuery,
          response: { 200: RenewalsSchema, ...errors(400, 401, 403) },
        },
      },
      async (request) => services.renewals.list(requireActor(request), request.query),
    );

    app.get(
      '/api/organization/calendar-feed',
      {
        schema: {
          tags,
          summary: 'Whether the organization has a calendar feed (admin); its URL is shown only when made',
          response: { 200: CalendarFeedSchema, ...errors(401, 403) },
        },
      },
      async (request) => {
        const feed = await services.renewals.feed(requireActor(request));
        return { active: feed.active, createdAt: iso(feed.createdAt) };
      },
    );

    app.post(
      '/api/organization/calendar-feed',
      {
        schema: {
          tags,
          summary: 'A new secret calendar URL (.ics) for the renewals (admin); the previous URL stops working',
          response: { 201: CalendarFeedSchema, ...errors(401, 403) },
        },
      },
      async (request, reply) => {
        const feed = await services.renewals.replaceFeed(requireActor(request), requestMeta(request));
        return reply.code(201).send({ active: true, createdAt: iso(feed.createdAt), url: feed.url });
      },
    );

    app.delete(
      '/api/organization/calendar-feed',
      {
        schema: {
          tags,
          summary: 'Turn the calendar feed off (admin): its URL stops working',
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await services.renewals.deleteFeed(requireActor(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/calendar/:token.ics',
      {
        schema: {
          tags,
          summary:
            'The renewals as an iCalendar feed, for anyone with the secret URL (Google Calendar, Outlook, Apple Calendar subscribe to it)',
          params: Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) }),
          response: {
            200: {
              description: 'An iCalendar file: one all-day event per renewal and per cancel-by date',
              content: { 'text/calendar': { schema: { type: 'string' } } },
            },
            ...errors(400, 404),
          },
        },
      },
      async (request, reply) =>
        reply
          .header('Content-Type', 'text/calendar; charset=utf-8')
          .header('Content-Disposition', 'inline; filename="renewals.ics"')
          .send(await services.renewals.calendar(request.params.token)),
    );
  };
}
