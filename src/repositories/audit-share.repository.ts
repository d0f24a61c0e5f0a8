import { and, eq } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { auditShares } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { auditBelongsTo, auditOfOrganization } from './tenant-scope.js';

export type AuditShare = typeof auditShares.$inferSelect;
export type Visibility = 'private' | 'organization' | 'public';

/**
 * An audit's visibility. No row means `organization` (the contract's default; the seed
 * column's own default, 'private', applies only to rows written without a visibility).
 */
export class AuditShareRepository {
  constructor(private readonly db: Executor) {}

  async findByAudit(organizationId: string, auditId: string): Promise<AuditShare | null> {
    const [row] = await this.db
      .select()
      .from(auditShares)
      .where(and(eq(auditShares.auditId, auditId), auditOfOrganization(this.db, auditShares.auditId, organizationId)));
    return row ?? null;
  }

  /** Sets visibility and token in one statement; null when the audit is not this organization's. */
  async setVisibility(
    organizationId: string,
    auditId: string,
    visibility: Visibility,
    shareToken: string | null,
  ): Promise<AuditShare | null> {
    if (!(await auditBelongsTo(this.db, organizationId, auditId))) return null;
    const now = new Date();
    const [row] = await this.db
      .insert(auditShares)
      .values({ id: newId('share'), auditId, visibility, shareToken, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: auditShares.auditId, set: { visibility, shareToken, updatedAt: now } })
      .returning();
    return row!;
  }

  /** A public link is opened by anyone, with no organization known. */
  async findPublicByTokenAcrossOrganizations(shareToken: string): Promise<AuditShare | null> {
    const [row] = await this.db
      .select()
      .from(auditShares)
      .where(and(eq(auditShares.shareToken, shareToken), eq(auditShares.visibility, 'public')));
    return row ?? null;
  }
}
