/**
 * Housekeeping every instance may run (each statement is idempotent): delete expired
 * sessions, emailed links and rate-limit windows that have passed, so those tables stay small; the
 * server's hourly tasks (billing periods that ended, weekly digests); and, only
 * with RETENTION_ENABLED=true, once a day, audits older than their organization's
 * settings.auditRetentionDays (deleting data is never a default).
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Database } from '../db/database.js';
import { AccountTokenRepository } from '../repositories/account-token.repository.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { RateLimitRepository } from '../repositories/rate-limit.repository.js';
import { SessionRepository } from '../repositories/session.repository.js';

const EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * EVERY_MS;
/** The seed plan's auditRetentionDays, for organizations without the setting. */
export const DEFAULT_RETENTION_DAYS = 90;

export class MaintenanceWorker {
  private timer: NodeJS.Timeout | null = null;
  private lastRetention = 0;

  constructor(
    private readonly database: Database,
    private readonly logger: FastifyBaseLogger,
    private readonly retentionEnabled = false,
    /** The server's other hourly work (plans whose paid period ended, weekly digests); tests call those directly. */
    private readonly hourly?: (now: Date) => Promise<unknown>,
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

  async run(now = new Date()): Promise<{ sessions: number; rateLimits: number; audits: number }> {
    const sessions = await new SessionRepository(this.database.db).deleteExpired(now);
    const rateLimits = await new RateLimitRepository(this.database.db).deleteExpired(now);
    const links = await new AccountTokenRepository(this.database.db).deleteExpired(now);
    if (sessions + rateLimits + links > 0) {
      this.logger.info({ sessions, rateLimits, links }, 'maintenance: expired rows deleted');
    }
    let audits = 0;
    if (this.retentionEnabled && now.getTime() - this.lastRetention >= DAY_MS) {
      this.lastRetention = now.getTime();
      audits = await this.applyRetention(now);
    }
    if (this.hourly) await this.hourly(now);
    return { sessions, rateLimits, audits };
  }

  /** Deletes audits past their organization's retention, logging each one. */
  async applyRetention(now = new Date()): Promise<number> {
    const deleted = await new AuditRepository(this.database.db).deleteExpiredAcrossOrganizations(
      DEFAULT_RETENTION_DAYS,
      now,
    );
    for (const audit of deleted) {
      this.logger.info(
        { auditId: audit.id, organizationId: audit.organizationId, name: audit.name },
        'retention: audit deleted',
      );
    }
    if (deleted.length) this.logger.info({ count: deleted.length }, 'retention: old audits deleted');
    return deleted.length;
  }
}
