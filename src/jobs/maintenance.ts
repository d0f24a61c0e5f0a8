/**
 * Hourly housekeeping (services/maintenance.service.ts does it): expired rows deleted;
 * with RETENTION_ENABLED=true, once a day, audits past their organization's retention
 * (deleting data is never a default); then the server's other hourly work (billing periods
 * that ended, daily integration syncs).
 */
import type { FastifyBaseLogger } from 'fastify';

import type { MaintenanceService } from '../services/maintenance.service.js';

const EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * EVERY_MS;

export class MaintenanceWorker {
  private timer: NodeJS.Timeout | null = null;
  private lastRetention = 0;

  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly logger: FastifyBaseLogger,
    private readonly retentionEnabled = false,
    /** The server's other hourly work; tests call those directly. */
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
    const purged = await this.maintenance.purgeExpired(now);
    if (Object.values(purged).some((n) => n > 0)) this.logger.info(purged, 'maintenance: expired rows deleted');
    let audits = 0;
    if (this.retentionEnabled && now.getTime() - this.lastRetention >= DAY_MS) {
      this.lastRetention = now.getTime();
      audits = await this.applyRetention(now);
    }
    if (this.hourly) await this.hourly(now);
    return { sessions: purged.sessions, rateLimits: purged.rateLimits, audits };
  }

  /** Deletes audits past their organization's retention, logging each one. */
  async applyRetention(now = new Date()): Promise<number> {
    const deleted = await this.maintenance.applyRetention(now);
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
