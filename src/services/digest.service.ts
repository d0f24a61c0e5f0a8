/**
 * The weekly digest: each user who wants it (emailWeeklyDigest, on by default) gets one
 * email a week summing up the last seven days of activity on the audits they can see.
 * Nothing happened: no email. The (user, week) claim is a row, so however many instances
 * run this, each digest goes out once.
 */
import type { Config } from '../config.js';
import { transaction, type Database } from '../db/database.js';
import { weekStart } from '../domain/days.js';
import { weeklyDigestEmail } from '../domain/email-templates.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { DigestRepository } from '../repositories/digest.repository.js';
import { EmailOutboxRepository } from '../repositories/email-outbox.repository.js';

const PAGE = 200;

export class DigestService {
  constructor(
    private readonly database: Database,
    private readonly config: Config,
  ) {}

  /** Queues this week's digests not sent yet (across organizations); returns how many emails it queued. */
  async sendWeekly(now = new Date()): Promise<{ week: string; sent: number }> {
    const week = weekStart(now);
    const since = new Date(now.getTime() - 7 * 86_400_000);
    const url = `${this.config.appUrl ?? `http://localhost:${this.config.port}`}/activity`;
    let after: string | null = null;
    let sent = 0;
    for (;;) {
      const recipients = await new DigestRepository(this.database.db).recipientsAcrossOrganizations(after, PAGE);
      for (const user of recipients) {
        const organizationId = user.organizationId!;
        const queued = await transaction(this.database.db, async (tx) => {
          if (!(await new DigestRepository(tx).claim(user.id, week))) return false;
          const feed = await new CollaborationActivityRepository(tx).listVisible(
            organizationId,
            { userId: user.id, role: user.role },
            { since, limit: 100 },
          );
          if (feed.items.length === 0) return false;
          await new EmailOutboxRepository(tx).enqueue({
            organizationId,
            template: 'weekly_digest',
            to: user.email,
            ...weeklyDigestEmail({ events: feed.items, more: feed.nextCursor !== null, url }),
          });
          return true;
        });
        if (queued) sent += 1;
      }
      if (recipients.length < PAGE) break;
      after = recipients[recipients.length - 1]!.id;
    }
    return { week, sent };
  }
}
