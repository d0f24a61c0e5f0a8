/**
 * The migrated schema is the seed plan's: every table, column (type, default, NULL),
 * foreign key (with its ON DELETE rule), unique constraint and index of SEED-PLAN.md §3.
 * The plan's own DDL (test/fixtures/seed-plan-schema.sql) is run on a blank database of
 * the same driver, and the two catalogs are compared; the fixture is checked against the
 * plan's §3 (the repository's copy, test/fixtures/seed-plan/, itself checked against
 * ../shared where that is beside the checkout). Either file missing is a failure that names
 * it, never a pass with nothing compared.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Database } from '../src/db/database.js';
import { createTestDatabase, DRIVERS, postgresAvailable, type TestDatabase } from './harness/databases.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/seed-plan-schema.sql', import.meta.url));
/** The repository's copy of the plan (CI's clean checkout has no ../shared beside it). */
const SEED_PLAN = fileURLToPath(new URL('./fixtures/seed-plan/SEED-PLAN.md', import.meta.url));
/** The team's plan, where the shared folder is beside the checkout. */
const SHARED_SEED_PLAN = fileURLToPath(new URL('../../shared/SEED-PLAN.md', import.meta.url));

/** A file the comparison needs, or an error that says which one and what to do. */
function required(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: ${what}`);
  return fs.readFileSync(file, 'utf8');
}
const readFixture = () =>
  required(
    FIXTURE,
    "it is the seed plan's DDL (SEED-PLAN.md §3) that the migrated schema is compared with. " +
      'Restore it: git checkout -- test/fixtures/seed-plan-schema.sql',
  );
const readPlan = () =>
  required(
    SEED_PLAN,
    'the seed plan, which test/fixtures/seed-plan-schema.sql must still match. ' +
      'Restore it: git checkout -- test/fixtures/seed-plan/SEED-PLAN.md',
  );

// The plan enables uuid-ossp, but its ids are made by the application (VARCHAR), so the
// extension is not needed, and PGlite does not ship it.
const seedDdl = () => readFixture().replace(/CREATE EXTENSION[^;]*;/, '');

const SEED_TABLES = [
  'organizations',
  'users',
  'audits',
  'analysis_results',
  'subscriptions',
  'team_invites',
  'audit_comments',
  'audit_shares',
  'audit_user_shares',
  'comment_reactions',
  'collaboration_activity',
  'notification_preferences',
  'integration_credentials',
  'tool_costs',
];

interface Catalog {
  columns: Map<string, Record<string, unknown>>;
  foreignKeys: Set<string>;
  uniques: Set<string>;
  indexes: Map<string, string>;
}

async function readCatalog(database: Database): Promise<Catalog> {
  const columns = await database.query<Record<string, unknown> & { table_name: string; column_name: string }>(
    `SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale,
            is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const constraints = await database.query<{
    kind: string;
    table_name: string;
    cols: string;
    ref: string | null;
    on_delete: string;
  }>(
    `SELECT c.contype AS kind, c.conrelid::regclass::text AS table_name,
            (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols,
            CASE WHEN c.contype = 'f' THEN c.confrelid::regclass::text || '(' ||
              (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) || ')' END AS ref,
            c.confdeltype AS on_delete
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.contype IN ('f', 'u', 'p')`,
  );
  const indexes = await database.query<{ indexname: string; indexdef: string }>(
    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
  );
  return {
    columns: new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c])),
    foreignKeys: new Set(
      constraints
        .filter((c) => c.kind === 'f')
        .map((c) => `${c.table_name}(${c.cols}) -> ${c.ref} on delete ${c.on_delete}`),
    ),
    uniques: new Set(constraints.filter((c) => c.kind !== 'f').map((c) => `${c.kind} ${c.table_name}(${c.cols})`)),
    indexes: new Map(indexes.map((i) => [i.indexname, i.indexdef])),
  };
}

