import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { CurrencyCode, Day } from '../../../domain/analysis/stack.js';
import { MAX_AMOUNT } from '../../../domain/money.js';
import type { ColumnMapping } from '../../../domain/statements/layouts.js';
import { AppError, ValidationError } from '../../../errors.js';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors, Id, pageQueryWith, Nullable } from '../../schemas.js';
import { MIN_RATE, Review, ToolCostSchema, MappingSchema, RatesSchema } from './contract.js';
import { presentToolCost, presentRates } from './presenter.js';

const MAX_STATEMENT_BYTES = 1024 * 1024;

/** `?mapping=` is JSON in the query string: parsed and checked here, a 400 naming the problem. */
function parseMapping(text: string | undefined): ColumnMapping | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('mapping is not JSON.', [{ field: 'querystring.mapping', message: 'is not JSON' }]);
  }
  if (!Value.Check(MappingSchema, value)) {
    const first = [...Value.Errors(MappingSchema, value)][0];
    throw new ValidationError('mapping is not valid.', [
      {
        field: `querystring.mapping${first?.instancePath.replaceAll('/', '.') ?? ''}`,
        message: first?.message ?? 'is not valid',
      },
    ]);
  }
  return value;
}

export function spendRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['tool costs'];
    await app.register(multipart, { limits: { fileSize: MAX_STATEMENT_BYTES, files: 1, fields: 5 } });

    app.get(
      '/api/tool-costs',
      {
        schema: {
          tags,
          summary: 'Imported and manual cost lines, newest first',
          querystring: pageQueryWith({
            source: Type.Optional(Type.String({ maxLength: 100 })),
            review: Type.Optional(Review),
            from: Type.Optional(Day),
            to: Type.Optional(Day),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(ToolCostSchema),
              nextCursor: Nullable(Type.String()),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const page = await services.spend.list(requireActor(request), request.query);
        return { items: page.items.map(presentToolCost), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/api/tool-costs',
      {
        schema: {
          tags,
          summary: 'A manual cost line (admin, member); a negative amount is a refund',
          body: Type.Object(
            {
              toolName: Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' }),
              vendor: Type.Optional(Type.String({ maxLength: 255 })),
              amount: Type.Number({ minimum: -MAX_AMOUNT, maximum: MAX_AMOUNT }),
              currency: Type.Optional(CurrencyCode),
              billingPeriodStart: Type.Optional(Day),
              billingPeriodEnd: Type.Optional(Day),
              notes: Type.Optional(Type.String({ maxLength: 2000 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ toolCost: ToolCostSchema }), ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const line = await services.spend.create(requireActor(request), request.body);
        return reply.code(201).send({ toolCost: presentToolCost(line) });
      },
    );

    app.patch(
      '/api/tool-costs/:id',
      {
        schema: {
          tags,
          summary: 'Correct a cost line: its tool, amount, currency or period (admin, member)',
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              toolName: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' })),
              vendor: Type.Optional(Type.String({ maxLength: 255 })),
              amount: Type.Optional(Type.Number({ minimum: -MAX_AMOUNT, maximum: MAX_AMOUNT })),
              currency: Type.Optional(CurrencyCode),
              billingPeriodStart: Type.Optional(Day),
              billingPeriodEnd: Type.Optional(Day),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Type.Object({ toolCost: ToolCostSchema }), ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        toolCost: presentToolCost(await services.spend.update(requireActor(request), request.params.id, request.body)),
      }),
    );

    app.delete(
      '/api/tool-costs/:id',
      {
        schema: {
          tags,
          summary: 'Delete a cost line (admin, member)',
          params: Type.Object({ id: Id }),
          response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await services.spend.remove(requireActor(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/tool-costs/:id/review',
      {
        schema: {
          tags,
          summary: 'Decide an unreviewed charge: software (as which tool) or not; remembered for its merchant',
          description:
            "Applies to every unreviewed line of the same merchant at once, and to later imports and syncs (the organization's vendor rule).",
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              decision: Type.Union([Type.Literal('software'), Type.Literal('not_software')]),
              toolName: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' })),
              vendor: Type.Optional(Type.String({ maxLength: 255 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              decided: Type.Integer({ description: 'lines of this merchant decided' }),
              merchantKey: Type.String({ description: 'what later charges are recognised by' }),
            }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => services.spend.review(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/api/tool-costs/import',
      {
        schema: {
          tags,
          summary:
            'A card or bank statement (text/csv body, or a multipart file): software charges become cost lines; re-importing adds nothing',
          description:
            'Recognised layouts: Chase (card, checking), American Express, Revolut, Wise, Schwab, and any export with date, description and amount columns. `mapping` (JSON) names the columns of another layout: {"date","description","amount"|"debit"+"credit","currency","dateOrder":"YMD|MDY|DMY","spend":"negative|positive"}. `currency` is the currency of rows that do not say (default: the base currency).',
          consumes: ['text/csv', 'multipart/form-data'],
          querystring: Type.Object(
            { mapping: Type.Optional(Type.String({ maxLength: 2000 })), currency: Type.Optional(CurrencyCode) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              layout: Type.String(),
              imported: Type.Integer({ description: 'new software cost lines' }),
              unreviewed: Type.Integer({ description: 'new charges kept for review (not recognised as software yet)' }),
              skipped: Type.Integer(),
              duplicates: Type.Integer(),
              recognized: Type.Array(
                Type.Object({
                  toolName: Type.String(),
                  vendor: Type.String(),
                  amount: Type.Number(),
                  currency: Type.String(),
                  date: Type.String(),
                }),
              ),
              unrecognized: Type.Array(
                Type.Object({ description: Type.String(), amount: Type.Number(), date: Type.String() }),
              ),
            }),
            ...errors(400, 401, 403, 413, 415),
          },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        let text: string;
        if (request.isMultipart()) {
          const file = await request.file();
          if (!file) throw new ValidationError('No file in the form.', [{ field: 'body.file', message: 'is missing' }]);
          const buffer = await file.toBuffer();
          if (file.file.truncated) throw new AppError(413, 'payload_too_large', 'The file is larger than 1 MiB.');
          text = buffer.toString('utf8');
        } else if (typeof request.body === 'string') {
          text = request.body;
        } else {
          throw new AppError(415, 'unsupported_media_type', 'Send the statement as text/csv or as a multipart file.');
        }
        return services.spend.importStatement(actor, text, {
          mapping: parseMapping(request.query.mapping),
          currency: request.query.currency,
        });
      },
    );

    app.get(
      '/api/tool-costs/summary',
      {
        schema: {
          tags,
          summary: 'Spend by tool and by month in the base currency (each tool’s price history)',
          querystring: Type.Object(
            { from: Type.Optional(Day), to: Type.Optional(Day) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              currency: Type.String(),
              byTool: Type.Array(
                Type.Object({
                  toolName: Type.String(),
                  total: Type.Number(),
                  months: Type.Array(Type.Object({ month: Type.String(), amount: Type.Number() })),
                }),
              ),
              byMonth: Type.Array(Type.Object({ month: Type.String(), total: Type.Number() })),
              missingRates: Type.Array(Type.String(), {
                description: 'currencies left out of the totals: no exchange rate for them',
              }),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => services.spend.summary(requireActor(request), request.query),
    );

    app.get(
      '/api/organization/exchange-rates',
      {
        schema: {
          tags: ['organization'],
          summary: 'Exchange rates: 1 unit of currency = rate units of the base currency',
          response: { 200: RatesSchema, ...errors(401, 403) },
        },
      },
      async (request) => presentRates(await services.spend.exchangeRates(requireActor(request))),
    );

    app.put(
      '/api/organization/exchange-rates',
      {
        schema: {
          tags: ['organization'],
          summary: 'Replace the exchange rates (admin)',
          body: Type.Object(
            {
              rates: Type.Array(
                Type.Object(
                  {
                    currency: CurrencyCode,
                    // The rate column keeps 10 decimals: anything smaller would be stored as 0.
                    rate: Type.Number({ minimum: MIN_RATE, maximum: 1e9 }),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 200 },
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: RatesSchema, ...errors(400, 401, 403) },
        },
      },
      async (request) =>
        presentRates(await services.spend.replaceExchangeRates(requireActor(request), request.body.rates)),
    );
  };
}
