/**
 * Billing through Stripe: Checkout and the customer portal (the only calls to Stripe), and
 * the webhook that moves an organization's plan. Events are applied from their payload, each
 * id once, per subscription in the order Stripe created them (older events arriving late are
 * ignored; a deleted subscription stays deleted), all of one event in one transaction.
 */
import type Stripe from 'stripe';

import type { Config, StripeConfig } from '../config.js';
import { transaction, type Database, type Tx } from '../db/database.js';
import {
  checkoutSessionFacts,
  invoiceFacts,
  planUnder,
  subscriptionFacts,
  type SubscriptionFacts,
} from '../domain/billing/stripe-objects.js';
import { isPlanName, PLAN_NAMES, PLAN_PRICES, PLANS, type PlanLimits, type PlanName } from '../domain/plans.js';
import { AppError, ConflictError, UnprocessableError, ValidationError } from '../errors.js';
import { createStripeClient } from '../integrations/stripe-client.js';
import { requireAdmin } from '../policies/organization.policy.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import { StripeEventRepository } from '../repositories/stripe-event.repository.js';
import { SubscriptionRepository, type Subscription } from '../repositories/subscription.repository.js';
import { UserRepository } from '../repositories/user.repository.js';
import type { Actor } from './actor.js';
import type { OrganizationService } from './organization.service.js';

export class BillingDisabledError extends AppError {
  constructor() {
    super(
      503,
      'billing_disabled',
      'Billing is not configured on this server (no Stripe keys); plans stay as they are.',
    );
  }
}

export class InvalidSignatureError extends AppError {
  constructor() {
    super(400, 'invalid_signature', 'The Stripe-Signature header does not match the body.');
  }
}

/** Subscription statuses after which the plan ends at the period's end. */
export const ENDED_STATUSES = ['canceled', 'unpaid', 'incomplete_expired', 'paused'] as const;
/** Applied events are kept this long to recognise retries (Stripe retries for up to 3 days). */
export const STRIPE_EVENT_RETENTION_DAYS = 30;

export interface BillingView {
  plan: string;
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  limits: PlanLimits;
  usage: { auditsThisMonth: number; members: number };
  billingEnabled: boolean;
  /** What each plan gives and costs (USD a month; null: by contract), and whether Checkout sells it here. */
  plans: { name: PlanName; monthlyPriceUsd: number | null; limits: PlanLimits; checkout: boolean }[];
}

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

export class BillingService {
  private readonly stripe: Stripe | null;
  private readonly stripeConfig: StripeConfig | null;

  constructor(
    private readonly database: Database,
    private readonly config: Config,
    private readonly organizations: OrganizationService,
  ) {
    this.stripeConfig = config.stripe;
    this.stripe = config.stripe ? createStripeClient(config.stripe.secretKey, config.stripeApiBase) : null;
  }

  get enabled(): boolean {
    return this.stripe !== null;
  }

  async get(actor: Actor): Promise<BillingView> {
    const view = await this.organizations.get(actor);
    const organization = view.organization;
    const subscription = organization.stripeSubscriptionId
      ? await new SubscriptionRepository(this.database.db).findByStripeId(
          organization.id,
          organization.stripeSubscriptionId,
        )
      : null;
    return {
      plan: organization.plan ?? 'free',
      status: subscription?.status ?? (organization.plan && organization.plan !== 'free' ? 'active' : 'none'),
      currentPeriodEnd: subscription?.currentPeriodEnd ?? null,
      cancelAtPeriodEnd: subscription?.cancelAtPeriodEnd ?? false,
      limits: view.limits,
      usage: view.usage,
      billingEnabled: this.enabled,
      plans: PLAN_NAMES.map((name) => ({
        name,
        monthlyPriceUsd: PLAN_PRICES[name],
        limits: PLANS[name],
        checkout: this.enabled && this.stripeConfig!.prices[name] !== undefined,
      })),
    };
  }

