import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { StackDataSchema } from '../../../domain/analysis/stack.js';
import type { Services } from '../../../services/index.js';
import type { JsonText } from '../../../domain/json-text.js';
import { sendJson } from '../../json-text.js';
import { requireActor } from '../../plugins/auth.js';
import { errors, Id, NullableTimestamp, pageQueryWith } from '../../schemas.js';
import {
  AuditDetailSchema,
  AuditListSchema,
  AuditName,
  AuditParams,
  AuditSchema,
  CatalogItemSchema,
  Status,
} from './contract.js';
import { presentAudit } from './presenter.js';

export function auditRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['audits'];

    app.get(
      '/api/audits',
      {
        schema: {
          tags,
          summary: 'Audits, newest first, without their stack data',
          querystring: pageQueryWith({ status: Type.Optional(Status) }),
          response: { 200: AuditListSchema, ...errors(400, 401, 403) },
        },
      },
      // PostgreSQL writes the items (db/json-text.ts), in the shape of AuditListItemSchema.
      async (request, reply) => {
        const page = await services.audits.list(requireActor(request), request.query);
        return sendJson(reply, `{"items":${page.items},"nextCursor":${JSON.stringify(page.nextCursor)}}` as JsonText);
      },
    );

    app.post(
      '/api/audits',
      {
        schema: {
          tags,
          summary: 'Create an audit; its analysis runs in the background',
          body: Type.Object({ name: AuditName, stackData: StackDataSchema }, { additionalProperties: false }),
          response: { 201: Type.Object({ audit: AuditSchema }), ...errors(400, 401, 402, 403, 413, 415) },
        },
      },
      async (request, reply) => {
        const audit = await services.audits.create(requireActor(request), request.body);
        return reply.code(201).send({ audit: { ...presentAudit(audit), stackData: audit.stackData } });
      },
    );

    app.get(
      '/api/audits/:id',
      {
        schema: {
          tags,
          summary: 'An audit and its latest completed analysis (null until one completes)',
          params: AuditParams,
          response: { 200: AuditDetailSchema, ...errors(401, 403, 404) },
        },
      },
      // PostgreSQL writes the whole answer (db/json-text.ts), in the shape of AuditDetailSchema:
      // sent as it comes.
      async (request, reply) => sendJson(reply, await services.audits.page(requireActor(request), request.params.id)),
    );

    app.patch(
      '/api/audits/:id',
      {
        schema: {
          tags,
          summary: 'Rename an audit or replace its stack data (which queues a fresh analysis)',
          params: AuditParams,
          body: Type.Object(
            { name: Type.Optional(AuditName), stackData: Type.Optional(StackDataSchema) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Type.Object({ audit: AuditSchema }), ...errors(400, 401, 403, 404, 413) },
        },
      },
      async (request) => {
        const audit = await services.audits.update(requireActor(request), request.params.id, request.body);
        return { audit: { ...presentAudit(audit), stackData: audit.stackData } };
      },
    );

    app.delete(
      '/api/audits/:id',
      {
        schema: {
          tags,
          summary: 'Delete an audit with its analyses, comments and shares',
          params: AuditParams,
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await services.audits.delete(requireActor(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/audits/:id/analyze',
      {
        schema: {
          tags,
          summary: 'Queue a fresh analysis',
          params: AuditParams,
          response: { 202: Type.Object({ audit: AuditSchema }), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const audit = await services.audits.analyze(requireActor(request), request.params.id);
        return reply.code(202).send({ audit: { ...presentAudit(audit), stackData: audit.stackData } });
      },
    );

    app.get(
      '/api/audits/:id/diff',
      {
        schema: {
          tags,
          summary: "What changed since another audit (default: the organization's previous one)",
          params: AuditParams,
          querystring: Type.Object({ against: Type.Optional(Id) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              from: Type.Object({ id: Type.String(), name: Type.String(), createdAt: NullableTimestamp }),
              to: Type.Object({ id: Type.String(), name: Type.String(), createdAt: NullableTimestamp }),
              toolsAdded: Type.Array(Type.String()),
              toolsRemoved: Type.Array(Type.String()),
              changed: Type.Array(
                Type.Object({
                  name: Type.String(),
                  field: Type.String(),
                  before: Type.Unknown(),
                  after: Type.Unknown(),
                }),
              ),
              totalMonthlyCostChange: Type.Number(),
            }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request) => services.audits.diff(requireActor(request), request.params.id, request.query.against),
    );

    app.post(
      '/api/audits/import',
      {
        schema: {
          tags,
          summary: 'Create an audit from a CSV tool list (text/csv with ?name=, or JSON {name, csv})',
          querystring: Type.Object({ name: Type.Optional(AuditName) }, { additionalProperties: false }),
          body: Type.Union([
            Type.String({ maxLength: 1024 * 1024 }),
            Type.Object({ name: AuditName, csv: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
          ]),
          response: { 201: Type.Object({ audit: AuditSchema }), ...errors(400, 401, 402, 403, 413, 415) },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const name = typeof body === 'string' ? (request.query.name ?? 'Imported tool list') : body.name;
        const csv = typeof body === 'string' ? body : body.csv;
        const audit = await services.audits.importCsv(requireActor(request), name, csv);
        return reply.code(201).send({ audit: { ...presentAudit(audit), stackData: audit.stackData } });
      },
    );

    app.post(
      '/api/audits/from-spend',
      {
        schema: {
          tags,
          summary: 'Create an audit from the last whole months of imported tool costs (one tool per name)',
          body: Type.Object(
            { name: AuditName, months: Type.Integer({ minimum: 1, maximum: 24 }) },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ audit: AuditSchema }), ...errors(400, 401, 402, 403) },
        },
      },
      async (request, reply) => {
        const audit = await services.audits.fromSpend(requireActor(request), request.body.name, request.body.months);
        return reply.code(201).send({ audit: { ...presentAudit(audit), stackData: audit.stackData } });
      },
    );

    app.get(
      '/api/catalog',
      {
        schema: {
          tags,
          summary: 'The tool catalog, for autocomplete; unknown facts are null',
          querystring: Type.Object(
            { q: Type.Optional(Type.String({ maxLength: 100 })) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(CatalogItemSchema),
              nextCursor: Type.Null(),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        requireActor(request);
        return {
          items: services.audits.catalog(request.query.q ?? '').map((e) => ({
            name: e.name,
            vendor: e.vendor,
            category: e.category,
            typicalMonthlyPricePerSeat: e.price?.monthly ?? e.price?.annualMonthly ?? null,
            annualMonthlyPricePerSeat: e.price?.annualMonthly ?? null,
            priceTier: e.price?.tier ?? null,
            priceSource: e.price?.source ?? null,
            priceCheckedOn: e.price?.checkedOn ?? null,
            tiers: (e.price?.tiers ?? []).map((t) => ({ ...t })),
            sso: e.sso.available,
            ssoTier: e.sso.tier,
            soc2: e.soc2,
            iso27001: e.attestations.iso27001,
            attestationsSource: e.attestations.source,
            attestationsCheckedOn: e.attestations.checkedOn,
            pricingModel: e.pricingModel,
          })),
          nextCursor: null,
        };
      },
    );
  };
}
