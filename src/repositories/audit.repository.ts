import { and, desc, eq, gte, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { audits } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { afterCursor, pageSize, toPage, type Page, type PageRequest } from './pagination.js';

export type Audit = typeof audits.$inferSelect;
export type AuditStatus = 'pending' | 'analyzing' | 'completed' | 'failed';

export interface NewAudit {
  id?: string;
  organizationId: string;
  userId: string | null;
  name: string;
  stackData: unknown;
  status?: AuditStatus;
}

export class AuditRepository {
  constructor(private readonly db: Executor) {}

  async create(input: NewAudit): Promise<Audit> {
    const now = new Date();
    const [row] = await this.db
      .insert(audits)
      .values({
        id: input.id ?? newId('audit'),
        organizationId: input.organizationId,
        userId: input.userId,
        name: input.name,
        stackData: input.stackData,
        status: input.status ?? 'pending',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  }

  async findById(organizationId: string, auditId: string): Promise<Audit | null> {
    const [row] = await this.db
      .select()
      .from(audits)
      .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)));
    return row ?? null;
  }

  /** Newest first, optionally of one status; served by idx_audits_org_created. */
  async listByOrganization(
    organizationId: string,
    options: PageRequest & { status?: AuditStatus } = {},
  ): Promise<Page<Audit>> {
    const limit = pageSize(options);
    const rows = await this.db
      .select()
      .from(audits)
      .where(
        and(
          eq(audits.organizationId, organizationId),
          options.status ? eq(audits.status, options.status) : undefined,
          afterCursor(audits.createdAt, audits.id, options.cursor),
        ),
      )
      .orderBy(desc(audits.createdAt), desc(audits.id))
      .limit(limit + 1);
    return toPage(rows, limit);
  }

  /** How many audits the organization created since a moment (the monthly plan limit). */
  async countCreatedSince(organizationId: string, since: Date): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(audits)
      .where(and(eq(audits.organizationId, organizationId), gte(audits.createdAt, since)));
    return row?.count ?? 0;
  }

  async rename(organizationId: string, auditId: string, name: string): Promise<Audit | null> {
    return this.update(organizationId, auditId, { name });
  }

  /** New stack data: the audit goes back to pending until its fresh analysis completes. */
  async replaceStackData(organizationId: string, auditId: string, stackData: unknown): Promise<Audit | null> {
    return this.update(organizationId, auditId, { stackData, status: 'pending', completedAt: null });
  }

  async setStatus(
    organizationId: string,
    auditId: string,
    status: AuditStatus,
    completedAt: Date | null = status === 'completed' ? new Date() : null,
  ): Promise<Audit | null> {
    return this.update(organizationId, auditId, { status, completedAt });
  }

  /** Deletes the audit; its analyses, comments, shares and activity go with it (ON DELETE CASCADE). */
  async delete(organizationId: string, auditId: string): Promise<boolean> {
    const rows = await this.db
      .delete(audits)
      .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)))
      .returning({ id: audits.id });
    return rows.length === 1;
  }

  private async update(
    organizationId: string,
    auditId: string,
    values: Partial<Pick<Audit, 'name' | 'stackData' | 'status' | 'completedAt'>>,
  ): Promise<Audit | null> {
    const [row] = await this.db
      .update(audits)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)))
      .returning();
    return row ?? null;
  }
}
