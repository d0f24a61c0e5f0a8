import { and, asc, eq, exists, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

import type { Executor } from '../db/database.js';
import { auditComments, users } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { afterCursor, pageSize, toPage, type Page, type PageRequest } from './pagination.js';
import { auditBelongsTo, auditOfOrganization } from './tenant-scope.js';

export type AuditComment = typeof auditComments.$inferSelect;

export class AuditCommentRepository {
  constructor(private readonly db: Executor) {}

  /** Null (and nothing stored) when the audit is not this organization's. */
  async create(
    organizationId: string,
    input: { auditId: string; userId: string | null; parentId?: string | null; content: string },
  ): Promise<AuditComment | null> {
    if (!(await auditBelongsTo(this.db, organizationId, input.auditId))) return null;
    const now = new Date();
    const [row] = await this.db
      .insert(auditComments)
      .values({
        id: newId('comment'),
        auditId: input.auditId,
        userId: input.userId,
        parentId: input.parentId ?? null,
        content: input.content,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  }

  async findById(organizationId: string, commentId: string): Promise<AuditComment | null> {
    const [row] = await this.db
      .select()
      .from(auditComments)
      .where(and(eq(auditComments.id, commentId), auditOfOrganization(this.db, auditComments.auditId, organizationId)));
    return row ?? null;
  }

  /** A page of an audit's top-level comments, oldest first, with their authors' names (one query). */
  async pageTopLevelWithAuthors(
    organizationId: string,
    auditId: string,
    page: PageRequest,
  ): Promise<Page<AuditComment & { authorName: string | null }>> {
    const limit = pageSize(page);
    const rows = await this.db
      .select({ comment: auditComments, authorName: users.name })
      .from(auditComments)
      .leftJoin(users, eq(users.id, auditComments.userId))
      .where(
        and(
          eq(auditComments.auditId, auditId),
          auditOfOrganization(this.db, auditComments.auditId, organizationId),
          isNull(auditComments.parentId),
          afterCursor(auditComments.createdAt, auditComments.id, page.cursor, 'asc'),
        ),
      )
      .orderBy(asc(auditComments.createdAt), asc(auditComments.id))
      .limit(limit + 1);
    return toPage(
      rows.map((r) => ({ ...r.comment, authorName: r.authorName })),
      limit,
    );
  }

  /** The replies to several top-level comments, with authors, in one query (no N+1), oldest first. */
  async repliesWithAuthors(
    organizationId: string,
    parentIds: string[],
  ): Promise<(AuditComment & { authorName: string | null })[]> {
    if (parentIds.length === 0) return [];
    const rows = await this.db
      .select({ comment: auditComments, authorName: users.name })
      .from(auditComments)
      .leftJoin(users, eq(users.id, auditComments.userId))
      .where(
        and(
          inArray(auditComments.parentId, parentIds),
          auditOfOrganization(this.db, auditComments.auditId, organizationId),
        ),
      )
      .orderBy(asc(auditComments.createdAt), asc(auditComments.id));
    return rows.map((r) => ({ ...r.comment, authorName: r.authorName }));
  }

  /** Who has commented on the audit (for comment notifications). */
  /**
   * Which of these people have commented on the audit: one probe of idx_comments_audit_user
   * each, however many comments the audit has (it used to read them all, on every comment).
   */
  async commentersAmong(organizationId: string, auditId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const candidates = alias(users, 'candidate');
    const rows = await this.db
      .select({ userId: candidates.id })
      .from(candidates)
      .where(
        and(
          inArray(candidates.id, userIds),
          eq(candidates.organizationId, organizationId),
          exists(
            this.db
              .select({ one: sql`1` })
              .from(auditComments)
              .where(
                and(
                  eq(auditComments.auditId, auditId),
                  eq(auditComments.userId, candidates.id),
                  auditOfOrganization(this.db, auditComments.auditId, organizationId),
                ),
              ),
          ),
        ),
      );
    return new Set(rows.map((r) => r.userId));
  }

  async updateContent(organizationId: string, commentId: string, content: string): Promise<AuditComment | null> {
    const [row] = await this.db
      .update(auditComments)
      .set({ content, updatedAt: new Date() })
      .where(and(eq(auditComments.id, commentId), auditOfOrganization(this.db, auditComments.auditId, organizationId)))
      .returning();
    return row ?? null;
  }

  /** Deletes the comment; its replies and reactions go with it (ON DELETE CASCADE). */
  async delete(organizationId: string, commentId: string): Promise<boolean> {
    const rows = await this.db
      .delete(auditComments)
      .where(and(eq(auditComments.id, commentId), auditOfOrganization(this.db, auditComments.auditId, organizationId)))
      .returning({ id: auditComments.id });
    return rows.length === 1;
  }
}
