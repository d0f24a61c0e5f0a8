import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';

import { rowsOf, toDate, type Executor } from '../db/database.js';
import { preparedSql } from '../db/prepared.js';
import {
  auditCommenters,
  audits,
  auditComments,
  collaborationActivity,
  commentFanoutQueue,
  users,
} from '../db/schema.js';
import { newId } from '../domain/ids.js';
import type { AccessLevel } from '../policies/audit.policy.js';
import { atLeastRank, auditWithUserRank, levelOfRank } from './access.repository.js';
import { afterCursor, pageSize, toPage, type Page, type PageRequest } from './pagination.js';
import { auditOfOrganization } from './tenant-scope.js';

export type AuditComment = typeof auditComments.$inferSelect;

/** A comment taken from the fan-out queue, with what its notifications say. */
export interface ClaimedComment {
  id: string;
  auditId: string;
  userId: string | null;
  content: string;
  createdAt: Date;
  organizationId: string;
  auditName: string;
  auditOwnerId: string | null;
  authorName: string | null;
  authorEmail: string | null;
}

/** An audit_comments row as `db.execute` gives it. */
interface CommentRow extends Record<string, unknown> {
  id: string;
  audit_id: string | null;
  user_id: string | null;
  parent_id: string | null;
  content: string;
  created_at: Date | string;
  updated_at: Date | string;
}

