/**
 * The tables' upkeep (repositories/table-statistics.repository.ts, run by the embedded
 * database's upkeep worker): a table that filled up since its last ANALYZE is found past
 * autovacuum's thresholds, vacuumed and analysed, and is then no longer due; a table that
 * barely changed is left alone. On both databases (a server's autovacuum could get to the
 * table first, which the test allows for there and not on the embedded database).
 */
import { beforeAll, expect, it } from 'vitest';

import { rowsOf } from '../../src/db/handle.js';
import { TableStatisticsRepository } from '../../src/repositories/table-statistics.repository.js';
import { MaintenanceService } from '../../src/services/maintenance.service.js';
import { describeEachDatabase } from '../harness/databases.js';

describeEachDatabase('table upkeep', (current) => {
  beforeAll(async () => {
    await current().database.execScript(`
      CREATE TABLE upkeep_filled (id integer PRIMARY KEY, status text NOT NULL);
      CREATE TABLE upkeep_quiet (id integer PRIMARY KEY);
      ANALYZE upkeep_filled;
      ANALYZE upkeep_quiet;`);
  });

  const statistics = async (table: string) =>
    rowsOf<{ n_mod_since_analyze: string; analyzed: boolean; vacuumed: boolean; autoanalyzed: boolean }>(
      await current().database.db.execute(
        `SELECT n_mod_since_analyze, coalesce(last_analyze, last_autoanalyze) IS NOT NULL AS analyzed,
           coalesce(last_vacuum, last_autovacuum) IS NOT NULL AS vacuumed, last_autoanalyze IS NOT NULL AS autoanalyzed
         FROM pg_stat_user_tables WHERE relname = '${table}'` as never,
      ),
    )[0]!;

  it('vacuums and analyses a table that filled up, then finds nothing more to do with it', async () => {
    const { database } = current();
    await database.query(`INSERT INTO upkeep_filled SELECT g, 'pending' FROM generate_series(1, 3000) g`);
    await database.query(`UPDATE upkeep_filled SET status = 'sent' WHERE id <= 500`);
    await database.query(`INSERT INTO upkeep_quiet VALUES (1), (2)`);
    const tables = new TableStatisticsRepository(database.db);

    // A backend reports its counts within a second or so of its transaction's end.
    let due = await tables.due();
    for (let waited = 0; !due.some((t) => t.table === 'public.upkeep_filled') && waited < 10_000; waited += 200) {
      if (database.driver === 'postgres' && (await statistics('upkeep_filled')).autoanalyzed) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
      due = await tables.due();
    }
    const filled = due.find((t) => t.table === 'public.upkeep_filled');
    if (database.driver === 'pglite' || filled) {
      // 3,000 inserted and 500 updated: past 50 changed rows for ANALYZE, 1,000 inserted for VACUUM.
      expect(filled).toEqual({ table: 'public.upkeep_filled', vacuum: true, analyze: true });
      expect(due.map((t) => t.table)).not.toContain('public.upkeep_quiet');

      const done = await new MaintenanceService(database).upkeepTables();
      expect(done.find((t) => t.table === 'public.upkeep_filled')).toMatchObject({ vacuum: true, analyze: true });
    }
    expect(await statistics('upkeep_filled')).toMatchObject({
      n_mod_since_analyze: '0',
      analyzed: true,
      vacuumed: true,
    });
    expect((await tables.due()).map((t) => t.table)).not.toContain('public.upkeep_filled');
  });

  it('analyses a table never analysed, whatever its counts say (they do not survive a restart of PGlite)', async () => {
    const { database } = current();
    await database.execScript(`CREATE TABLE upkeep_never (id integer PRIMARY KEY);`);
    const tables = new TableStatisticsRepository(database.db);
    expect((await tables.due()).find((t) => t.table === 'public.upkeep_never')).toEqual({
      table: 'public.upkeep_never',
      vacuum: false,
      analyze: true,
    });
    await new MaintenanceService(database).upkeepTables();
    expect((await tables.due()).map((t) => t.table)).not.toContain('public.upkeep_never');
  });

  it('quotes what it names: a table whose name needs quotes is vacuumed too', async () => {
    const { database } = current();
    await database.execScript(
      `CREATE TABLE "Upkeep ""odd"" name" (id integer PRIMARY KEY); ANALYZE "Upkeep ""odd"" name";`,
    );
    await database.query(`INSERT INTO "Upkeep ""odd"" name" SELECT g FROM generate_series(1, 200) g`);
    const tables = new TableStatisticsRepository(database.db);
    await tables.upkeep({ table: '"public"."Upkeep ""odd"" name"', vacuum: true, analyze: true });
    await tables.upkeep({ table: 'public."Upkeep ""odd"" name"', vacuum: false, analyze: true });
    expect(await statistics('Upkeep "odd" name')).toMatchObject({ n_mod_since_analyze: '0', analyzed: true });
  });
});
