/**
 * The tables' upkeep (repositories/table-statistics.repository.ts, run by the embedded
 * database's upkeep worker): a table that filled up since its last ANALYZE is found past
 * autovacuum's thresholds, vacuumed and analysed, and is then no longer due; a table that
 * changed less than its share is left alone; a table never analysed is analysed; odd names
 * are quoted. On both databases (a server's own autovacuum could get to a table first, which
 * the test allows for there and not on the embedded database, which has none).
 */
import { beforeAll, expect, it } from 'vitest';

import { rowsOf } from '../../src/db/handle.js';
import { TableStatisticsRepository, type TableDue } from '../../src/repositories/table-statistics.repository.js';
import { MaintenanceService } from '../../src/services/maintenance.service.js';
import { describeEachDatabase } from '../harness/databases.js';

const named = (name: string) => (table: TableDue) => table.schema === 'public' && table.name === name;

describeEachDatabase('table upkeep', (current) => {
  beforeAll(async () => {
    await current().database.execScript(`
      CREATE TABLE upkeep_filled (id integer PRIMARY KEY, status text NOT NULL);
      CREATE TABLE upkeep_quiet (id integer PRIMARY KEY);
      CREATE TABLE upkeep_sized (id integer PRIMARY KEY, status text NOT NULL);
      INSERT INTO upkeep_sized SELECT g, 'pending' FROM generate_series(1, 2000) g;
      ANALYZE upkeep_filled;
      ANALYZE upkeep_quiet;`);
    // Alone: a script of several statements is one transaction, and VACUUM cannot run in one.
    await current().database.query('VACUUM (ANALYZE) upkeep_sized');
  });

  const statistics = async (table: string) =>
    rowsOf<{
      n_mod_since_analyze: string;
      n_dead_tup: string;
      analyzed: boolean;
      vacuumed: boolean;
      autoanalyzed: boolean;
      autovacuumed: boolean;
    }>(
      await current().database.db.execute(
        `SELECT n_mod_since_analyze, n_dead_tup, coalesce(last_analyze, last_autoanalyze) IS NOT NULL AS analyzed,
           coalesce(last_vacuum, last_autovacuum) IS NOT NULL AS vacuumed, last_autoanalyze IS NOT NULL AS autoanalyzed,
           last_autovacuum IS NOT NULL AS autovacuumed
         FROM pg_stat_all_tables WHERE schemaname IN ('public', 'pg_catalog') AND relname = '${table}'` as never,
      ),
    )[0]!;

  /**
   * due(), once this backend's counts are in the statistics and, on a pooled server, another
   * connection's too (a backend reports them within a second of its transaction's end): until
   * `wanted` holds, or the server's autovacuum got to the table first.
   */
  async function dueOnce(wanted: (due: TableDue[]) => boolean, table: string): Promise<TableDue[] | null> {
    const { database } = current();
    const tables = new TableStatisticsRepository(database.db);
    for (let waited = 0; waited < 10_000; waited += 200) {
      await database.query('SELECT pg_stat_force_next_flush()');
      const due = await tables.due();
      if (wanted(due)) return due;
      if (database.driver === 'postgres') {
        const counts = await statistics(table);
        if (counts.autoanalyzed || counts.autovacuumed) return null;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return tables.due();
  }

  it('vacuums and analyses a table that filled up, then finds nothing more to do with it', async () => {
    const { database } = current();
    await database.query(`INSERT INTO upkeep_filled SELECT g, 'pending' FROM generate_series(1, 3000) g`);
    await database.query(`UPDATE upkeep_filled SET status = 'sent' WHERE id <= 500`);
    await database.query(`INSERT INTO upkeep_quiet VALUES (1), (2)`);

    const due = await dueOnce((tables) => tables.some(named('upkeep_filled')), 'upkeep_filled');
    if (database.driver === 'pglite' || due) {
      // 3,000 inserted and 500 updated: past 50 changed rows for ANALYZE, 1,000 inserted for VACUUM.
      expect(due?.find(named('upkeep_filled'))).toEqual({
        schema: 'public',
        name: 'upkeep_filled',
        vacuum: true,
        analyze: true,
      });
      // Two rows: under the 50 of either threshold.
      expect(due?.find(named('upkeep_quiet'))).toBeUndefined();
      const done = await new MaintenanceService(database).upkeepTables();
      if (database.driver === 'pglite') {
        expect(done.find((t) => t.table === 'public.upkeep_filled')).toMatchObject({ vacuum: true, analyze: true });
        expect(done.filter((t) => t.error !== undefined)).toEqual([]);
      }
    }
    await database.query('SELECT pg_stat_force_next_flush()');
    expect(await statistics('upkeep_filled')).toMatchObject({
      n_mod_since_analyze: '0',
      analyzed: true,
      vacuumed: true,
    });
    expect((await new TableStatisticsRepository(database.db).due()).find(named('upkeep_filled'))).toBeUndefined();
  });

  it("counts a table's changes against its size: 10 % of its rows for ANALYZE, 20 % dead for VACUUM", async () => {
    const { database } = current();
    // 2,000 rows: ANALYZE past 50 + 200 changed rows, VACUUM past 50 + 400 dead ones.
    await database.query(`UPDATE upkeep_sized SET status = 'sent' WHERE id <= 200`);
    // Once the 200 changes are counted, the table is still under both thresholds.
    for (let waited = 0; Number((await statistics('upkeep_sized')).n_mod_since_analyze) < 200; waited += 100) {
      if (waited > 10_000) throw new Error('the statistics never counted the 200 changes');
      await database.query('SELECT pg_stat_force_next_flush()');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(Number((await statistics('upkeep_sized')).n_mod_since_analyze)).toBe(200);
    expect((await new TableStatisticsRepository(database.db).due()).find(named('upkeep_sized'))).toBeUndefined();

    await database.query(`UPDATE upkeep_sized SET status = 'sent' WHERE id > 200 AND id <= 300`);
    const analyze = await dueOnce((tables) => tables.some(named('upkeep_sized')), 'upkeep_sized');
    if (database.driver === 'pglite' || analyze) {
      expect(analyze?.find(named('upkeep_sized'))).toMatchObject({ vacuum: false, analyze: true });
    }
    await database.query(`UPDATE upkeep_sized SET status = 'done' WHERE id <= 300`);
    const vacuum = await dueOnce((tables) => tables.some((t) => named('upkeep_sized')(t) && t.vacuum), 'upkeep_sized');
    if (database.driver === 'pglite' || vacuum) {
      expect(vacuum?.find(named('upkeep_sized'))).toMatchObject({ vacuum: true, analyze: true });
    }
  });

  it("vacuums PostgreSQL's catalogs too: the rows of pg_statistic that each ANALYZE replaces", async () => {
    const { database } = current();
    const columns = Array.from({ length: 40 }, (_, i) => `c${i}`);
    await database.execScript(`
      CREATE TABLE upkeep_wide (${columns.map((c) => `${c} integer`).join(', ')});
      ALTER TABLE upkeep_wide ${columns.map((c) => `ALTER COLUMN ${c} SET STATISTICS 100`).join(', ')};
      INSERT INTO upkeep_wide SELECT ${columns.map(() => 'g').join(', ')} FROM generate_series(1, 100) g;`);
    const statisticsTable = (t: TableDue) => t.schema === 'pg_catalog' && t.name === 'pg_statistic' && t.vacuum;
    // Each ANALYZE of the table replaces its 40 rows of pg_statistic: 40 dead rows a time, until
    // they pass 50 + 20 % of pg_statistic (every column of every table analysed so far). A
    // statistics target of 100 for these columns (the embedded database's default is 10,
    // src/db/pglite.ts): rows that small are mostly replaced on their own page (HOT) and pruned
    // there as the catalog is read (30 ANALYZEs: 1,040 of 1,160 updates HOT and 197 dead rows
    // left at 10, 880 and 358 at 100), and did not add up within the loop.
    let due: TableDue[] | null = [];
    for (let analysed = 0; analysed < 60 && due && !due.some(statisticsTable); analysed += 5) {
      for (let i = 0; i < 5; i++) await database.query('ANALYZE upkeep_wide');
      due = await dueOnce(() => true, 'pg_statistic');
    }
    if (database.driver === 'pglite' || due) {
      // Vacuumed, never analysed: ANALYZE skips pg_statistic, and so does autovacuum.
      expect(due?.find(statisticsTable)).toEqual({
        schema: 'pg_catalog',
        name: 'pg_statistic',
        vacuum: true,
        analyze: false,
      });
      const deadBefore = Number((await statistics('pg_statistic')).n_dead_tup);
      const done = await new MaintenanceService(database).upkeepTables();
      if (database.driver === 'pglite') {
        expect(done.find((t) => t.table === 'pg_catalog.pg_statistic')).toMatchObject({ vacuum: true });
        expect(done.filter((t) => t.error !== undefined)).toEqual([]);
        await database.query('SELECT pg_stat_force_next_flush()');
        // Fewer dead rows than before (the same pass's ANALYZE of the other tables, after
        // pg_catalog's, leaves a few new ones) and no longer due.
        expect(Number((await statistics('pg_statistic')).n_dead_tup)).toBeLessThan(deadBefore);
        expect((await new TableStatisticsRepository(database.db).due()).find(statisticsTable)).toBeUndefined();
      }
    }
  });

  it('analyses a table never analysed, whatever its counts say (they do not survive a restart of PGlite)', async () => {
    const { database } = current();
    await database.execScript(`CREATE TABLE upkeep_never (id integer PRIMARY KEY);`);
    const tables = new TableStatisticsRepository(database.db);
    expect((await tables.due()).find(named('upkeep_never'))).toEqual({
      schema: 'public',
      name: 'upkeep_never',
      vacuum: false,
      analyze: true,
    });
    await new MaintenanceService(database).upkeepTables();
    expect((await tables.due()).find(named('upkeep_never'))).toBeUndefined();
  });

  it('quotes the names it finds: a table whose name needs quotes is analysed too', async () => {
    const { database } = current();
    await database.execScript(`CREATE TABLE "Upkeep ""odd"" name" (id integer PRIMARY KEY);`);
    await database.query(`INSERT INTO "Upkeep ""odd"" name" SELECT g FROM generate_series(1, 200) g`);
    const tables = new TableStatisticsRepository(database.db);
    const odd = (await tables.due()).find(named('Upkeep "odd" name'));
    expect(odd).toMatchObject({ analyze: true });
    await tables.upkeep(odd!);
    await tables.upkeep({ ...odd!, vacuum: true });
    expect(await statistics('Upkeep "odd" name')).toMatchObject({ analyzed: true, vacuumed: true });
    expect((await tables.due()).find(named('Upkeep "odd" name'))).toBeUndefined();
  });
});
