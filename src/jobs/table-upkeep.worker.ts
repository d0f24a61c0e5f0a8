/**
 * Autovacuum for the embedded database: every UPKEEP_INTERVAL_MS, the tables past
 * autovacuum's thresholds are vacuumed and analysed (services/maintenance.service.ts
 * `upkeepTables`). Started only on PGlite, which runs PostgreSQL's single-user backend with no
 * autovacuum of its own; a PostgreSQL server's autovacuum does this there. The check is one
 * read of pg_stat_user_tables; a table's pass holds the embedded database for its duration
 * (milliseconds for a queue, longer for an ANALYZE of a large table, which its thresholds
 * make rare: 10 % of it must have changed).
 */
import type { FastifyBaseLogger } from 'fastify';

import type { MaintenanceService } from '../services/maintenance.service.js';
import { PollingLoop } from './polling-loop.js';

/** Autovacuum's naptime is a minute; a queue that fills in seconds wants sooner. */
export const UPKEEP_INTERVAL_MS = 10_000;

export class TableUpkeepWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly logger: FastifyBaseLogger,
    intervalMs = UPKEEP_INTERVAL_MS,
  ) {
    this.loop = new PollingLoop('table upkeep', intervalMs, () => this.pass(), logger);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async pass(): Promise<void> {
    const done = await this.maintenance.upkeepTables();
    if (done.length) this.logger.info({ tables: done }, 'table upkeep: vacuumed and analysed as autovacuum would');
  }
}
