/**
 * Threaded comments on an audit and their reactions. A change writes its activity row in
 * the same transaction; a new comment's notifications and emails are written by the fan-out
 * worker (jobs/comment-fanout.worker.ts → `fanOut`, notifier.ts), off the request.
 */
import { transaction, type Database } from '../db/database.js';
import { isValidReaction } from '../domain/mentions.js';
import {
  ForbiddenError,
  isForeignKeyViolation,
  NotFoundError,
  sqlState,
  ValidationError,
  violatedConstraint,
} from '../errors.js';
import { AuditCommentRepository, COMMENT_LEVEL, type AuditComment } from '../repositories/audit-comment.repository.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { CommentReactionRepository, type ReactionSummary } from '../repositories/comment-reaction.repository.js';
import type { Actor } from './actor.js';
import { asUser, openAudit, requireAccess } from './audit-access.js';
import type { Notifier } from './notifier.js';
import type { CommentRecord, Page, PageRequest } from './views.js';

export interface CommentView {
  comment: CommentRecord;
  authorName: string | null;
  reactions: { reaction: string; count: number; reactedByMe: boolean }[];
}
export interface ThreadView extends CommentView {
  replies: CommentView[];
}

/** A failure caused by the data rather than the database being unavailable: SQLSTATE classes 22 and 23. */
const isDataError = (error: unknown): boolean => /^2[23]/.test(sqlState(error) ?? '');

/** Comments told per fan-out transaction. */
export const FANOUT_BATCH = 200;

export class CommentService {
  constructor(
    private readonly database: Database,
    private readonly notifier: Notifier,
    /** A comment was queued for its fan-out in this process: the worker looks at once. */
    private readonly onFanoutQueued: () => void = () => {},
  ) {}

  /** Top-level comments (oldest first) with replies, authors and reactions: three queries. */
  async list(actor: Actor, auditId: string, page: PageRequest): Promise<Page<ThreadView>> {
    const { audit } = await openAudit(this.database.db, actor, auditId, 'view');
    const db = this.database.db;
    const comments = new AuditCommentRepository(db);
    const top = await comments.pageTopLevelWithAuthors(actor.organization.id, audit.id, page);
    const replies = await comments.repliesWithAuthors(
      actor.organization.id,
      top.items.map((c) => c.id),
    );
    const reactions = await new CommentReactionRepository(db).summarize(
      actor.organization.id,
      [...top.items, ...replies].map((c) => c.id),
      actor.user.id,
    );
    const byComment = groupReactions(reactions);
    const view = (c: AuditComment & { authorName: string | null }): CommentView => ({
      comment: c,
      authorName: c.authorName,
      reactions: byComment.get(c.id) ?? [],
    });
    return {
      items: top.items.map((c) => ({ ...view(c), replies: replies.filter((r) => r.parentId === c.id).map(view) })),
      nextCursor: top.nextCursor,
    };
  }

  /**
   * Adds a comment: one statement (AuditCommentRepository.createWithActivity) checks the
   * caller's level on the audit and writes the comment, its activity row and its fan-out job.
   * Who it concerns is told by the fan-out worker (`fanOut`), off the request: a comment's
   * answer does not wait for its notifications and emails.
   */
  async add(actor: Actor, auditId: string, input: { content: string; parentId?: string }): Promise<CommentView> {
    const content = checkContent(input.content);
    let added: Awaited<ReturnType<AuditCommentRepository['createWithActivity']>>;
    try {
      added = await new AuditCommentRepository(this.database.db).createWithActivity(
        actor.organization.id,
        asUser(actor),
        {
          auditId,
          parentId: input.parentId ?? null,
          content,
        },
      );
    } catch (error) {
      // The audit, or the parent, deleted while the statement ran (its foreign key check failed).
      if (!isForeignKeyViolation(error)) throw error;
      if (violatedConstraint(error) === 'audit_comments_parent_id_fkey') throw parentNotOnAudit();
      throw new NotFoundError('audit');
    }
    const { comment } = requireAccess(added, COMMENT_LEVEL);
    if (!comment) throw parentNotOnAudit();
    this.onFanoutQueued();
    return { comment, authorName: actor.user.name, reactions: [] };
  }

  /**
   * Tells the people concerned by up to `batch` queued comments (oldest first), in one
   * transaction: take them off the queue, find everyone they concern in one query, write the
   * notifications and emails in one INSERT each. A failure rolls it all back and leaves
   * them queued. A failure caused by the data (SQLSTATE classes 22 and 23) is retried one
   * comment at a time, and a comment that fails alone is given up (`onDropped` says which and
   * why) so that one bad row never holds up everyone else's notifications. Returns how many
   * comments it handled (0: the queue is empty).
   */
  async fanOut(
    batch = FANOUT_BATCH,
    onDropped: (commentId: string, reason: string) => void = () => {},
  ): Promise<number> {
    try {
      return await this.fanOutBatch(batch, []);
    } catch (error) {
      if (!isDataError(error)) throw error;
    }
    let handled = 0;
    for (let i = 0; i < batch; i++) {
      const claimed: string[] = [];
      try {
        const told = await this.fanOutBatch(1, claimed);
        if (told === 0) break;
        handled += told;
      } catch (error) {
        if (!isDataError(error) || claimed.length === 0) throw error;
        await new AuditCommentRepository(this.database.db).dropFanoutJobAcrossOrganizations(claimed[0]!);
        onDropped(claimed[0]!, (error as Error).message);
        handled += 1;
      }
    }
    return handled;
  }

