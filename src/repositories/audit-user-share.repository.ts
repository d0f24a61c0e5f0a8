import { and, asc, eq } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { auditUserShares } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { auditBelongsTo, auditOfOrganization } from './tenant-scope.js';

export type AuditUserShare = typeof auditUserShares.$inferSelect;
export type SharePermission = 'view' | 'comment' | 'edit';

export class AuditUserShareRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Shares the audit with a user, or changes the permission of an existing share.
   * `created` tells which; null when the audit is not this organization's.
   */
  async upsert(
    organizationId: string,
    input: { auditId: string; userId: string; permission: SharePermission },
  ): Promise<{ share: AuditUserShare; created: boolean } | null> {
    if (!(await auditBelongsTo(this.db, organizationId, input.auditId))) return null;
    const id = newId('userShare');
    const [row] = await this.db
      .insert(auditUserShares)
      .values({ id, ...input, createdAt: new Date() })
      .onConflictDoUpdate({
        target: [auditUserShares.auditId, auditUserShares.userId],
        set: { permission: input.permission },
      })
      .returning();
    return { share: row!, created: row!.id === id };
  }

  async findForUser(organizationId: string, auditId: string, userId: string): Promise<AuditUserShare | null> {
    const [row] = await this.db
      .select()
      .from(auditUserShares)
      .where(
        and(
          eq(auditUserShares.auditId, auditId),
          eq(auditUserShares.userId, userId),
          auditOfOrganization(this.db, auditUserShares.auditId, organizationId),
        ),
      );
    return row ?? null;
  }

  /** The audit's per-user shares, oldest first (bounded by the organization's members). */
  async listForAudit(organizationId: string, auditId: string): Promise<AuditUserShare[]> {
    return this.db
      .select()
      .from(auditUserShares)
      .where(
        and(
          eq(auditUserShares.auditId, auditId),
          auditOfOrganization(this.db, auditUserShares.auditId, organizationId),
        ),
      )
      .orderBy(asc(auditUserShares.createdAt), asc(auditUserShares.id));
  }

  async delete(organizationId: string, auditId: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .delete(auditUserShares)
      .where(
        and(
          eq(auditUserShares.auditId, auditId),
          eq(auditUserShares.userId, userId),
          auditOfOrganization(this.db, auditUserShares.auditId, organizationId),
        ),
      )
      .returning({ id: auditUserShares.id });
    return rows.length === 1;
  }
}
