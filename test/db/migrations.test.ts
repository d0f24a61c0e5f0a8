import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect, it } from 'vitest';

import {
  MIGRATIONS_FOLDER,
  MigrationError,
  migrationNames,
  migrationStatus,
  runMigrations,
} from '../../src/db/migrate.js';
import { describeEachDatabase } from '../harness/databases.js';

/** The real migrations plus one more that creates a table and then fails. */
function foldersWithBrokenMigration(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackaudit-migrations-'));
  fs.cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as {
    entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
  };
  const last = journal.entries[journal.entries.length - 1]!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_broken' });
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  fs.writeFileSync(
    path.join(dir, '9999_broken.sql'),
    'CREATE TABLE half_done (id int);\n--> statement-breakpoint\nALTER TABLE organizations ADD COLUMN half_col int;\n--> statement-breakpoint\nSELECT 1 / 0;',
  );
  return dir;
}

describeEachDatabase('migrations', (get) => {
  it('reports every migration applied, and applying again changes nothing', async () => {
    const status = await migrationStatus(get().database);
    expect(status.map((m) => m.name)).toEqual(migrationNames());
    expect(status.map((m) => m.name).slice(0, 2)).toEqual(['0000_seed_schema', '0001_list_indexes']);
    expect(status.every((m) => m.applied)).toBe(true);
    expect(await runMigrations(get().database)).toEqual([]);
    const [row] = await get().database.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
    expect(row?.n).toBe(String(migrationNames().length));
  });

  it('a failing migration leaves the database as it was and says which were pending', async () => {
    const folder = foldersWithBrokenMigration();
    try {
      const error = await runMigrations(get().database, folder).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(
        /A migration failed and none of the pending ones \(9999_broken\) was applied: .*division by zero/,
      );
      const [table] = await get().database.query<{ t: string | null }>(
        "SELECT to_regclass('public.half_done')::text AS t",
      );
      expect(table?.t).toBeNull();
      const columns = await get().database.query(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'organizations' AND column_name = 'half_col'",
      );
      expect(columns).toEqual([]);
      const status = await migrationStatus(get().database, folder);
      expect(status.filter((m) => !m.applied).map((m) => m.name)).toEqual(['9999_broken']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
