import { and, asc, eq, inArray, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { commentReactions } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { commentBelongsTo, commentOfOrganization } from './tenant-scope.js';

export type CommentReaction = typeof commentReactions.$inferSelect;

export interface ReactionSummary {
  commentId: string;
  reaction: string;
  count: number;
  reactedByMe: boolean;
}

export class CommentReactionRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Adds the user's reaction; the same one twice is a no-op. Returns whether it was new,
   * or null when the comment is not on an audit of this organization.
   */
  async add(
    organizationId: string,
    input: { commentId: string; userId: string; reaction: string },
  ): Promise<boolean | null> {
    if (!(await commentBelongsTo(this.db, organizationId, input.commentId))) return null;
    const rows = await this.db
      .insert(commentReactions)
      .values({ id: newId('reaction'), ...input, createdAt: new Date() })
      .onConflictDoNothing({ target: [commentReactions.commentId, commentReactions.userId, commentReactions.reaction] })
      .returning({ id: commentReactions.id });
    return rows.length === 1;
  }

  async remove(
    organizationId: string,
    input: { commentId: string; userId: string; reaction: string },
  ): Promise<boolean> {
    const rows = await this.db
      .delete(commentReactions)
      .where(
        and(
          eq(commentReactions.commentId, input.commentId),
          eq(commentReactions.userId, input.userId),
          eq(commentReactions.reaction, input.reaction),
          commentOfOrganization(this.db, commentReactions.commentId, organizationId),
        ),
      )
      .returning({ id: commentReactions.id });
    return rows.length === 1;
  }

  /** Counts per (comment, reaction) for many comments in one query, with the viewer's own. */
  async summarize(organizationId: string, commentIds: string[], viewerId: string): Promise<ReactionSummary[]> {
    if (commentIds.length === 0) return [];
    const rows = await this.db
      .select({
        commentId: sql<string>`${commentReactions.commentId}`,
        reaction: commentReactions.reaction,
        count: sql<number>`count(*)::int`,
        reactedByMe: sql<boolean>`bool_or(${commentReactions.userId} = ${viewerId})`,
      })
      .from(commentReactions)
      .where(
        and(
          inArray(commentReactions.commentId, commentIds),
          commentOfOrganization(this.db, commentReactions.commentId, organizationId),
        ),
      )
      .groupBy(commentReactions.commentId, commentReactions.reaction)
      .orderBy(
        asc(commentReactions.commentId),
        asc(sql`min(${commentReactions.createdAt})`),
        asc(commentReactions.reaction),
      );
    return rows;
  }
}
