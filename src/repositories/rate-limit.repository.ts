import { eq, lt, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { rateLimitCounters } from '../db/schema.js';

export interface Counter {
  count: number;
  resetAt: Date;
}

/**
 * Fixed-window counters in the database, so that every instance counts the same
 * attempts. One atomic upsert per hit: a window that has passed starts again at 1.
 */
export class RateLimitRepository {
  constructor(private readonly db: Executor) {}

  async hit(key: string, windowSeconds: number, now = new Date()): Promise<Counter> {
    const resetAt = new Date(now.getTime() + windowSeconds * 1000);
    const [row] = await this.db
      .insert(rateLimitCounters)
      .values({ key, count: 1, resetAt })
      .onConflictDoUpdate({
        target: rateLimitCounters.key,
        set: {
          count: sql`CASE WHEN ${rateLimitCounters.resetAt} <= ${now} THEN 1 ELSE ${rateLimitCounters.count} + 1 END`,
          resetAt: sql`CASE WHEN ${rateLimitCounters.resetAt} <= ${now} THEN ${resetAt} ELSE ${rateLimitCounters.resetAt} END`,
        },
      })
      .returning({ count: rateLimitCounters.count, resetAt: rateLimitCounters.resetAt });
    return row!;
  }

  /** The counter as it stands (null when none, or its window has passed). */
  async peek(key: string, now = new Date()): Promise<Counter | null> {
    const [row] = await this.db
      .select({ count: rateLimitCounters.count, resetAt: rateLimitCounters.resetAt })
      .from(rateLimitCounters)
      .where(eq(rateLimitCounters.key, key));
    return row && row.resetAt > now ? row : null;
  }

  /** Gives back one counted attempt (one that turned out not to count, e.g. a successful login). */
  async refund(key: string): Promise<void> {
    await this.db
      .update(rateLimitCounters)
      .set({ count: sql`greatest(${rateLimitCounters.count} - 1, 0)` })
      .where(eq(rateLimitCounters.key, key));
  }

  async clear(key: string): Promise<void> {
    await this.db.delete(rateLimitCounters).where(eq(rateLimitCounters.key, key));
  }

  async deleteExpired(now = new Date()): Promise<number> {
    const rows = await this.db
      .delete(rateLimitCounters)
      .where(lt(rateLimitCounters.resetAt, now))
      .returning({ key: rateLimitCounters.key });
    return rows.length;
  }
}
