/**
 * Who hears about what happens on an audit: in-app notifications and emails, by each
 * person's preferences, only to people who can see the audit (the access repository, one
 * query), never to the person who did it. A share is told in the transaction that makes it;
 * comments are told by the fan-out worker, in the transaction that takes them off the queue.
 */
import type { Config } from '../config.js';
import type { Executor } from '../db/database.js';
import { notificationEmail } from '../domain/email-templates.js';
import { commentRecipients } from '../domain/comment-recipients.js';
import type { SharePermission } from '../policies/audit.policy.js';
import { AccessRepository, type CommentAudienceMember } from '../repositories/access.repository.js';
import type { ClaimedComment } from '../repositories/audit-comment.repository.js';
import { EmailOutboxRepository, type NewEmail } from '../repositories/email-outbox.repository.js';
import { NotificationPreferencesRepository } from '../repositories/notification-preferences.repository.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import type { Actor } from './actor.js';
import type { OpenedAudit } from './audit-access.js';

export class Notifier {
  constructor(private readonly config: Config) {}

  private auditUrl(origin: string, auditId: string): string {
    return `${this.config.appUrl ?? origin}/audits/${auditId}`;
  }

  /** Where links of background emails point: APP_URL (required in production), else this server. */
  private origin(): string {
    return this.config.appUrl ?? `http://localhost:${this.config.port}`;
  }

  /**
   * The people a batch of new comments concerns, told in one go (the comment fan-out worker):
   * mentions notify the mentioned (inAppMentions / emailMentions); a comment notifies the
   * audit's owner and earlier commenters (inAppComments / emailComments). Never the author,
   * never twice for one comment, only people who can see the audit (one set-based query), and
   * everything written in two INSERTs (one array per column: bulk-insert.ts). Returns how many notifications and emails.
   */
  async commentsAdded(tx: Executor, comments: ClaimedComment[]): Promise<{ notifications: number; emails: number }> {
    const audience = await new AccessRepository(tx).commentAudiencesAcrossOrganizations(comments.map((c) => c.id));
    const byComment = new Map<string, CommentAudienceMember[]>();
    for (const member of audience) {
      const list = byComment.get(member.commentId) ?? [];
      list.push(member);
      byComment.set(member.commentId, list);
    }
    const notifications: Parameters<NotificationRepository['insertMany']>[0] = [];
    const emails: NewEmail[] = [];
    for (const comment of comments) {
      const who = comment.authorName ?? comment.authorEmail ?? 'Someone';
      const url = `${this.origin()}/audits/${comment.auditId}`;
      const excerpt = comment.content.length > 280 ? `${comment.content.slice(0, 277)}…` : comment.content;
      for (const recipient of commentRecipients(comment, byComment.get(comment.id) ?? [])) {
        const isMention = recipient.kind === 'mention';
        const text = isMention
          ? `${who} mentioned you on "${comment.auditName}"`
          : `${who} commented on "${comment.auditName}"`;
        if (recipient.inApp) {
          notifications.push({
            organizationId: comment.organizationId,
            userId: recipient.userId,
            type: recipient.kind,
            auditId: comment.auditId,
            commentId: comment.id,
            actorId: comment.userId,
            text,
          });
        }
        if (recipient.byEmail) {
          emails.push({
            organizationId: comment.organizationId,
            template: recipient.kind,
            to: recipient.email,
            ...notificationEmail({ subject: text, lines: [`${text}:`, excerpt], url, action: 'Reply' }),
          });
        }
      }
    }
    return {
      notifications: await new NotificationRepository(tx).insertMany(notifications),
      emails: await new EmailOutboxRepository(tx).enqueueMany(emails),
    };
  }

  /** The person an audit was shared with hears of it (in the app; by email if they want). */
  async auditShared(
    tx: Executor,
    actor: Actor,
    opened: OpenedAudit,
    target: { id: string; email: string },
    permission: SharePermission,
    origin: string,
  ): Promise<void> {
    if (target.id === actor.user.id) return;
    const organizationId = actor.organization.id;
    const text = `${actor.user.name ?? actor.user.email} shared "${opened.audit.name}" with you (${permission}).`;
    await new NotificationRepository(tx).create(organizationId, {
      userId: target.id,
      type: 'share',
      auditId: opened.audit.id,
      actorId: actor.user.id,
      text,
    });
    const prefs = (await new NotificationPreferencesRepository(tx).getMany(organizationId, [target.id])).get(target.id);
    if (prefs?.emailShares) {
      await new EmailOutboxRepository(tx).enqueue({
        organizationId,
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
}
