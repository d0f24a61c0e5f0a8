import { and, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

import type { Executor } from '../db/database.js';
import { audits, collaborationActivity, users } from '../db/schema.js';
import { visibleAuditCondition } from './access.repository.js';
import { newId } from '../domain/ids.js';
import { afterCursor, pageSize, toPage, type Page, type PageRequest } from './pagination.js';

export type Activity = typeof collaborationActivity.$inferSelect;

/** The member an event concerns (invited, removed, given a role, shared with), when the event names one. */
const subject = alias(users, 'activity_subject');

export class CollaborationActivityRepository {
  constructor(private readonly db: Executor) {}

  async record(
    organizationId: string,
    input: { auditId: string | null; userId: string | null; action: string; metadata?: Record<string, unknown> },
  ): Promise<Activity> {
    const [row] = await this.db
      .insert(collaborationActivity)
      .values({
        id: newId('activity'),
        organizationId,
        auditId: input.auditId,
        userId: input.userId,
        action: input.action,
        metadata: input.metadata ?? {},
        createdAt: new Date(),
      })
      .returning();
    return row!;
  }

  /**
   * The feed as one user may see it, newest first, with each actor's name, the audit's name
   * and the name of the member the event concerns: events of audits they can view (the
   * access policy in SQL), and organization events (members) for admins.
   */
  async listVisible(
    organizationId: string,
    viewer: { userId: string; role: string | null },
    options: PageRequest & { auditId?: string; since?: Date } = {},
  ): Promise<Page<Activity & { userName: string | null; auditName: string | null; subjectName: string | null }>> {
    const limit = pageSize(options);
    const visible = visibleAuditCondition(this.db, collaborationActivity.auditId, viewer);
    const rows = await this.db
      .select({
        activity: collaborationActivity,
        userName: users.name,
        auditName: audits.name,
        subjectName: subject.name,
      })
      .from(collaborationActivity)
      .leftJoin(users, eq(users.id, collaborationActivity.userId))
      .leftJoin(audits, and(eq(audits.organizationId, organizationId), eq(audits.id, collaborationActivity.auditId)))
      .leftJoin(
        subject,
        and(
          eq(subject.organizationId, organizationId),
          eq(
            subject.id,
            sql`coalesce(${collaborationActivity.metadata} ->> 'memberId', ${collaborationActivity.metadata} ->> 'withUserId')`,
          ),
        ),
      )
      .where(
        and(
          eq(collaborationActivity.organizationId, organizationId),
          options.auditId ? eq(collaborationActivity.auditId, options.auditId) : undefined,
          viewer.role === 'admin' ? undefined : and(isNotNull(collaborationActivity.auditId), visible),
          options.since ? gte(collaborationActivity.createdAt, options.since) : undefined,
          afterCursor(collaborationActivity.createdAt, collaborationActivity.id, options.cursor),
        ),
      )
      .orderBy(desc(collaborationActivity.createdAt), desc(collaborationActivity.id))
      .limit(limit + 1);
    return toPage(
      rows.map((r) => ({ ...r.activity, userName: r.userName, auditName: r.auditName, subjectName: r.subjectName })),
      limit,
    );
  }

  /** The organization's feed, newest first, optionally of one audit. */
  async list(organizationId: string, options: PageRequest & { auditId?: string } = {}): Promise<Page<Activity>> {
    const limit = pageSize(options);
    const rows = await this.db
      .select()
      .from(collaborationActivity)
      .where(
        and(
          eq(collaborationActivity.organizationId, organizationId),
          options.auditId ? eq(collaborationActivity.auditId, options.auditId) : undefined,
          afterCursor(collaborationActivity.createdAt, collaborationActivity.id, options.cursor),
        ),
      )
      .orderBy(desc(collaborationActivity.createdAt), desc(collaborationActivity.id))
      .limit(limit + 1);
    return toPage(rows, limit);
  }
}
