import { and, eq, lt } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { oauthStates } from '../db/schema.js';

export type OAuthState = typeof oauthStates.$inferSelect;

/** OAuth requests in flight, by the SHA-256 of their state (the state itself is never stored). */
export class OAuthStateRepository {
  constructor(private readonly db: Executor) {}

  async create(state: Omit<OAuthState, 'createdAt'>): Promise<void> {
    await this.db.insert(oauthStates).values({ ...state, createdAt: new Date() });
  }

  /** Takes the state (once): the row is deleted and returned if it had not expired. */
  async consume(stateHash: string, now = new Date()): Promise<OAuthState | null> {
    const [row] = await this.db.delete(oauthStates).where(eq(oauthStates.stateHash, stateHash)).returning();
    return row && row.expiresAt > now ? row : null;
  }

  async deleteExpiredAcrossOrganizations(now = new Date()): Promise<number> {
    const rows = await this.db
      .delete(oauthStates)
      .where(lt(oauthStates.expiresAt, now))
      .returning({ stateHash: oauthStates.stateHash });
    return rows.length;
  }

  /** An admin starting a new connection to a provider drops their earlier unfinished one. */
  async deleteForUser(organizationId: string, userId: string, provider: string): Promise<void> {
    await this.db
      .delete(oauthStates)
      .where(
        and(
          eq(oauthStates.organizationId, organizationId),
          eq(oauthStates.userId, userId),
          eq(oauthStates.provider, provider),
        ),
      );
  }
}
