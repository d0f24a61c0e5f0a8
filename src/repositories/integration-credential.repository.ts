import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { integrationCredentials } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export type IntegrationCredential = typeof integrationCredentials.$inferSelect;

/**
 * One connection per (organization, provider). The tokens given here are already sealed
 * (domain/secret-box.ts); this repository stores what it is given and never logs it. The
 * row is also its sync job: sync_status idle | queued | running, with attempts and a lease.
 */
export interface CredentialTokens {
  accessToken: string | null;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
}

/** A connection in good order: connected, no error, nothing queued or leased (after a connect or a sync). */
export const HEALTHY = {
  status: 'connected',
  lastError: null,
  syncStatus: 'idle',
  syncAttempts: 0,
  nextSyncAt: null,
  syncLeaseUntil: null,
} as const;

export class IntegrationCredentialRepository {
  constructor(private readonly db: Executor) {}

  /** Connects the provider, or replaces the tokens and config of an existing connection. */
  async upsert(
    organizationId: string,
    provider: string,
    input: CredentialTokens & { config?: Record<string, unknown> },
  ): Promise<IntegrationCredential> {
    const now = new Date();
    // A (re)connection starts clean.
    const values = { ...input, config: input.config ?? {}, ...HEALTHY };
    const [row] = await this.db
      .insert(integrationCredentials)
      .values({ id: newId('integration'), organizationId, provider, ...values, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [integrationCredentials.organizationId, integrationCredentials.provider],
        set: { ...values, updatedAt: now },
      })
      .returning();
    return row!;
  }

  async findByProvider(organizationId: string, provider: string): Promise<IntegrationCredential | null> {
    const [row] = await this.db
      .select()
      .from(integrationCredentials)
      .where(
        and(eq(integrationCredentials.organizationId, organizationId), eq(integrationCredentials.provider, provider)),
      );
    return row ?? null;
  }

  /** The organization's connections by provider name (a handful at most). */
  async list(organizationId: string): Promise<IntegrationCredential[]> {
    return this.db
      .select()
      .from(integrationCredentials)
      .where(eq(integrationCredentials.organizationId, organizationId))
      .orderBy(asc(integrationCredentials.provider));
  }

  async markSynced(organizationId: string, provider: string, at = new Date()): Promise<IntegrationCredential | null> {
    const [row] = await this.db
      .update(integrationCredentials)
      .set({ lastSyncAt: at, updatedAt: new Date() })
      .where(
        and(eq(integrationCredentials.organizationId, organizationId), eq(integrationCredentials.provider, provider)),
      )
      .returning();
    return row ?? null;
  }

  /** Queues a sync now (a connection just made, or an admin's request); a running one finishes first. */
  async requestSync(organizationId: string, provider: string, at = new Date()): Promise<IntegrationCredential | null> {
    const [row] = await this.db
      .update(integrationCredentials)
      .set({
        syncStatus: sql`CASE WHEN ${integrationCredentials.syncStatus} = 'running' THEN 'running' ELSE 'queued' END`,
        nextSyncAt: at,
        syncAttempts: 0,
        updatedAt: at,
      })
      .where(
        and(eq(integrationCredentials.organizationId, organizationId), eq(integrationCredentials.provider, provider)),
      )
      .returning();
    return row ?? null;
  }

  /**
   * Claims up to `limit` syncs that are due (queued, or running with an expired lease: a
   * crashed instance's), across organizations, each once (SKIP LOCKED), with a lease.
   */
  async claimSyncsAcrossOrganizations(
    limit: number,
    leaseSeconds: number,
    now = new Date(),
  ): Promise<IntegrationCredential[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: integrationCredentials.id })
        .from(integrationCredentials)
        .where(
          or(
            and(eq(integrationCredentials.syncStatus, 'queued'), lte(integrationCredentials.nextSyncAt, now)),
            and(eq(integrationCredentials.syncStatus, 'running'), lte(integrationCredentials.syncLeaseUntil, now)),
          ),
        )
        .orderBy(asc(integrationCredentials.nextSyncAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(integrationCredentials)
        .set({
          syncStatus: 'running',
          syncLeaseUntil: new Date(now.getTime() + leaseSeconds * 1000),
          syncAttempts: sql`${integrationCredentials.syncAttempts} + 1`,
          updatedAt: now,
        })
        .where(
          inArray(
            integrationCredentials.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
    });
  }

  /**
   * Queues a sync of every connection that has not synced for `everyHours` (daily syncs also
   * keep refresh tokens alive); returns how many it queued.
   */
  async queueStaleAcrossOrganizations(everyHours: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - everyHours * 3_600_000);
    const rows = await this.db
      .update(integrationCredentials)
      .set({ syncStatus: 'queued', nextSyncAt: now, syncAttempts: 0, updatedAt: now })
      .where(
        and(
          eq(integrationCredentials.status, 'connected'),
          eq(integrationCredentials.syncStatus, 'idle'),
          or(isNull(integrationCredentials.lastSyncAt), lte(integrationCredentials.lastSyncAt, cutoff)),
        ),
      )
      .returning({ id: integrationCredentials.id });
    return rows.length;
  }

  /** Writes what a sync (or a token refresh) changed; scoped to the row's organization. */
  /** Keeps a running sync's claim while it still runs (the worker's heartbeat); false once it is no longer running. */
  async extendLease(organizationId: string, id: string, until: Date): Promise<boolean> {
    const rows = await this.db
      .update(integrationCredentials)
      .set({ syncLeaseUntil: until })
      .where(
        and(
          eq(integrationCredentials.organizationId, organizationId),
          eq(integrationCredentials.id, id),
          eq(integrationCredentials.syncStatus, 'running'),
        ),
      )
      .returning({ id: integrationCredentials.id });
    return rows.length > 0;
  }

  async updateState(
    organizationId: string,
    id: string,
    values: Partial<
      Pick<
        IntegrationCredential,
        | 'accessToken'
        | 'refreshToken'
        | 'tokenExpiresAt'
        | 'config'
        | 'lastSyncAt'
        | 'status'
        | 'lastError'
        | 'syncStatus'
        | 'syncAttempts'
        | 'nextSyncAt'
        | 'syncLeaseUntil'
      >
    >,
  ): Promise<IntegrationCredential | null> {
    const [row] = await this.db
      .update(integrationCredentials)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(integrationCredentials.id, id), eq(integrationCredentials.organizationId, organizationId)))
      .returning();
    return row ?? null;
  }

  async delete(organizationId: string, provider: string): Promise<boolean> {
    const rows = await this.db
      .delete(integrationCredentials)
      .where(
        and(eq(integrationCredentials.organizationId, organizationId), eq(integrationCredentials.provider, provider)),
      )
      .returning({ id: integrationCredentials.id });
    return rows.length === 1;
  }
}
