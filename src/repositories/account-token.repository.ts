import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { accountTokens } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export type AccountToken = typeof accountTokens.$inferSelect;
export type AccountTokenPurpose = 'verify_email' | 'password_reset';

/**
 * Single-use links sent by email, looked up by the SHA-256 of their token before any
 * organization is known (a reset link's holder is not logged in; the account may belong to
 * no organization).
 */
export class AccountTokenRepository {
  constructor(private readonly db: Executor) {}

  async create(input: {
    userId: string;
    purpose: AccountTokenPurpose;
    tokenHash: string;
    email: string;
    expiresAt: Date;
  }): Promise<AccountToken> {
    const [row] = await this.db
      .insert(accountTokens)
      .values({ id: newId('accountToken'), ...input, createdAt: new Date() })
      .returning();
    return row!;
  }

  /**
   * Uses the token: marks it used and returns it, only if it is unused and unexpired. One
   * UPDATE, so two requests racing with the same link cannot both use it.
   */
  async consumeAcrossOrganizations(
    purpose: AccountTokenPurpose,
    tokenHash: string,
    now = new Date(),
  ): Promise<AccountToken | null> {
    const [row] = await this.db
      .update(accountTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(accountTokens.tokenHash, tokenHash),
          eq(accountTokens.purpose, purpose),
          isNull(accountTokens.usedAt),
          gt(accountTokens.expiresAt, now),
        ),
      )
      .returning();
    return row ?? null;
  }

  /** The token whatever its state (to tell an unknown link from a used or expired one). */
  async findAcrossOrganizations(purpose: AccountTokenPurpose, tokenHash: string): Promise<AccountToken | null> {
    const [row] = await this.db
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.tokenHash, tokenHash), eq(accountTokens.purpose, purpose)));
    return row ?? null;
  }

  /** Retires every outstanding link of this kind of the user (after one of them was used). */
  async retireOutstanding(userId: string, purpose: AccountTokenPurpose, now = new Date()): Promise<number> {
    const rows = await this.db
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)))
      .returning({ id: accountTokens.id });
    return rows.length;
  }

  /** Deletes links that expired over a day ago (kept that long so a late click is told "expired", not "unknown"). */
  async deleteExpired(now = new Date()): Promise<number> {
    const rows = await this.db
      .delete(accountTokens)
      .where(lt(accountTokens.expiresAt, sql`${now}::timestamptz - interval '1 day'`))
      .returning({ id: accountTokens.id });
    return rows.length;
  }
}