  /** A Stripe Checkout Session for the plan; the webhook applies it once paid. */
  async checkout(actor: Actor, plan: string): Promise<{ url: string }> {
    requireAdmin(actor);
    const stripe = this.requireStripe();
    const price = isPlanName(plan) ? this.stripeConfig!.prices[plan] : undefined;
    if (!price) {
      const sold = Object.keys(this.stripeConfig!.prices);
      throw new ValidationError(`Plan "${plan}" cannot be bought here.`, [
        { field: 'body.plan', message: sold.length ? `must be one of ${sold.join(', ')}` : 'no plan is for sale' },
      ]);
    }
    const organization = actor.organization;
    if (organization.stripeSubscriptionId) {
      const current = await new SubscriptionRepository(this.database.db).findByStripeId(
        organization.id,
        organization.stripeSubscriptionId,
      );
      if (current && !(ENDED_STATUSES as readonly string[]).includes(current.status ?? '')) {
        throw new ConflictError(
          'The organization already has a subscription: change or cancel it in the billing portal.',
          'already_subscribed',
        );
      }
    }
    const base = this.appUrl();
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price, quantity: 1 }],
      client_reference_id: organization.id,
      ...(organization.stripeCustomerId
        ? { customer: organization.stripeCustomerId }
        : { customer_email: actor.user.email }),
      metadata: { organizationId: organization.id, plan },
      subscription_data: { metadata: { organizationId: organization.id, plan } },
      success_url: `${base}/settings/billing?checkout=success`,
      cancel_url: `${base}/settings/billing?checkout=cancelled`,
    });
    if (!session.url) throw new AppError(502, 'stripe_error', 'Stripe did not return a Checkout URL.');
    return { url: session.url };
  }

  /** The Stripe customer portal, where admins change the plan, the card, or cancel. */
  async portal(actor: Actor): Promise<{ url: string }> {
    requireAdmin(actor);
    const stripe = this.requireStripe();
    const customer = actor.organization.stripeCustomerId;
    if (!customer) {
      throw new UnprocessableError(
        'no_billing_account',
        'The organization has no Stripe customer yet: subscribe first.',
      );
    }
    const session = await stripe.billingPortal.sessions.create({
      customer,
      return_url: `${this.appUrl()}/settings/billing`,
    });
    return { url: session.url };
  }

  /** Verifies and applies one webhook delivery. */
  async handleWebhook(
    rawBody: Buffer,
    signature: string | undefined,
  ): Promise<{ outcome: WebhookOutcome; event: Stripe.Event }> {
    const stripe = this.requireStripe();
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(rawBody, signature ?? '', this.stripeConfig!.webhookSecret);
    } catch {
      throw new InvalidSignatureError();
    }
    const outcome = await transaction(this.database.db, (tx) => this.apply(tx, event));
    return { outcome, event };
  }

  /** Housekeeping: plans whose paid period is over go to free; old event ids are forgotten. */
  async endLapsed(now = new Date()): Promise<{ downgraded: string[]; eventsPruned: number }> {
    return transaction(this.database.db, async (tx) => {
      const downgraded = await new SubscriptionRepository(tx).endLapsedAcrossOrganizations(ENDED_STATUSES, now);
      const eventsPruned = await new StripeEventRepository(tx).deleteReceivedBefore(
        new Date(now.getTime() - STRIPE_EVENT_RETENTION_DAYS * 86_400_000),
      );
      return { downgraded, eventsPruned };
    });
  }

  private async apply(tx: Tx, event: Stripe.Event): Promise<WebhookOutcome> {
    const object: unknown = event.data.object;
    const created = new Date(event.created * 1000);
    const events = new StripeEventRepository(tx);
    // One subscription's events one at a time, across instances.
    const key = subscriptionKey(event.type, object);
    if (key) await events.lock(key);
    if (!(await events.record(event.id, event.type, created))) return 'duplicate';
    const type: string = event.type; // Stripe sends many more types; only these move a plan.
    switch (type) {
      case 'checkout.session.completed':
        return this.applyCheckout(tx, object);
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted': {
        const facts = subscriptionFacts(object, this.stripeConfig!.prices);
        if (!facts) return 'ignored';
        return this.applySubscription(tx, facts, created, type === 'customer.subscription.deleted');
      }
      case 'invoice.paid':
      case 'invoice.payment_failed':
        return this.applyInvoice(tx, object, created, type === 'invoice.paid');
      default:
        return 'ignored';
    }
  }

  private async applyCheckout(tx: Tx, object: unknown): Promise<WebhookOutcome> {
    const facts = checkoutSessionFacts(object);
    if (!facts?.organizationId || !facts.stripeSubscriptionId) return 'ignored';
    const organizations = new OrganizationRepository(tx);
    const organization = await organizations.findById(facts.organizationId);
    if (!organization) return 'ignored';
    await organizations.setStripeIds(organization.id, {
      stripeCustomerId: facts.stripeCustomerId ?? organization.stripeCustomerId,
      stripeSubscriptionId: facts.stripeSubscriptionId,
    });
    const subscriptions = new SubscriptionRepository(tx);
    const existing = await subscriptions.findByStripeIdAcrossOrganizations(facts.stripeSubscriptionId);
    if (existing?.organizationId && existing.organizationId !== organization.id) return 'ignored';
    // The subscription's own events may have come first (without an organization): adopt it.
    const saved = await subscriptions.saveFromStripeAcrossOrganizations(existing, {
      organizationId: organization.id,
      stripeSubscriptionId: facts.stripeSubscriptionId,
      stripeCustomerId: facts.stripeCustomerId ?? existing?.stripeCustomerId ?? null,
      plan: existing && isPlanName(existing.plan) ? existing.plan : (facts.plan ?? existing?.plan ?? 'unknown'),
      status: existing?.status ?? 'incomplete',
      currentPeriodStart: existing?.currentPeriodStart ?? null,
      currentPeriodEnd: existing?.currentPeriodEnd ?? null,
      cancelAtPeriodEnd: existing?.cancelAtPeriodEnd ?? false,
      lastEventAt: existing?.lastEventAt ?? null,
    });
    await this.followPlan(tx, organization.id, saved);
    return 'applied';
  }

  private async applySubscription(
    tx: Tx,
    facts: SubscriptionFacts,
    created: Date,
    deleted: boolean,
  ): Promise<WebhookOutcome> {
    const subscriptions = new SubscriptionRepository(tx);
    const existing = await subscriptions.findByStripeIdAcrossOrganizations(facts.stripeSubscriptionId);
    if (existing?.lastEventAt && existing.lastEventAt > created) return 'ignored';
    if (existing?.status === 'canceled' && !deleted) return 'ignored';
    const organizationId =
      existing?.organizationId ?? (await this.organizationFor(tx, facts.organizationId, facts.stripeCustomerId));
    const saved = await subscriptions.saveFromStripeAcrossOrganizations(existing, {
      organizationId,
      stripeSubscriptionId: facts.stripeSubscriptionId,
      stripeCustomerId: facts.stripeCustomerId,
      plan: facts.plan ?? existing?.plan ?? 'unknown',
      status: deleted ? 'canceled' : facts.status,
      currentPeriodStart: facts.currentPeriodStart ?? existing?.currentPeriodStart ?? null,
      currentPeriodEnd: facts.currentPeriodEnd ?? existing?.currentPeriodEnd ?? null,
      cancelAtPeriodEnd: facts.cancelAtPeriodEnd,
      lastEventAt: created,
    });
    if (organizationId) await this.followPlan(tx, organizationId, saved);
    return 'applied';
  }

  private async applyInvoice(tx: Tx, object: unknown, created: Date, paid: boolean): Promise<WebhookOutcome> {
    const facts = invoiceFacts(object);
    if (!facts?.stripeSubscriptionId) return 'ignored';
    const subscriptions = new SubscriptionRepository(tx);
    const existing = await subscriptions.findByStripeIdAcrossOrganizations(facts.stripeSubscriptionId);
    if (!existing || existing.status === 'canceled') return 'ignored';
    if (existing.lastEventAt && existing.lastEventAt > created) return 'ignored';
    const status = existing.status ?? 'incomplete';
    const nextStatus = paid
      ? ['incomplete', 'past_due', 'unpaid'].includes(status)
        ? 'active'
        : status
      : ['active', 'trialing'].includes(status)
        ? 'past_due'
        : status;
    const periodEnd =
      paid && facts.periodEnd && (!existing.currentPeriodEnd || facts.periodEnd > existing.currentPeriodEnd)
        ? facts.periodEnd
        : existing.currentPeriodEnd;
    const saved = await subscriptions.saveFromStripeAcrossOrganizations(existing, {
      organizationId: existing.organizationId,
      stripeSubscriptionId: facts.stripeSubscriptionId,
      stripeCustomerId: existing.stripeCustomerId ?? facts.stripeCustomerId,
      plan: existing.plan,
      status: nextStatus,
      currentPeriodStart: periodEnd === existing.currentPeriodEnd ? existing.currentPeriodStart : facts.periodStart,
      currentPeriodEnd: periodEnd,
      cancelAtPeriodEnd: existing.cancelAtPeriodEnd ?? false,
      lastEventAt: created,
    });
    if (existing.organizationId) await this.followPlan(tx, existing.organizationId, saved);
    return 'applied';
  }

  /** The organization a subscription belongs to: named in its metadata, else by its Stripe customer. */
  private async organizationFor(tx: Tx, named: string | null, customerId: string | null): Promise<string | null> {
    const organizations = new OrganizationRepository(tx);
    if (named) {
      const organization = await organizations.findById(named);
      if (organization) return organization.id;
    }
    if (customerId) return (await organizations.findByStripeCustomerIdAcrossOrganizations(customerId))?.id ?? null;
    return null;
  }

  /**
   * The organization's plan follows its current subscription (the one it last checked out, or
   * any paying one): the subscribed plan while paid for, free once the paid period is over.
   */
  private async followPlan(tx: Tx, organizationId: string, subscription: Subscription): Promise<void> {
    const organizations = new OrganizationRepository(tx);
    const organization = await organizations.lockForUpdate(organizationId);
    if (!organization) return;
    const plan = planUnder(subscription, new Date());
    const isCurrent = organization.stripeSubscriptionId === subscription.stripeSubscriptionId;
    // An old subscription's late news does not touch the plan; a paying one (or the first one
    // the organization has) becomes the current one.
    if (!isCurrent && organization.stripeSubscriptionId !== null && (plan === null || plan === 'free')) return;
    if (!isCurrent || (!organization.stripeCustomerId && subscription.stripeCustomerId)) {
      await organizations.setStripeIds(organizationId, {
        stripeSubscriptionId: subscription.stripeSubscriptionId,
        stripeCustomerId: organization.stripeCustomerId ?? subscription.stripeCustomerId,
      });
    }
    if (plan !== null && plan !== organization.plan) {
      await organizations.setPlan(organizationId, plan);
      await new UserRepository(tx).setPlanForOrganization(organizationId, plan);
    }
  }

  private requireStripe(): Stripe {
    if (!this.stripe) throw new BillingDisabledError();
    return this.stripe;
  }

  private appUrl(): string {
    return this.config.appUrl ?? `http://localhost:${this.config.port}`;
  }
}

/** The Stripe subscription an event is about, to serialise its events. */
function subscriptionKey(type: string, object: unknown): string | null {
  if (type.startsWith('customer.subscription.')) return subscriptionFacts(object)?.stripeSubscriptionId ?? null;
  if (type.startsWith('invoice.')) return invoiceFacts(object)?.stripeSubscriptionId ?? null;
  if (type === 'checkout.session.completed') return checkoutSessionFacts(object)?.stripeSubscriptionId ?? null;
  return null;
}