/** The SQL of a plan's §3 (its schema design), line endings normalised. */
function section3Sql(plan: string): string {
  const text = plan.replace(/\r\n/g, '\n');
  const start = text.indexOf('## 3. PostgreSQL Schema Design');
  const end = text.indexOf('## 4. Migration Implementation');
  expect(start, "the plan's §3 heading").toBeGreaterThan(-1);
  expect(end, "the plan's §4 heading, after §3").toBeGreaterThan(start);
  return [...text.slice(start, end).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

it('the fixture is the DDL of SEED-PLAN.md §3, unchanged', () => {
  const fixture = readFixture().split('\n').slice(3).join('\n');
  expect(fixture).toBe(section3Sql(readPlan()));
});

// What the schema is compared with is the plan's §3: the team's copy may change elsewhere
// (prose, later sections) without the schema having to. Visible in the run's summary as
// skipped where the shared folder is not beside the checkout.
it.skipIf(!fs.existsSync(SHARED_SEED_PLAN))(
  "the repository's copy of the seed plan's schema (§3) is the team's (../shared/SEED-PLAN.md)",
  () => {
    expect(section3Sql(readPlan())).toBe(section3Sql(fs.readFileSync(SHARED_SEED_PLAN, 'utf8')));
  },
);

for (const driver of DRIVERS) {
  describe.skipIf(driver === 'postgres' && !postgresAvailable())(`schema conformance [${driver}]`, () => {
    let migrated: TestDatabase;
    let reference: TestDatabase;
    let live: Catalog;
    let seed: Catalog;

    beforeAll(async () => {
      [migrated, reference] = await Promise.all([
        createTestDatabase(driver),
        createTestDatabase(driver, { migrated: false }),
      ]);
      await reference.database.execScript(seedDdl());
      [live, seed] = await Promise.all([readCatalog(migrated.database), readCatalog(reference.database)]);
    }, 60_000);
    afterAll(async () => {
      await migrated?.destroy();
      await reference?.destroy();
    });

    it('has the 14 tables of the plan', () => {
      const seedTables = new Set([...seed.columns.keys()].map((k) => k.split('.')[0]));
      expect([...seedTables].sort()).toEqual([...SEED_TABLES].sort());
      const liveTables = new Set([...live.columns.keys()].map((k) => k.split('.')[0]));
      for (const table of SEED_TABLES) expect(liveTables.has(table), table).toBe(true);
    });

    it('has every seed column with its type, length, default and nullability', () => {
      expect(seed.columns.size).toBeGreaterThan(100);
      for (const [name, column] of seed.columns) expect(live.columns.get(name), name).toEqual(column);
    });

    it('adds only nullable or defaulted columns to the seed tables', () => {
      for (const [name, column] of live.columns) {
        if (seed.columns.has(name) || !SEED_TABLES.includes(name.split('.')[0]!)) continue;
        expect(column.is_nullable === 'YES' || column.column_default !== null, name).toBe(true);
      }
    });

    it('has every foreign key with its ON DELETE rule', () => {
      expect(seed.foreignKeys.size).toBe(21);
      for (const fk of seed.foreignKeys) expect(live.foreignKeys, fk).toContain(fk);
    });

    it('has every primary key and unique constraint', () => {
      expect(seed.uniques.size).toBe(14 + 8); // 14 primary keys, 8 UNIQUEs
      for (const unique of seed.uniques) expect(live.uniques, unique).toContain(unique);
    });

    it('has every index of the plan, defined identically', () => {
      const named = [...seed.indexes.keys()].filter((n) => n.startsWith('idx_'));
      expect(named).toHaveLength(31);
      for (const [name, definition] of seed.indexes) expect(live.indexes.get(name), name).toBe(definition);
    });

    it('has the list indexes the repositories sort by', () => {
      expect(live.indexes.get('idx_audits_org_created')).toContain('(organization_id, created_at DESC, id DESC)');
    });
  });
}
