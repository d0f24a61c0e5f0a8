import { lt, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { stripeEvents } from '../db/schema.js';

/** Stripe events already applied, by Stripe's id (not tenant data: the event names its tenant). */
export class StripeEventRepository {
  constructor(private readonly db: Executor) {}

  /** Records an event; false when its id was recorded before (a retried delivery). */
  async record(id: string, type: string, createdAtStripe: Date): Promise<boolean> {
    const rows = await this.db
      .insert(stripeEvents)
      .values({ id, type, createdAtStripe })
      .onConflictDoNothing({ target: stripeEvents.id })
      .returning({ id: stripeEvents.id });
    return rows.length === 1;
  }

  async deleteReceivedBefore(cutoff: Date): Promise<number> {
    const rows = await this.db
      .delete(stripeEvents)
      .where(lt(stripeEvents.receivedAt, cutoff))
      .returning({ id: stripeEvents.id });
    return rows.length;
  }

  /** Serialises the events of one Stripe subscription (or customer) until the transaction ends. */
  async lock(key: string): Promise<void> {
    await this.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`stripe:${key}`}, 0))`);
  }
}
