/** The renewals contract: the organization's upcoming renewals, and its calendar feed. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';

export const RenewalSchema = Type.Object({
  tool: Type.String(),
  vendor: Nullable(Type.String()),
  owner: Nullable(Type.String()),
  source: Type.Union([Type.Literal('audit'), Type.Literal('spend')], {
    description: "audit: the organization's latest analysed audit; spend: an annual contract its connected spend shows",
  }),
  auditId: Nullable(Type.String()),
  renewalDate: Type.String({
    description: 'YYYY-MM-DD, rolled forward by the billing cycle when the listed date passed',
  }),
  cancelBy: Nullable(Type.String({ description: 'The last day to give notice (the notice period before renewal)' })),
  daysLeft: Type.Integer({ description: "Days from today (the organization's time zone) to the renewal" }),
  monthlyCost: Nullable(Type.Number()),
  currency: Type.String(),
  recommendation: Nullable(
    Type.Object({ type: Type.String(), title: Type.String(), estimatedMonthlySavings: Type.Number() }),
  ),
});

export const RenewalsSchema = Type.Object({
  today: Type.String(),
  timeZone: Type.String(),
  reminderLeadDays: Type.Array(Type.Integer()),
  items: Type.Array(RenewalSchema),
});

export const RenewalsQuery = Type.Object(
  {
    withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 400 })),
    source: Type.Optional(Type.Union([Type.Literal('audit'), Type.Literal('spend')])),
    needsNotice: Type.Optional(Type.Boolean()),
    search: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const CalendarFeedSchema = Type.Object({
  active: Type.Boolean(),
  createdAt: NullableTimestamp,
  /** Only in the answer that made it: the URL is the credential, and only its hash is kept. */
  url: Type.Optional(Type.String()),
});

export type RenewalJson = Static<typeof RenewalSchema>;
export type RenewalsJson = Static<typeof RenewalsSchema>;
export type CalendarFeedJson = Static<typeof CalendarFeedSchema>;
