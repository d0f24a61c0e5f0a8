/** The savings contract: accepted recommendations and the saving the books show for them. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';

const Money = Nullable(Type.Number(), { description: 'a month, in the base currency; null: not known yet' });

export const VerificationSchema = Type.Object({
  status: Type.Union(
    [
      Type.Literal('waiting'),
      Type.Literal('no_spend'),
      Type.Literal('seen'),
      Type.Literal('partly_seen'),
      Type.Literal('not_seen'),
    ],
    {
      description:
        'waiting: no whole month since the acceptance yet; no_spend: no spend on its tools in the 3 months before; seen: at least 80% of the expected saving; partly_seen; not_seen',
    },
  ),
  tools: Type.Array(Type.String()),
  acceptanceIds: Type.Array(Type.String(), {
    description: 'accepted recommendations verified together (they share a tool: the books show one change)',
  }),
  baselineMonths: Type.Array(Type.String()),
  afterMonths: Type.Array(Type.String()),
  baselineMonthly: Money,
  afterMonthly: Money,
  expectedMonthly: Money,
  seenMonthly: Money,
});

export const AcceptanceSchema = Type.Object({
  id: Type.String(),
  auditId: Nullable(Type.String(), { description: 'null once the audit was deleted (retention): the decision stays' }),
  type: Type.String(),
  title: Type.String(),
  tools: Type.Array(Type.String()),
  expectedMonthlySavings: Type.Number({ description: "in the analysis's currency" }),
  currency: Type.String(),
  acceptedBy: Nullable(Type.String()),
  acceptedAt: NullableTimestamp,
  verification: VerificationSchema,
});

export const SavingsSchema = Type.Object({
  currency: Type.String({ description: 'the base currency of every verified figure' }),
  items: Type.Array(AcceptanceSchema),
  total: Type.Object({
    expectedMonthly: Type.Number({ description: 'every acceptance (converted where a rate exists)' }),
    measuredExpectedMonthly: Type.Number({ description: 'what the measured ones expected' }),
    seenMonthly: Type.Number({ description: 'what the measured ones saved, seen in the books' }),
  }),
});

export const AcceptBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 50 }),
    tools: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);

export type AcceptanceJson = Static<typeof AcceptanceSchema>;
export type SavingsJson = Static<typeof SavingsSchema>;
