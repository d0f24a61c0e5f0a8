/** The spend contract: tool costs, statements, the summary and exchange rates. */
import { Type, type Static } from 'typebox';
import { NullableTimestamp, Nullable } from '../../schemas.js';

export const MIN_RATE = 1e-10;

export const Review = Type.Union([Type.Literal('software'), Type.Literal('unreviewed'), Type.Literal('not_software')], {
  description:
    'software: counted as spend; unreviewed: a charge not recognised yet, waiting for a decision; not_software: kept out',
});

export const ToolCostSchema = Type.Object({
  id: Type.String(),
  source: Type.String({ description: 'manual, csv, quickbooks, xero or stripe' }),
  toolName: Type.String(),
  vendor: Nullable(Type.String()),
  amount: Type.Number({ description: 'negative for a refund or credit' }),
  currency: Type.String(),
  billingPeriodStart: Nullable(Type.String()),
  billingPeriodEnd: Nullable(Type.String()),
  metadata: Type.Unknown(),
  review: Review,
  importedAt: NullableTimestamp,
  createdAt: NullableTimestamp,
});

export const MappingSchema = Type.Object(
  {
    date: Type.Optional(Type.String({ maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 100 })),
    amount: Type.Optional(Type.String({ maxLength: 100 })),
    debit: Type.Optional(Type.String({ maxLength: 100 })),
    credit: Type.Optional(Type.String({ maxLength: 100 })),
    currency: Type.Optional(Type.String({ maxLength: 100 })),
    dateOrder: Type.Optional(Type.Union([Type.Literal('YMD'), Type.Literal('MDY'), Type.Literal('DMY')])),
    spend: Type.Optional(Type.Union([Type.Literal('negative'), Type.Literal('positive')])),
  },
  { additionalProperties: false },
);

export const RatesSchema = Type.Object({
  baseCurrency: Type.String(),
  rates: Type.Array(Type.Object({ currency: Type.String(), rate: Type.Number(), updatedAt: NullableTimestamp })),
});

export type ToolCostJson = Static<typeof ToolCostSchema>;
export type MappingJson = Static<typeof MappingSchema>;
export type RatesJson = Static<typeof RatesSchema>;

// The summary, a statement's import report and a column mapping are the domain's shapes.
export type { SpendSummary, StatementImport } from '../../../domain/spend-views.js';
export type { ColumnMapping } from '../../../domain/statements/layouts.js';
