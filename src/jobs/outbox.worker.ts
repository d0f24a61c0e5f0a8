/**
 * Drains the email outbox: claims due messages (SKIP LOCKED, so several instances share
 * the work), sends each through SMTP (nodemailer), marks it sent; a failure is retried
 * with exponential backoff, up to MAX_ATTEMPTS. Each message carries a Message-ID made
 * from its outbox id, so that the rare resend after a crash between "SMTP accepted" and
 * "marked sent" is recognisable as the same message. Without SMTP_URL, messages are
 * logged (their text only outside production: invite links are secrets) and marked 'logged'.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { EmailOutboxRepository, type OutboxMessage } from '../repositories/email-outbox.repository.js';
import { PollingLoop } from './polling-loop.js';

export const MAX_ATTEMPTS = 8;
const BATCH = 10;

/** Seconds to wait before attempt n+1: 30 s, 1 min, 2 min, … capped at an hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

export class OutboxWorker {
  private readonly loop: PollingLoop;
  private readonly transport: Transporter | null;

  constructor(
    private readonly database: Database,
    private readonly config: Config,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
    this.loop = new PollingLoop('outbox', config.outboxPollMs, () => this.drain(), logger);
  }

  start(): void {
    this.loop.start();
  }

  /** Finishes the batch in progress, then stops. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.transport?.close();
  }

  /** Sends everything due now; returns how many messages it handled. */
  async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = await new EmailOutboxRepository(this.database.db).claimDue(BATCH);
      for (const message of batch) await this.deliver(message);
      handled += batch.length;
      if (batch.length < BATCH || this.loop.isStopped) return handled;
    }
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    const outbox = new EmailOutboxRepository(this.database.db);
    if (!this.transport) {
      const text = this.config.nodeEnv === 'production' ? undefined : message.textBody;
      this.logger.info(
        { to: message.toAddress, subject: message.subject, text },
        'email (no SMTP_URL: logged, not sent)',
      );
      await outbox.markSent(message.id, 'logged');
      return;
    }
    try {
      await this.transport.sendMail({
        from: this.config.emailFrom,
        to: message.toAddress,
        subject: message.subject,
        text: message.textBody,
        html: message.htmlBody,
        messageId: `<${message.id}@stackaudit>`,
      });
      await outbox.markSent(message.id, 'sent');
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
