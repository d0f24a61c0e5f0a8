/**
 * Drains the email outbox every OUTBOX_POLL_MS, and at once when this instance's comment fan-out
 * queued emails (services/email.service.ts delivers).
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import type { EmailService } from '../services/email.service.js';
import { PollingLoop } from './polling-loop.js';

export class OutboxWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly emails: EmailService,
    config: Config,
    logger: FastifyBaseLogger,
  ) {
    this.loop = new PollingLoop('outbox', config.outboxPollMs, () => this.drain(), logger);
  }

  start(): void {
    this.loop.start();
  }

  /** Emails were queued here: send them now rather than at the next poll. */
  notify(): void {
    this.loop.notify();
  }

  /** Finishes the batch in progress, then stops. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.emails.close();
  }

  /** Sends everything due now; returns how many messages it handled. */
  drain(): Promise<number> {
    return this.emails.deliverDue(() => this.loop.isStopped);
  }
}
