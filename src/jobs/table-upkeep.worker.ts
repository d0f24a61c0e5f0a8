/**
 * Autovacuum for the embedded database: every 10 s, the tables past
 * autovacuum's thresholds are vacuumed and analysed (services/maintenance.service.ts
 * `upkeepTables`). Started only on PGlite, which runs PostgreSQL's single-user backend with no
 * autovacuum of its own; a PostgreSQL server's autovacuum does this there. The check is one
 * read of pg_stat_all_tables. PGlite runs on this process's main thread: while a table's
 * VACUUM or ANALYZE runs, the whole server waits (milliseconds for a queue table; a VACUUM
 * reads the whole table and its indexes, so on a large table longer — its thresholds make
 * that rare: a fifth of the table must be dead or newly inserted).
 */
import type { FastifyBaseLogger } from 'fastify';

import type { MaintenanceService } from '../services/maintenance.service.js';
import { PollingLoop } from './polling-loop.js';

/** Autovacuum's naptime is a minute; a queue that fills in seconds wants sooner. */
const UPKEEP_INTERVAL_MS = 10_000;

export class TableUpkeepWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.loop = new PollingLoop('table upkeep', UPKEEP_INTERVAL_MS, () => this.pass(), logger);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async pass(): Promise<void> {
    const done = await this.maintenance.upkeepTables();
    const failed = done.filter((table) => table.error !== undefined);
    const vacuumed = done.filter((table) => table.error === undefined);
    if (failed.length) this.logger.warn({ tables: failed }, 'table upkeep: some tables could not be vacuumed');
    if (vacuumed.length)
      this.logger.info({ tables: vacuumed }, 'table upkeep: vacuumed and analysed as autovacuum would');
  }
}
