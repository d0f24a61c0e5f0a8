/**
 * Threaded comments on an audit and their reactions. A change writes its activity row, and
 * the notifications it causes (notifier.ts), in the same transaction.
 */
import { transaction, type Database } from '../db/database.js';
import { isValidReaction } from '../domain/mentions.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { AuditCommentRepository, type AuditComment } from '../repositories/audit-comment.repository.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { CommentReactionRepository, type ReactionSummary } from '../repositories/comment-reaction.repository.js';
import type { Actor } from './actor.js';
import { openAudit } from './audit-access.js';
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

export class CommentService {
  constructor(
    private readonly database: Database,
    private readonly notifier: Notifier,
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

  async add(
    actor: Actor,
    auditId: string,
    input: { content: string; parentId?: string },
    origin: string,
  ): Promise<CommentView> {
    const opened = await openAudit(this.database.db, actor, auditId, 'comment');
    const content = checkContent(input.content);
    return transaction(this.database.db, async (tx) => {
      const comments = new AuditCommentRepository(tx);
      let parentId: string | null = null;
      if (input.parentId !== undefined) {
        const parent = await comments.findById(actor.organization.id, input.parentId);
        if (!parent || parent.auditId !== opened.audit.id) {
          throw new ValidationError('The comment to reply to is not on this audit.', [
            { field: 'body.parentId', message: 'is not a comment of this audit' },
          ]);
        }
        // Threads are one level deep: a reply to a reply joins the same thread.
        parentId = parent.parentId ?? parent.id;
      }
      const comment = (await comments.create(actor.organization.id, {
        auditId: opened.audit.id,
        userId: actor.user.id,
        parentId,
        content,
      }))!;
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: opened.audit.id,
        userId: actor.user.id,
        action: 'comment_added',
        metadata: { commentId: comment.id, parentId },
      });
      await this.notifier.commentAdded(tx, actor, opened, comment, origin);
      return { comment, authorName: actor.user.name, reactions: [] };
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
