/**
 * Housekeeping every instance may run (each statement is idempotent): delete expired
 * sessions and rate-limit windows that have passed, so those tables stay small.
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Database } from '../db/database.js';
import { RateLimitRepository } from '../repositories/rate-limit.repository.js';
import { SessionRepository } from '../repositories/session.repository.js';

const EVERY_MS = 60 * 60 * 1000;

export class MaintenanceWorker {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    private readonly logger: FastifyBaseLogger,
  ) {}

  start(): void {
    const tick = () => {
      this.run().catch((error: unknown) =>
        this.logger.warn({ err: { message: (error as Error).message } }, 'maintenance pass failed'),
      );
    };
    this.timer = setInterval(tick, EVERY_MS);
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(now = new Date()): Promise<{ sessions: number; rateLimits: number }> {
    const sessions = await new SessionRepository(this.database.db).deleteExpired(now);
    const rateLimits = await new RateLimitRepository(this.database.db).deleteExpired(now);
    if (sessions + rateLimits > 0) this.logger.info({ sessions, rateLimits }, 'maintenance: expired rows deleted');
    return { sessions, rateLimits };
  }
}
