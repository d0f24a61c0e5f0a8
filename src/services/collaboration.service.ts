/**
 * Collaboration on an audit: threaded comments, reactions, mentions, visibility and
 * shares, the activity feed, and the notifications these cause. Every change writes its
 * activity row, notifications and emails in the same transaction as the change.
 */
import type { Config } from '../config.js';
import { transaction, type Database, type Executor } from '../db/database.js';
import { notificationEmail } from '../domain/email-templates.js';
import { isValidReaction, parseMentions } from '../domain/mentions.js';
import { newSecretToken } from '../domain/tokens.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { accessLevel, atLeast, type SharePermission, type Visibility } from '../policies/audit.policy.js';
import type { Audit } from '../repositories/audit.repository.js';
import { AnalysisResultRepository, type AnalysisResult } from '../repositories/analysis-result.repository.js';
import { AuditCommentRepository, type AuditComment } from '../repositories/audit-comment.repository.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { AuditShareRepository } from '../repositories/audit-share.repository.js';
import { AuditUserShareRepository, type AuditUserShare } from '../repositories/audit-user-share.repository.js';
import { CollaborationActivityRepository, type Activity } from '../repositories/collaboration-activity.repository.js';
import { CommentReactionRepository, type ReactionSummary } from '../repositories/comment-reaction.repository.js';
import { EmailOutboxRepository } from '../repositories/email-outbox.repository.js';
import { NotificationPreferencesRepository } from '../repositories/notification-preferences.repository.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import type { Page, PageRequest } from '../repositories/pagination.js';
import { UserRepository, type User } from '../repositories/user.repository.js';
import type { Actor } from './actor.js';
import { openAudit, type OpenedAudit } from './audit-access.js';

export interface CommentView {
  comment: AuditComment;
  authorName: string | null;
  reactions: { reaction: string; count: number; reactedByMe: boolean }[];
}
export interface ThreadView extends CommentView {
  replies: CommentView[];
}

export class CollaborationService {
  constructor(
    private readonly database: Database,
    private readonly config: Config,
  ) {}

  private auditUrl(origin: string, auditId: string): string {
    return `${this.config.appUrl ?? origin}/audits/${auditId}`;
  }

  // --- Comments -------------------------------------------------------------------------

