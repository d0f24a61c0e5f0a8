import { and, desc, eq } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { subscriptions } from '../db/schema.js';
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
