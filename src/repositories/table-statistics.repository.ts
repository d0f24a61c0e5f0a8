/**
 * The tables' own upkeep: which tables PostgreSQL's autovacuum would VACUUM or ANALYZE now,
 * and doing it. A PostgreSQL server has autovacuum for that; the embedded database (PGlite)
 * runs PostgreSQL's single-user backend, which has no autovacuum launcher, so without this
 * nothing ever does it there (jobs/table-upkeep.worker.ts runs it on the embedded database).
 * What it costs to go without: dead rows pile up in the tables used as queues, and a
 * statement prepared while a table was empty keeps a plan made for an empty table (an
 * ANALYZE is what makes PostgreSQL plan it again): the email outbox's claim became a
 * nested loop over the whole outbox, 50 ms a claim after a few thousand emails.
 *
 * Not tenant data: PostgreSQL's statistics about every table of the database.
 */
import { sql } from 'drizzle-orm';

import { rowsOf, type Db } from '../db/handle.js';

export interface TableDue {
  schema: string;
  /** The table's name as PostgreSQL has it (quoted when put in a statement). */
  name: string;
  vacuum: boolean;
  analyze: boolean;
}

export class TableStatisticsRepository {
  /** The database itself, never a transaction: VACUUM cannot run inside one. */
  constructor(private readonly db: Db) {}

  /**
   * The tables past autovacuum's thresholds (PostgreSQL's catalogs included), read from this database's own settings (the
   * defaults: VACUUM once dead rows pass 50 + 20 % of the table, or inserted ones 1,000 +
   * 20 %; ANALYZE once changed rows pass 50 + 10 %), as autovacuum decides; and ANALYZE for
   * a table never vacuumed nor analysed (`reltuples` -1). The counts live in memory: PGlite
   * starts again from zero after a restart, so a table filled before one and never analysed
   * would otherwise wait for 10 % more changes with no statistics at all.
   */
  async due(): Promise<TableDue[]> {
    const setting = (name: string) => sql`current_setting(${name})::float8`;
    const size = sql`greatest(c.reltuples, 0)`;
    const result = await this.db.execute(sql`
      SELECT s.schemaname AS "schema", s.relname AS "name", due.vacuum, due.analyze
      FROM pg_stat_all_tables s
      JOIN pg_class c ON c.oid = s.relid
      CROSS JOIN LATERAL (SELECT
        s.n_dead_tup > ${setting('autovacuum_vacuum_threshold')} + ${setting('autovacuum_vacuum_scale_factor')} * ${size}
          OR s.n_ins_since_vacuum > ${setting('autovacuum_vacuum_insert_threshold')}
            + ${setting('autovacuum_vacuum_insert_scale_factor')} * ${size}
          -- Its oldest transaction ids frozen before they wrap around, as autovacuum forces.
          OR (c.relkind IN ('r', 'm') AND (age(c.relfrozenxid) > ${setting('autovacuum_freeze_max_age')}
            OR mxid_age(c.relminmxid) > ${setting('autovacuum_multixact_freeze_max_age')})) AS vacuum,
        (s.n_mod_since_analyze > ${setting('autovacuum_analyze_threshold')}
          + ${setting('autovacuum_analyze_scale_factor')} * ${size}
          OR c.reltuples < 0)
          -- ANALYZE skips pg_statistic (its rows are what ANALYZE writes), and so does autovacuum.
          AND c.oid <> 'pg_catalog.pg_statistic'::regclass AS analyze) due
      -- Every table but TOAST ones (vacuumed with their own table) and temporary ones (only
      -- their session can): PostgreSQL's catalogs too, as autovacuum does. They collect dead
      -- rows of their own: each ANALYZE rewrites its table's rows of pg_statistic, and
      -- pg-boss creates and drops a partition a day.
      WHERE s.schemaname !~ '^pg_(toast|temp)' AND (due.vacuum OR due.analyze)
      ORDER BY s.schemaname, s.relname`);
    return rowsOf<TableDue & Record<string, unknown>>(result);
  }

  /** VACUUM (with ANALYZE when asked) or ANALYZE alone, one table; outside any transaction. */
  async upkeep(due: TableDue): Promise<void> {
    // VACUUM and ANALYZE take no parameters: the name goes in as a quoted identifier.
    const table = sql`${sql.identifier(due.schema)}.${sql.identifier(due.name)}`;
    if (due.vacuum) await this.db.execute(due.analyze ? sql`VACUUM (ANALYZE) ${table}` : sql`VACUUM ${table}`);
    else await this.db.execute(sql`ANALYZE ${table}`);
  }
}