  /** One fan-out transaction; `claimed` receives the comments it took (known even when it fails). */
  private fanOutBatch(batch: number, claimed: string[]): Promise<number> {
    return transaction(this.database.db, async (tx) => {
      const comments = await new AuditCommentRepository(tx).claimFanoutAcrossOrganizations(batch);
      claimed.push(...comments.map((c) => c.id));
      if (comments.length > 0) await this.notifier.commentsAdded(tx, comments);
      return comments.length;
    });
  }

  async edit(actor: Actor, commentId: string, content: string): Promise<CommentView> {
    const comments = new AuditCommentRepository(this.database.db);
    const comment = await comments.findById(actor.organization.id, commentId);
    if (!comment?.auditId) throw new NotFoundError('comment');
    await openAudit(this.database.db, actor, comment.auditId, 'view');
    if (comment.userId !== actor.user.id) throw new ForbiddenError('Only its author can edit a comment.');
    const text = checkContent(content);
    return transaction(this.database.db, async (tx) => {
      const updated = (await new AuditCommentRepository(tx).updateContent(actor.organization.id, comment.id, text))!;
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: comment.auditId,
        userId: actor.user.id,
        action: 'comment_edited',
        metadata: { commentId: comment.id },
      });
      const reactions = await new CommentReactionRepository(tx).summarize(
        actor.organization.id,
        [comment.id],
        actor.user.id,
      );
      return {
        comment: updated,
        authorName: actor.user.name,
        reactions: groupReactions(reactions).get(comment.id) ?? [],
      };
    });
  }

  /** By its author, or anyone with manage access to the audit; replies go with a top comment. */
  async delete(actor: Actor, commentId: string): Promise<void> {
    const comment = await new AuditCommentRepository(this.database.db).findById(actor.organization.id, commentId);
    if (!comment?.auditId) throw new NotFoundError('comment');
    const opened = await openAudit(this.database.db, actor, comment.auditId, 'view');
    if (comment.userId !== actor.user.id && opened.level !== 'manage') {
      throw new ForbiddenError('Only its author or a manager of the audit can delete a comment.');
    }
    await transaction(this.database.db, async (tx) => {
      await new AuditCommentRepository(tx).delete(actor.organization.id, comment.id);
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: comment.auditId,
        userId: actor.user.id,
        action: 'comment_deleted',
        metadata: { commentId: comment.id },
      });
    });
  }

  async react(
    actor: Actor,
    commentId: string,
    reaction: string,
  ): Promise<{ created: boolean; reactions: CommentView['reactions'] }> {
    if (!isValidReaction(reaction)) {
      throw new ValidationError('A reaction is one emoji or one of the listed names.', [
        { field: 'body.reaction', message: 'is not an emoji or a known reaction name' },
      ]);
    }
    const comment = await new AuditCommentRepository(this.database.db).findById(actor.organization.id, commentId);
    if (!comment?.auditId) throw new NotFoundError('comment');
    await openAudit(this.database.db, actor, comment.auditId, 'comment');
    return transaction(this.database.db, async (tx) => {
      const reactions = new CommentReactionRepository(tx);
      const created =
        (await reactions.add(actor.organization.id, { commentId, userId: actor.user.id, reaction })) === true;
      if (created) {
        await new CollaborationActivityRepository(tx).record(actor.organization.id, {
          auditId: comment.auditId,
          userId: actor.user.id,
          action: 'reaction_added',
          metadata: { commentId, reaction },
        });
      }
      const summary = await reactions.summarize(actor.organization.id, [commentId], actor.user.id);
      return { created, reactions: groupReactions(summary).get(commentId) ?? [] };
    });
  }

  async unreact(actor: Actor, commentId: string, reaction: string): Promise<void> {
    const comment = await new AuditCommentRepository(this.database.db).findById(actor.organization.id, commentId);
    if (!comment?.auditId) throw new NotFoundError('comment');
    await openAudit(this.database.db, actor, comment.auditId, 'view');
    await new CommentReactionRepository(this.database.db).remove(actor.organization.id, {
      commentId,
      userId: actor.user.id,
      reaction,
    });
  }
}

function parentNotOnAudit(): ValidationError {
  return new ValidationError('The comment to reply to is not on this audit.', [
    { field: 'body.parentId', message: 'is not a comment of this audit' },
  ]);
}

function checkContent(content: string): string {
  if (content.trim().length === 0) {
    throw new ValidationError('A comment needs some text.', [{ field: 'body.content', message: 'is empty' }]);
  }
  return content;
}

function groupReactions(rows: ReactionSummary[]): Map<string, CommentView['reactions']> {
  const map = new Map<string, CommentView['reactions']>();
  for (const r of rows) {
    const list = map.get(r.commentId) ?? [];
    list.push({ reaction: r.reaction, count: r.count, reactedByMe: r.reactedByMe });
    map.set(r.commentId, list);
  }
  return map;
}
