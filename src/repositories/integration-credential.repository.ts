import { and, asc, eq } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { integrationCredentials } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export type IntegrationCredential = typeof integrationCredentials.$inferSelect;

/**
 * One connection per (organization, provider). The tokens given here must already be
 * encrypted (the integrations issue adds the cipher); this repository stores what it is
 * given and never logs it.
 */
export interface CredentialTokens {
  accessToken: string | null;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
}

export class IntegrationCredentialRepository {
  constructor(private readonly db: Executor) {}

  /** Connects the provider, or replaces the tokens and config of an existing connection. */
  async upsert(
    organizationId: string,
    provider: string,
    input: CredentialTokens & { config?: Record<string, unknown> },
  ): Promise<IntegrationCredential> {
    const now = new Date();
    const values = { ...input, config: input.config ?? {} };
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
