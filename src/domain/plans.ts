/**
 * The plans, their limits and prices, in one place. `null` means unlimited. The
 * organization's `plan` column is the truth (users.plan mirrors it); Stripe subscriptions
 * move it (services/billing.service.ts). What Stripe charges is the Price configured for the
 * plan (STRIPE_PRICE_PRO, …); the prices here are what the app shows.
 */
export const PLAN_NAMES = ['free', 'pro', 'business', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export interface PlanLimits {
  auditsPerMonth: number | null;
  members: number | null;
}

/** USD a month, as shown to users; null: priced by contract (contact sales). */
export const PLAN_PRICES: Readonly<Record<PlanName, number | null>> = Object.freeze({
  free: 0,
  pro: 49,
  business: 199,
  enterprise: null,
});

export const isPlanName = (value: unknown): value is PlanName =>
  typeof value === 'string' && (PLAN_NAMES as readonly string[]).includes(value);

export const PLANS: Readonly<Record<PlanName, Readonly<PlanLimits>>> = Object.freeze({
  free: { auditsPerMonth: 10, members: 5 },
  pro: { auditsPerMonth: 50, members: 25 },
  business: { auditsPerMonth: 500, members: 100 },
  enterprise: { auditsPerMonth: null, members: null },
});

/** An unknown plan name (data written elsewhere) is treated as free: the safe side. */
export function planLimits(plan: string | null | undefined): PlanLimits {
  return isPlanName(plan) ? PLANS[plan] : PLANS.free;
}

/** The effective limits: the plan's, lowered by the organization's own maxAuditsPerMonth. */
export function effectiveLimits(plan: string | null | undefined, maxAuditsPerMonth: number | null): PlanLimits {
  const limits = planLimits(plan);
  const auditsPerMonth =
    maxAuditsPerMonth === null
      ? limits.auditsPerMonth
      : limits.auditsPerMonth === null
        ? maxAuditsPerMonth
        : Math.min(limits.auditsPerMonth, maxAuditsPerMonth);
  return { auditsPerMonth, members: limits.members };
}

/** True when `count` more would go past `limit` (null: never). */
export const exceeds = (limit: number | null, count: number): boolean => limit !== null && count > limit;
