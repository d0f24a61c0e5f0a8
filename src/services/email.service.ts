/**
 * Delivering the email outbox: claims due messages (SKIP LOCKED, so several instances share
 * the work), sends each through the mailer, marks it sent; a failure is retried with
 * exponential backoff, up to MAX_ATTEMPTS. Without SMTP_URL, messages are logged (their
 * text only outside production: links in them are secrets) and marked 'logged'.
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { smtpMailer, type Mailer } from '../integrations/smtp.js';
import { EmailOutboxRepository, type OutboxMessage } from '../repositories/email-outbox.repository.js';

export const MAX_ATTEMPTS = 8;
/**
 * Messages claimed at a time. Through SMTP ten: each is sent and marked in turn, and a batch
 * must be out well within its claim (two minutes). Logged (no SMTP_URL) a hundred: a batch is
 * two statements whatever its size — a claim, then one UPDATE — and a crash between them only
 * logs the batch again once its claim runs out; ten at a time, the emails of a busy
 * discussion fell behind the comments that caused them.
 */
const SMTP_BATCH = 10;
const LOG_BATCH = 100;

/** Seconds to wait before attempt n+1: 30 s, 1 min, 2 min, … capped at an hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

export class EmailService {
  private readonly mailer: Mailer | null;

  constructor(
    private readonly database: Database,
    private readonly config: Config,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.emailFrom) : null;
  }

  /** Sends everything due now, a batch at a time, until nothing is due or `stopped()`; returns how many it handled. */
  async deliverDue(stopped: () => boolean = () => false): Promise<number> {
    let handled = 0;
    const size = this.mailer ? SMTP_BATCH : LOG_BATCH;
    for (;;) {
      const outbox = new EmailOutboxRepository(this.database.db);
      const batch = await outbox.claimDue(size);
      if (this.mailer) for (const message of batch) await this.deliver(this.mailer, message);
      else
        await outbox.markSent(
          batch.map((message) => this.log(message)),
          'logged',
        );
      handled += batch.length;
      if (batch.length < size || stopped()) return handled;
    }
  }

  close(): void {
    this.mailer?.close();
  }

  /**
   * Without SMTP_URL: the message is written to the log (its text only outside production:
   * links in it are secrets). Nothing leaves the process, so a batch is logged and then marked
   * in one statement — on the embedded database, which runs one statement at a time, a
   * statement per email held up the requests behind it.
   */
  private log(message: OutboxMessage): string {
    const text = this.config.nodeEnv === 'production' ? undefined : message.textBody;
    this.logger.info(
      { to: message.toAddress, subject: message.subject, text },
      'email (no SMTP_URL: logged, not sent)',
    );
    return message.id;
  }

  /**
   * Through SMTP, one message at a time, each marked as soon as it is sent: a crash between
   * the send and the mark re-sends that one message (after the claim expires), not a batch.
   */
  private async deliver(mailer: Mailer, message: OutboxMessage): Promise<void> {
    const outbox = new EmailOutboxRepository(this.database.db);
    try {
      await mailer.send({
        id: message.id,
        to: message.toAddress,
        subject: message.subject,
        text: message.textBody,
        html: message.htmlBody,
      });
      await outbox.markSent([message.id], 'sent');
      this.logger.info({ emailId: message.id, template: message.template }, 'email sent');
    } catch (error) {
      const reason = (error as Error).message;
      const retryAt =
        message.attempts < MAX_ATTEMPTS ? new Date(Date.now() + backoffSeconds(message.attempts) * 1000) : null;
      await outbox.markFailed(message.id, reason, retryAt);
      this.logger.warn({ emailId: message.id, attempts: message.attempts, retryAt, reason }, 'email not sent');
    }
  }
}