function commentFromRow(row: CommentRow): AuditComment {
  return {
    id: row.id,
    auditId: row.audit_id,
    userId: row.user_id,
    parentId: row.parent_id,
    content: row.content,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** createWithActivity's row: the author's rank, and the comment's columns (all null when none was stored). */
type RankedCommentRow = { rank: number } & (CommentRow | (Record<string, unknown> & { id: null }));

interface ClaimedRow extends Record<string, unknown> {
  id: string;
  audit_id: string;
  user_id: string | null;
  content: string;
  created_at: Date | string;
  organization_id: string;
  audit_name: string;
  audit_owner_id: string | null;
  author_name: string | null;
  author_email: string | null;
}

/** The level at which someone may comment on an audit (createWithActivity writes only from it). */
export const COMMENT_LEVEL: AccessLevel = 'comment';

/**
 * The authors of the rows of a statement's `inserted` (new comments) as followers of their
 * audits (audit_commenters): a row from their first comment on it, none added after.
 */
const followedByAuthors = sql`
  INSERT INTO ${auditCommenters} (audit_id, user_id, first_commented_at)
  SELECT audit_id, user_id, created_at FROM inserted WHERE user_id IS NOT NULL
  ON CONFLICT (audit_id, user_id) DO NOTHING`;

export class AuditCommentRepository {
  constructor(private readonly db: Executor) {}

  /**
   * A comment, and its author as a follower of the audit (audit_commenters), in one statement.
   * Null (and nothing stored) when the audit is not this organization's.
   */
  async create(
    organizationId: string,
    input: { auditId: string; userId: string | null; parentId?: string | null; content: string },
  ): Promise<AuditComment | null> {
    const now = new Date().toISOString();
    const result = await this.db.execute(sql`
      WITH inserted AS (
        INSERT INTO ${auditComments} (id, audit_id, user_id, parent_id, content, created_at, updated_at)
        SELECT ${newId('comment')}, ${audits.id}, ${input.userId}, ${input.parentId ?? null}, ${input.content},
               ${now}::timestamptz, ${now}::timestamptz
          FROM ${audits}
         WHERE ${audits.id} = ${input.auditId} AND ${audits.organizationId} = ${organizationId}
        RETURNING *
      ), followed AS (${followedByAuthors})
      SELECT id, audit_id, user_id, parent_id, content, created_at, updated_at FROM inserted`);
    const [row] = rowsOf<CommentRow>(result);
    return row ? commentFromRow(row) : null;
  }

  /**
   * The authors of these comments as followers of their audits, from their earliest comment
   * (a legacy import's comments: their authors follow as if they had posted them here).
   */
  async followFromCommentsAcrossOrganizations(commentIds: string[]): Promise<void> {
    if (commentIds.length === 0) return;
    await this.db.execute(sql`
      INSERT INTO ${auditCommenters} (audit_id, user_id, first_commented_at)
      SELECT audit_id, user_id, min(created_at) FROM ${auditComments}
       WHERE id IN ${commentIds} AND audit_id IS NOT NULL AND user_id IS NOT NULL
       GROUP BY audit_id, user_id
      ON CONFLICT (audit_id, user_id) DO UPDATE
        SET first_commented_at = LEAST(${auditCommenters.firstCommentedAt}, EXCLUDED.first_commented_at)`);
  }

  /**
   * A comment, its `comment_added` activity row, its job in the fan-out queue
   * (`comment_fanout_queue`) and its author as a follower of the audit, in one statement (so one transaction and one round trip) that
   * also checks the author's level on the audit (AccessRepository's rule): the request that
   * adds a comment waits for nothing else. A reply (`parentId`) joins its parent's thread
   * (threads are one level deep: a reply to a reply gets the same parent).
   *
   * Null when the organization has no such audit. Otherwise the author's level, and the
   * comment: null (nothing stored) when the level is below COMMENT_LEVEL, or the parent is not
   * a comment of this audit.
   */
  async createWithActivity(
    organizationId: string,
    author: { id: string; role: string | null },
    input: { auditId: string; parentId: string | null; content: string },
  ): Promise<{ level: AccessLevel; comment: AuditComment | null } | null> {
    const p = (name: string) => sql.placeholder(name);
    // Rendered once per handle (db/prepared.ts): one statement per request.
    const statement = preparedSql(
      this.db,
      'comment_with_activity',
      (handle) => sql`
      WITH target AS (${auditWithUserRank(handle)}),
      -- The parent by its key alone, its audit compared after: a generic plan given both
      -- columns would walk the audit's comments on another index instead.
      parent AS (
        SELECT p.audit_id, coalesce(p.parent_id, p.id) AS thread_id
          FROM ${auditComments} p
         WHERE p.id = ${p('parentId')}
      ), inserted AS (
        INSERT INTO ${auditComments} (id, audit_id, user_id, parent_id, content, created_at, updated_at)
        SELECT ${p('commentId')}, t.id, ${p('userId')}, (SELECT thread_id FROM parent), ${p('content')},
               ${p('now')}::timestamptz, ${p('now')}::timestamptz
          FROM target t
         WHERE ${atLeastRank(sql`t.rank`, COMMENT_LEVEL)}
           AND (${p('parentId')}::varchar IS NULL OR (SELECT audit_id FROM parent) = t.id)
        RETURNING *
      ), activity AS (
        INSERT INTO ${collaborationActivity} (id, organization_id, audit_id, user_id, action, metadata, created_at)
        SELECT ${p('activityId')}, ${p('organizationId')}, audit_id, user_id, 'comment_added',
               jsonb_build_object('commentId', id, 'parentId', parent_id), created_at
          FROM inserted
      ), queued AS (
        INSERT INTO ${commentFanoutQueue} (comment_id, created_at) SELECT id, created_at FROM inserted
      ), followed AS (${followedByAuthors})
      SELECT t.rank, i.id, i.audit_id, i.user_id, i.parent_id, i.content, i.created_at, i.updated_at
        FROM target t LEFT JOIN inserted i ON true`,
    );
    const result = await statement.execute({
      auditId: input.auditId,
      organizationId,
      userId: author.id,
      role: author.role ?? '',
      parentId: input.parentId,
      content: input.content,
      commentId: newId('comment'),
      activityId: newId('activity'),
      now: new Date().toISOString(),
    });
    const [row] = rowsOf<RankedCommentRow>(result);
    if (!row) return null;
    return { level: levelOfRank(row.rank), comment: row.id === null ? null : commentFromRow(row) };
  }

  /**
   * Takes up to `limit` jobs of the fan-out queue, oldest first (DELETE … RETURNING), with
   * what telling their comments' people needs: the comment, its audit's name, owner and
   * organization, the author's name and email. Across organizations: the fan-out worker
   * serves them all, and each row carries its audit's organization. Inside the caller's
   * transaction, so a failed fan-out puts them back; SKIP LOCKED lets instances share the
   * queue.
   */
  async claimFanoutAcrossOrganizations(limit: number): Promise<ClaimedComment[]> {
    // The comments and audits are share-locked with their jobs: deleting one of them now waits
    // for this transaction (whose notifications reference them) instead of deadlocking with
    // it; one being deleted already is skipped, and its job stays until that deletion takes it.
    // The jobs are picked by their own index first and the comments looked up by key
    // (`= ANY (ARRAY(…))`): joined before the LIMIT, a queue whose statistics said "empty" made
    // PostgreSQL read every comment each time (~650 blocks and 19 ms a batch at 20 k comments).
    const result = await this.db.execute(sql`
      WITH picked AS (
        SELECT q.comment_id
          FROM ${commentFanoutQueue} q
         ORDER BY q.created_at, q.comment_id
         LIMIT ${limit}
           FOR UPDATE SKIP LOCKED
      ), locked AS (
        SELECT c.id, c.audit_id, c.user_id, c.content, c.created_at,
               a.organization_id, a.name AS audit_name, a.user_id AS audit_owner_id
          FROM ${auditComments} c
          JOIN ${audits} a ON a.id = c.audit_id
         WHERE c.id = ANY (ARRAY(SELECT comment_id FROM picked))
           FOR KEY SHARE OF c, a SKIP LOCKED
      ), claimed AS (
        DELETE FROM ${commentFanoutQueue} WHERE comment_id = ANY (ARRAY(SELECT id FROM locked))
        RETURNING comment_id
      )
      SELECT l.id, l.audit_id, l.user_id, l.content, l.created_at,
             l.organization_id, l.audit_name, l.audit_owner_id,
             u.name AS author_name, u.email AS author_email
        FROM locked l
        JOIN claimed q ON q.comment_id = l.id
        LEFT JOIN ${users} u ON u.id = l.user_id
       ORDER BY l.created_at, l.id`);
    return rowsOf<ClaimedRow>(result).map((row) => ({
      id: row.id,
      auditId: row.audit_id,
      userId: row.user_id,
      content: row.content,
      createdAt: toDate(row.created_at),
      organizationId: row.organization_id,
      auditName: row.audit_name,
      auditOwnerId: row.audit_owner_id,
      authorName: row.author_name,
      authorEmail: row.author_email,
    }));
  }

  /** Gives up on a comment's fan-out (its notifications could not be written): its job is deleted. */
  async dropFanoutJobAcrossOrganizations(commentId: string): Promise<void> {
    await this.db.delete(commentFanoutQueue).where(eq(commentFanoutQueue.commentId, commentId));
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