  /** Top-level comments (oldest first) with replies, authors and reactions: three queries. */
  async listComments(actor: Actor, auditId: string, page: PageRequest): Promise<Page<ThreadView>> {
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

  async addComment(
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
      await this.notifyAboutComment(tx, actor, opened, comment, origin);
      return { comment, authorName: actor.user.name, reactions: [] };
    });
  }

  async editComment(actor: Actor, commentId: string, content: string): Promise<CommentView> {
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
  async deleteComment(actor: Actor, commentId: string): Promise<void> {
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

  // --- Reactions ------------------------------------------------------------------------

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

  // --- Visibility and shares ------------------------------------------------------------

  async getShare(actor: Actor, auditId: string): Promise<{ visibility: Visibility; shareToken: string | null }> {
    const opened = await openAudit(this.database.db, actor, auditId, 'view');
    const share = await new AuditShareRepository(this.database.db).findByAudit(actor.organization.id, opened.audit.id);
    const token =
      opened.level === 'manage' && opened.facts.visibility === 'public' ? (share?.shareToken ?? null) : null;
    return { visibility: opened.facts.visibility, shareToken: token };
  }

  /** Making it public makes a fresh token; leaving public kills it. */
  async setVisibility(
    actor: Actor,
    auditId: string,
    visibility: Visibility,
  ): Promise<{ visibility: Visibility; shareToken: string | null }> {
    const opened = await openAudit(this.database.db, actor, auditId, 'manage');
    return transaction(this.database.db, async (tx) => {
      const token = visibility === 'public' ? newSecretToken() : null;
      await new AuditShareRepository(tx).setVisibility(actor.organization.id, opened.audit.id, visibility, token);
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: opened.audit.id,
        userId: actor.user.id,
        action: 'visibility_changed',
        metadata: { from: opened.facts.visibility, to: visibility },
      });
      return { visibility, shareToken: token };
    });
  }

  /** A public audit by its link, for anyone: no comments, no member data. */
  async shared(token: string): Promise<{ audit: Audit; analysis: AnalysisResult | null }> {
    const share = await new AuditShareRepository(this.database.db).findPublicByTokenAcrossOrganizations(token);
    if (!share?.auditId) throw new NotFoundError('shared audit');
    const audit = await new AuditRepository(this.database.db).findByIdAcrossOrganizations(share.auditId);
    if (!audit) throw new NotFoundError('shared audit');
    const analysis = await new AnalysisResultRepository(this.database.db).latestForAuditAcrossOrganizations(audit.id);
    return { audit, analysis };
  }

  async listUserShares(actor: Actor, auditId: string): Promise<(AuditUserShare & { user: User })[]> {
    const opened = await openAudit(this.database.db, actor, auditId, 'manage');
    const shares = await new AuditUserShareRepository(this.database.db).listForAudit(
      actor.organization.id,
      opened.audit.id,
    );
    const members = new Map(
      (await new UserRepository(this.database.db).listByOrganization(actor.organization.id)).map((u) => [u.id, u]),
    );
    return shares.flatMap((s) => {
      const user = s.userId ? members.get(s.userId) : undefined;
      return user ? [{ ...s, user }] : [];
    });
  }

  async shareWithUser(
    actor: Actor,
    auditId: string,
    input: { userId?: string; email?: string; permission: SharePermission },
    origin: string,
  ): Promise<{ share: AuditUserShare & { user: User }; created: boolean }> {
    const opened = await openAudit(this.database.db, actor, auditId, 'manage');
    const users = new UserRepository(this.database.db);
    const target = input.userId
      ? await users.findById(actor.organization.id, input.userId)
      : input.email
        ? await users.findByEmailAcrossOrganizations(input.email)
        : null;
    // Only people of the same organization; anyone else is "not found" (never reveal accounts).
    if (!target || target.organizationId !== actor.organization.id)
      throw new NotFoundError('user in this organization');
    return transaction(this.database.db, async (tx) => {
      const result = (await new AuditUserShareRepository(tx).upsert(actor.organization.id, {
        auditId: opened.audit.id,
        userId: target.id,
        permission: input.permission,
      }))!;
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: opened.audit.id,
        userId: actor.user.id,
        action: 'audit_shared',
        metadata: { withUserId: target.id, permission: input.permission, changed: !result.created },
      });
      if (target.id !== actor.user.id) {
        const text = `${actor.user.name ?? actor.user.email} shared "${opened.audit.name}" with you (${input.permission}).`;
        await new NotificationRepository(tx).create(actor.organization.id, {
          userId: target.id,
          type: 'share',
          auditId: opened.audit.id,
          actorId: actor.user.id,
          text,
        });
        const prefs = (await new NotificationPreferencesRepository(tx).getMany(actor.organization.id, [target.id])).get(
          target.id,
        );
        if (prefs?.emailShares) {
          await new EmailOutboxRepository(tx).enqueue({
            organizationId: actor.organization.id,
            template: 'share',
            to: target.email,
            ...notificationEmail({
              subject: text,
              lines: [text],
              url: this.auditUrl(origin, opened.audit.id),
              action: 'Open the audit',
            }),
          });
        }
      }
      return { share: { ...result.share, user: target }, created: result.created };
    });
  }

  async unshare(actor: Actor, auditId: string, userId: string): Promise<void> {
    const opened = await openAudit(this.database.db, actor, auditId, 'manage');
    await transaction(this.database.db, async (tx) => {
      const removed = await new AuditUserShareRepository(tx).delete(actor.organization.id, opened.audit.id, userId);
      if (!removed) throw new NotFoundError('share');
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: opened.audit.id,
        userId: actor.user.id,
        action: 'share_removed',
        metadata: { withUserId: userId },
      });
    });
  }

  /** The people who can see the audit (mention autocomplete), optionally matching `query`. */
  async mentionable(actor: Actor, auditId: string, query = ''): Promise<User[]> {
    const opened = await openAudit(this.database.db, actor, auditId, 'comment');
    const people = await this.peopleWhoCanSee(this.database.db, actor.organization.id, opened);
    const q = query.trim().toLowerCase();
    return people
      .filter((u) => !q || u.email.includes(q) || (u.name ?? '').toLowerCase().includes(q))
      .sort((a, b) => (a.name ?? a.email).localeCompare(b.name ?? b.email))
      .slice(0, 50);
  }

  // --- Activity ---------------------------------------------------------------------------

  async activity(
    actor: Actor,
    options: PageRequest & { auditId?: string },
  ): Promise<Page<Activity & { userName: string | null }>> {
    if (options.auditId) await openAudit(this.database.db, actor, options.auditId, 'view');
    return new CollaborationActivityRepository(this.database.db).listVisible(
      actor.organization.id,
      { userId: actor.user.id, role: actor.user.role },
      options,
    );
  }

  // --- Notifications ----------------------------------------------------------------------

  /** Members who can at least view the audit: the access policy applied to each member (2 queries). */
  private async peopleWhoCanSee(db: Executor, organizationId: string, opened: OpenedAudit): Promise<User[]> {
    const members = await new UserRepository(db).listByOrganization(organizationId);
    const shares = await new AuditUserShareRepository(db).listForAudit(organizationId, opened.audit.id);
    const permission = new Map(shares.map((s) => [s.userId, s.permission as SharePermission]));
    return members.filter((user) => {
      const level = accessLevel({ userId: user.id, role: user.role, organizationId }, opened.audit, {
        visibility: opened.facts.visibility,
        sharePermission: permission.get(user.id) ?? null,
      });
      return atLeast(level, 'view');
    });
  }

  /**
   * Mentions notify the mentioned (inAppMentions / emailMentions); a comment notifies the
   * audit's owner and earlier commenters (inAppComments / emailComments). Never the author,
   * never twice, only people who can see the audit.
   */
  private async notifyAboutComment(
    tx: Executor,
    actor: Actor,
    opened: OpenedAudit,
    comment: AuditComment,
    origin: string,
  ): Promise<void> {
    const organizationId = actor.organization.id;
    const audience = await this.peopleWhoCanSee(tx, organizationId, opened);
    const mentions = parseMentions(comment.content);
    const mentioned = audience.filter(
      (u) =>
        u.id !== actor.user.id &&
        (mentions.emails.includes(u.email) ||
          (u.name !== null && mentions.names.includes(u.name.trim().toLowerCase()))),
    );
    const mentionedIds = new Set(mentioned.map((u) => u.id));
    // Who else might follow the thread: the audience but the author and the mentioned.
    const others = audience.filter((u) => u.id !== actor.user.id && !mentionedIds.has(u.id));
    const commenters = await new AuditCommentRepository(tx).commentersAmong(
      organizationId,
      opened.audit.id,
      others.filter((u) => u.id !== opened.audit.userId).map((u) => u.id),
    );
    const followers = others.filter((u) => u.id === opened.audit.userId || commenters.has(u.id));
    const recipients = [...mentioned, ...followers];
    if (recipients.length === 0) return;
    const prefs = await new NotificationPreferencesRepository(tx).getMany(
      organizationId,
      recipients.map((u) => u.id),
    );
    const notifications = new NotificationRepository(tx);
    const outbox = new EmailOutboxRepository(tx);
    const who = actor.user.name ?? actor.user.email;
    const url = this.auditUrl(origin, opened.audit.id);
    const excerpt = comment.content.length > 280 ? `${comment.content.slice(0, 277)}…` : comment.content;
    for (const user of recipients) {
      const p = prefs.get(user.id);
      if (!p) continue;
      const isMention = mentionedIds.has(user.id);
      const text = isMention
        ? `${who} mentioned you on "${opened.audit.name}"`
        : `${who} commented on "${opened.audit.name}"`;
      if (isMention ? p.inAppMentions : p.inAppComments) {
        await notifications.create(organizationId, {
          userId: user.id,
          type: isMention ? 'mention' : 'comment',
          auditId: opened.audit.id,
          commentId: comment.id,
          actorId: actor.user.id,
          text,
        });
      }
      if (isMention ? p.emailMentions : p.emailComments) {
        await outbox.enqueue({
          organizationId,
          template: isMention ? 'mention' : 'comment',
          to: user.email,
          ...notificationEmail({ subject: text, lines: [`${text}:`, excerpt], url, action: 'Reply' }),
        });
      }
    }
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
