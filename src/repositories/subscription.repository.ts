import { and, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { organizations, subscriptions, users } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export type Subscription = typeof subscriptions.$inferSelect;

export interface SubscriptionState {
  plan: string;
  status: string;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

export class SubscriptionRepository {
  constructor(private readonly db: Executor) {}

  async create(
    organizationId: string,
    input: SubscriptionState & { id?: string; stripeSubscriptionId: string | null },
  ): Promise<Subscription> {
    const now = new Date();
    const [row] = await this.db
      .insert(subscriptions)
      .values({ ...input, id: input.id ?? newId('subscription'), organizationId, createdAt: now, updatedAt: now })
      .returning();
    return row!;
  }

  /** The organization's most recent subscription, or null on the free plan. */
  async currentForOrganization(organizationId: string): Promise<Subscription | null> {
    const [row] = await this.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.organizationId, organizationId))
      .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id))
      .limit(1);
    return row ?? null;
  }

  /** Stripe webhooks name a subscription by Stripe's id before any organization is known. */
  async findByStripeIdAcrossOrganizations(stripeSubscriptionId: string): Promise<Subscription | null> {
    const [row] = await this.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId));
    return row ?? null;
  }

  /** The organization's subscription with this Stripe id (its current one), or null. */
  async findByStripeId(organizationId: string, stripeSubscriptionId: string): Promise<Subscription | null> {
    const [row] = await this.db
      .select()
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.organizationId, organizationId),
          eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId),
        ),
      );
    return row ?? null;
  }

  /**
   * Writes what a Stripe event says about a subscription, by Stripe's id: a new row, or the
   * row its earlier events made (possibly before its organization was known).
   */
  async saveFromStripeAcrossOrganizations(
    existing: Subscription | null,
    values: SubscriptionState & {
      organizationId: string | null;
      stripeSubscriptionId: string;
      stripeCustomerId: string | null;
      lastEventAt: Date | null;
    },
  ): Promise<Subscription> {
    const now = new Date();
    if (existing) {
      const [row] = await this.db
        .update(subscriptions)
        .set({ ...values, updatedAt: now })
        .where(eq(subscriptions.id, existing.id))
        .returning();
      return row!;
    }
    const [row] = await this.db
      .insert(subscriptions)
      .values({ ...values, id: newId('subscription'), createdAt: now, updatedAt: now })
      .returning();
    return row!;
  }

  /**
   * Organizations whose current subscription has ended (cancelled, unpaid, …) and whose
   * paid period is over go back to the free plan; their data stays. Returns their ids.
   */
  async endLapsedAcrossOrganizations(endedStatuses: readonly string[], now: Date): Promise<string[]> {
    const lapsed = await this.db
      .update(organizations)
      .set({ plan: 'free', updatedAt: now })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.organizationId, organizations.id),
          eq(subscriptions.stripeSubscriptionId, organizations.stripeSubscriptionId),
          inArray(subscriptions.status, [...endedStatuses]),
          lte(subscriptions.currentPeriodEnd, now),
          ne(organizations.plan, 'free'),
        ),
      )
      .returning({ id: organizations.id });
    const ids = lapsed.map((r) => r.id);
    if (ids.length) {
      await this.db
        .update(users)
        .set({ plan: 'free', updatedAt: now })
        .where(and(inArray(users.organizationId, ids), sql`${users.plan} IS DISTINCT FROM 'free'`));
    }
    return ids;
  }

  async updateState(
    organizationId: string,
    subscriptionId: string,
    state: SubscriptionState,
  ): Promise<Subscription | null> {
    const [row] = await this.db
      .update(subscriptions)
      .set({ ...state, updatedAt: new Date() })
      .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.organizationId, organizationId)))
      .returning();
    return row ?? null;
  }
}
