import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { notifications, users } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { insertRows } from './bulk-insert.js';
import { afterCursor, pageSize, toPage, type Page, type PageRequest } from './pagination.js';

export type Notification = typeof notifications.$inferSelect;
export type NotificationWithActor = Notification & { actorName: string | null };

export class NotificationRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Several notifications in one INSERT (the comment fan-out's batch; bulk-insert.ts); each row
   * names its organization, which its caller took from the audit it is about.
   */
  async insertMany(
    rows: {
      organizationId: string;
      userId: string;
      type: string;
      auditId: string | null;
      commentId: string | null;
      actorId: string | null;
      text: string;
    }[],
  ): Promise<number> {
    const createdAt = new Date();
    await insertRows(
      this.db,
      notifications,
      ['id', 'organizationId', 'userId', 'type', 'auditId', 'commentId', 'actorId', 'text', 'createdAt'],
      rows.map((row) => ({ id: newId('notification'), ...row, createdAt })),
    );
    return rows.length;
  }

  async create(
    organizationId: string,
    input: {
      userId: string;
      type: string;
      auditId?: string | null;
      commentId?: string | null;
      actorId?: string | null;
      text: string;
    },
  ): Promise<Notification> {
    const [row] = await this.db
      .insert(notifications)
      .values({
        id: newId('notification'),
        organizationId,
        userId: input.userId,
        type: input.type,
        auditId: input.auditId ?? null,
        commentId: input.commentId ?? null,
        actorId: input.actorId ?? null,
        text: input.text,
        createdAt: new Date(),
      })
      .returning();
    return row!;
  }

  /** One user's notifications, newest first, with the actor's name (one query). */
  async listForUser(
    organizationId: string,
    userId: string,
    page: PageRequest = {},
  ): Promise<Page<NotificationWithActor>> {
    const limit = pageSize(page);
    const rows = await this.db
      .select({ notification: notifications, actorName: users.name })
      .from(notifications)
      .leftJoin(users, eq(users.id, notifications.actorId))
      .where(
        and(
          eq(notifications.userId, userId),
          eq(notifications.organizationId, organizationId),
          afterCursor(notifications.createdAt, notifications.id, page.cursor),
        ),
      )
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit + 1);
    return toPage(
      rows.map((r) => ({ ...r.notification, actorName: r.actorName })),
      limit,
    );
  }

  async countUnread(organizationId: string, userId: string): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, userId),
          eq(notifications.organizationId, organizationId),
          isNull(notifications.readAt),
        ),
      );
    return row?.count ?? 0;
  }

  /** Marks the given notifications (or all, when `ids` is undefined) of the user read. */
  async markRead(organizationId: string, userId: string, ids?: string[], at = new Date()): Promise<number> {
    if (ids !== undefined && ids.length === 0) return 0;
    const rows = await this.db
      .update(notifications)
      .set({ readAt: at })
      .where(
        and(
          eq(notifications.userId, userId),
          eq(notifications.organizationId, organizationId),
          isNull(notifications.readAt),
          ids ? inArray(notifications.id, ids) : undefined,
        ),
      )
      .returning({ id: notifications.id });
    return rows.length;
  }
}
