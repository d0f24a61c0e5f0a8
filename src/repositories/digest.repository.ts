import { and, asc, eq, gt, isNotNull, or, isNull } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { digestRuns, notificationPreferences, users } from '../db/schema.js';
import type { User } from './user.repository.js';

/** The weekly digest's bookkeeping: who wants one, and which were sent. */
export class DigestRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Users (of any organization: a background job serves them all) who want the weekly
   * digest — emailWeeklyDigest not turned off — in id order, a page at a time.
   */
  async recipientsAcrossOrganizations(afterId: string | null, limit: number): Promise<User[]> {
    const rows = await this.db
      .select({ user: users })
      .from(users)
      .leftJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
      .where(
        and(
          isNotNull(users.organizationId),
          or(isNull(notificationPreferences.emailWeeklyDigest), eq(notificationPreferences.emailWeeklyDigest, true)),
          afterId ? gt(users.id, afterId) : undefined,
        ),
      )
      .orderBy(asc(users.id))
      .limit(limit);
    return rows.map((r) => r.user);
  }

  /** Claims the user's digest for the week; false when it was already sent (by any instance). */
  async claim(userId: string, weekStart: string): Promise<boolean> {
    const rows = await this.db
      .insert(digestRuns)
      .values({ userId, weekStart, sentAt: new Date() })
      .onConflictDoNothing()
      .returning({ userId: digestRuns.userId });
    return rows.length === 1;
  }
}
