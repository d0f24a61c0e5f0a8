/**
 * Who hears about what happens on an audit: in-app notifications and emails, by each
 * person's preferences, only to people who can see the audit (the access repository, one
 * query), never to the person who did it. Written in the transaction of what caused them.
 */
import type { Config } from '../config.js';
import type { Executor } from '../db/database.js';
import { notificationEmail } from '../domain/email-templates.js';
import { parseMentions } from '../domain/mentions.js';
import type { SharePermission } from '../policies/audit.policy.js';
import { AccessRepository } from '../repositories/access.repository.js';
import { AuditCommentRepository, type AuditComment } from '../repositories/audit-comment.repository.js';
import { EmailOutboxRepository } from '../repositories/email-outbox.repository.js';
import { NotificationPreferencesRepository } from '../repositories/notification-preferences.repository.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import type { Actor } from './actor.js';
import type { OpenedAudit } from './audit-access.js';

export class Notifier {
  constructor(private readonly config: Config) {}

  private auditUrl(origin: string, auditId: string): string {
    return `${this.config.appUrl ?? origin}/audits/${auditId}`;
  }

  /**
   * Mentions notify the mentioned (inAppMentions / emailMentions); a comment notifies the
   * audit's owner and earlier commenters (inAppComments / emailComments). Never the author,
   * never twice, only people who can see the audit.
   */
  async commentAdded(tx: Executor, actor: Actor, opened: OpenedAudit, comment: AuditComment, origin: string) {
    const organizationId = actor.organization.id;
    const audience = await new AccessRepository(tx).members(organizationId, opened.audit.id, 'view');
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
