/**
 * Reading the Stripe objects that billing webhooks carry, across API versions. Pure: no
 * I/O, plain JSON in, our facts out. Stripe's own types follow the package's pinned API
 * version only, while a webhook's shape follows the endpoint's version (`event.api_version`),
 * so the objects are read defensively here, as JSON.
 *
 * - Subscription periods: before 2025-03-31 (basil) on the subscription
 *   (`current_period_start/end`); from basil on, only on each item (`items.data[]`).
 * - An invoice's subscription: `invoice.subscription` before basil;
 *   `invoice.parent.subscription_details.subscription` from basil on.
 * - The plan: `metadata.plan` on the item's Price (older versions also mirror it on
 *   `item.plan.metadata`), else the Price id as configured (STRIPE_PRICE_PRO, …).
 */
import { isPlanName, type PlanName } from '../plans.js';

type Json = Record<string, unknown>;

const obj = (value: unknown): Json | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
/** An id field that may be expanded into its object. */
const idOf = (value: unknown): string | null => str(value) ?? str(obj(value)?.id);
const time = (seconds: number | null): Date | null => (seconds === null ? null : new Date(seconds * 1000));
const items = (list: unknown): Json[] => {
  const data = obj(list)?.data;
  return Array.isArray(data) ? data.map(obj).filter((x): x is Json => x !== null) : [];
};

export interface SubscriptionFacts {
  stripeSubscriptionId: string;
  stripeCustomerId: string | null;
  status: string;
  /** Our plan, or null when neither the Price's metadata nor the configured Price ids name one. */
  plan: PlanName | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** `metadata.organizationId`, which our Checkout puts on the subscription. */
  organizationId: string | null;
}

/** `priceIds`: our plan → Stripe Price id, from the configuration. */
export function subscriptionFacts(
  subscription: unknown,
  priceIds: Readonly<Record<string, string>> = {},
): SubscriptionFacts | null {
  const sub = obj(subscription);
  const id = str(sub?.id);
  if (!sub || !id || sub.object !== 'subscription') return null;
  const lines = items(sub.items);
  let plan: PlanName | null = null;
  for (const item of lines) {
    const price = obj(item.price);
    const named = obj(price?.metadata)?.plan ?? obj(obj(item.plan)?.metadata)?.plan;
    if (isPlanName(named)) plan = named;
    else {
      const priceId = idOf(item.price) ?? idOf(item.plan);
      const configured = Object.entries(priceIds).find(([, p]) => p === priceId)?.[0];
      if (isPlanName(configured)) plan = configured;
    }
    if (plan) break;
  }
  if (!plan && isPlanName(obj(sub.metadata)?.plan)) plan = obj(sub.metadata)!.plan as PlanName;
  // The period: on the subscription before basil, on its items from basil on (the latest end wins).
  let start = num(sub.current_period_start);
  let end = num(sub.current_period_end);
  if (end === null) {
    for (const item of lines) {
      const itemEnd = num(item.current_period_end);
      if (itemEnd !== null && (end === null || itemEnd > end)) {
        end = itemEnd;
        start = num(item.current_period_start);
      }
    }
  }
  return {
    stripeSubscriptionId: id,
    stripeCustomerId: idOf(sub.customer),
    status: str(sub.status) ?? 'incomplete',
    plan,
    currentPeriodStart: time(start),
    currentPeriodEnd: time(end),
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    organizationId: str(obj(sub.metadata)?.organizationId),
  };
}

export interface InvoiceFacts {
  stripeSubscriptionId: string | null;
  stripeCustomerId: string | null;
  /** The end of the subscription period the invoice bills (its subscription line's period). */
  periodEnd: Date | null;
  periodStart: Date | null;
}

export function invoiceFacts(invoice: unknown): InvoiceFacts | null {
  const inv = obj(invoice);
  if (!inv || inv.object !== 'invoice') return null;
  const subscriptionId =
    idOf(inv.subscription) ?? idOf(obj(obj(inv.parent)?.subscription_details)?.subscription) ?? null;
  let periodEnd: number | null = null;
  let periodStart: number | null = null;
  for (const line of items(inv.lines)) {
    const forSubscription =
      line.type === 'subscription' ||
      str(line.subscription) !== null ||
      obj(obj(line.parent)?.subscription_item_details) !== null;
    const period = obj(line.period);
    const end = num(period?.end);
    if (forSubscription && end !== null && (periodEnd === null || end > periodEnd)) {
      periodEnd = end;
      periodStart = num(period?.start);
    }
  }
  return {
    stripeSubscriptionId: subscriptionId,
    stripeCustomerId: idOf(inv.customer),
    periodEnd: time(periodEnd),
    periodStart: time(periodStart),
  };
}

export interface CheckoutFacts {
  organizationId: string | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  plan: PlanName | null;
}

export function checkoutSessionFacts(session: unknown): CheckoutFacts | null {
  const s = obj(session);
  if (!s || s.object !== 'checkout.session') return null;
  const plan = obj(s.metadata)?.plan;
  return {
    organizationId: str(s.client_reference_id) ?? str(obj(s.metadata)?.organizationId),
    stripeCustomerId: idOf(s.customer),
    stripeSubscriptionId: s.mode === 'subscription' ? idOf(s.subscription) : null,
    plan: isPlanName(plan) ? plan : null,
  };
}

/** Statuses that keep the plan paid for; others end it at the period's end. */
const PAYING = new Set(['active', 'trialing', 'past_due']);
/** Statuses where the first payment has not been made: the plan does not start yet. */
const NOT_STARTED = new Set(['incomplete']);

/**
 * The plan an organization has under a subscription at `now`: the subscribed plan while it
 * is paid for (past_due too: Stripe is still retrying), until the period's end once cancelled
 * or unpaid, then free. `null`: the subscription does not decide (not started, or no plan known).
 */
export function planUnder(
  state: { plan: string | null; status: string | null; currentPeriodEnd: Date | null },
  now: Date,
): PlanName | null {
  const status = state.status ?? 'incomplete';
  if (NOT_STARTED.has(status)) return null;
  if (!isPlanName(state.plan)) return null;
  if (PAYING.has(status)) return state.plan;
  return state.currentPeriodEnd !== null && state.currentPeriodEnd > now ? state.plan : 'free';
}
