/**
 * The weekly digest: each user who wants it (emailWeeklyDigest, on by default) gets one
 * email a week summing up the last seven days of activity on the audits they can see.
 * Nothing happened: no email. The (user, week) claim is a row, so however many instances
 * run this, each digest goes out once.
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import { transaction, type Database } from '../db/database.js';
import { notificationEmail } from '../domain/email-templates.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { DigestRepository } from '../repositories/digest.repository.js';
import { EmailOutboxRepository } from '../repositories/email-outbox.repository.js';

const PAGE = 200;

/** The Monday (UTC) that starts the week of `now`, 'YYYY-MM-DD'. */
export function weekStart(now: Date): string {
  const day = now.getUTCDay(); // 0 = Sunday
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((day + 6) % 7)));
  return monday.toISOString().slice(0, 10);
}

const ACTION_WORDS: Record<string, string> = {
  audit_created: 'audits created',
  audit_updated: 'audits changed',
  analysis_completed: 'analyses completed',
  comment_added: 'comments',
  reaction_added: 'reactions',
  audit_shared: 'shares',
  visibility_changed: 'visibility changes',
  member_joined: 'people joined',
};

/** Sends this week's digests not sent yet; returns how many emails it queued. */
export async function sendWeeklyDigests(
  database: Database,
  config: Config,
  logger: FastifyBaseLogger,
  now = new Date(),
): Promise<number> {
  const week = weekStart(now);
  const since = new Date(now.getTime() - 7 * 86_400_000);
  let after: string | null = null;
  let sent = 0;
  for (;;) {
    const recipients = await new DigestRepository(database.db).recipientsAcrossOrganizations(after, PAGE);
    for (const user of recipients) {
      const organizationId = user.organizationId!;
      const queued = await transaction(database.db, async (tx) => {
        if (!(await new DigestRepository(tx).claim(user.id, week))) return false;
        const feed = await new CollaborationActivityRepository(tx).listVisible(
          organizationId,
          { userId: user.id, role: user.role },
          { since, limit: 100 },
        );
        if (feed.items.length === 0) return false;
        const counts = new Map<string, number>();
        for (const item of feed.items) counts.set(item.action, (counts.get(item.action) ?? 0) + 1);
        const lines = [...counts]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([action, count]) => `${count} ${ACTION_WORDS[action] ?? action.replace(/_/g, ' ')}`);
        const subject = `Your StackAudit week: ${lines.slice(0, 2).join(', ')}`;
        await new EmailOutboxRepository(tx).enqueue({
          organizationId,
          template: 'weekly_digest',
          to: user.email,
          ...notificationEmail({
            subject,
            lines: [`In the last seven days, on the audits you can see:`, ...lines.map((l) => `• ${l}`)],
            url: `${config.appUrl ?? `http://localhost:${config.port}`}/activity`,
            action: 'See the activity',
          }),
        });
        return true;
      });
      if (queued) sent += 1;
    }
    if (recipients.length < PAGE) break;
    after = recipients[recipients.length - 1]!.id;
  }
  if (sent) logger.info({ week, sent }, 'weekly digests queued');
  return sent;
}
