/** The billing contract. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';
import { LimitsSchema, UsageSchema } from '../organization/contract.js';

/** GET /api/billing: the plan, its subscription, limits and usage, and the plans on offer. */
export const BillingSchema = Type.Object({
  plan: Type.String(),
  status: Type.String({ description: "Stripe's subscription status; none: never subscribed" }),
  currentPeriodEnd: NullableTimestamp,
  cancelAtPeriodEnd: Type.Boolean(),
  limits: LimitsSchema,
  usage: UsageSchema,
  billingEnabled: Type.Boolean(),
  plans: Type.Array(
    Type.Object({
      name: Type.String(),
      monthlyPriceUsd: Nullable(Type.Number(), { description: 'null: by contract' }),
      limits: LimitsSchema,
      checkout: Type.Boolean({ description: 'Whether Checkout sells this plan on this server' }),
    }),
  ),
});

export type BillingJson = Static<typeof BillingSchema>;

export const UrlResponse = Type.Object({ url: Type.String() });

export type UrlResponseJson = Static<typeof UrlResponse>;
