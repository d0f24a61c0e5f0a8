import { describe, expect, it } from 'vitest';

import { TABLE_ORDER } from '../../src/cli/backup.js';
import { migrationNames } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { silentLogger } from '../harness/config.js';
import { createPgliteDir, createPostgresDatabase, postgresAvailable } from '../harness/databases.js';
import { runCli } from '../harness/server-process.js';

const ALL = migrationNames();

describe('npm run migrate / seed (embedded database)', () => {
  it('migrate --status lists pending, migrate applies, --status then lists applied', async () => {
    const dir = createPgliteDir({ migrated: false });
    const before = runCli(['migrate', '--status'], { DATA_DIR: dir });
    expect(before.status, before.output).toBe(0);
    expect(before.stdout).toContain('pending  0000_seed_schema');
    expect(before.stdout).toContain(`0 applied, ${ALL.length} pending`);

    const applied = runCli(['migrate'], { DATA_DIR: dir });
    expect(applied.stdout).toContain(`Applied: ${ALL.join(', ')}`);
    const again = runCli(['migrate'], { DATA_DIR: dir });
    expect(again.stdout).toContain('Nothing to apply: the schema is up to date.');

    const after = runCli(['migrate', '--status'], { DATA_DIR: dir });
    for (const name of ALL) expect(after.stdout).toContain(`applied  ${name}`);
    expect(after.stdout).toContain(`${ALL.length} applied, 0 pending`);
  }, 60_000);

  it('seed creates the demo admin once, with a bcrypt hash of demo123', async () => {
    const dir = createPgliteDir();
    expect(runCli(['seed'], { DATA_DIR: dir }).stdout).toContain('User demo@stackaudit.ai: created');
    const second = runCli(['seed'], { DATA_DIR: dir });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('User demo@stackaudit.ai: already there');

    const database = await openPglite(dir, silentLogger);
    try {
      const user = await new UserRepository(database.db).findById('org_demo_123', 'user_demo_123');
      expect(user).toMatchObject({ email: 'demo@stackaudit.ai', role: 'admin', plan: 'pro', name: 'Demo User' });
      expect(user?.passwordHash).toMatch(/^\$2[aby]\$10\$/);
      const bcrypt = await import('bcryptjs');
      expect(await bcrypt.compare('demo123', user!.passwordHash)).toBe(true);
      const [org] = await database.query<{ settings: unknown; plan: string }>(
        "SELECT settings, plan FROM organizations WHERE id = 'org_demo_123'",
      );
      expect(org).toEqual({
        plan: 'pro',
        settings: { allowedDomains: [], maxAuditsPerMonth: 50, auditRetentionDays: 90 },
      });
    } finally {
      await database.close();
    }
  }, 60_000);

  it('seed refuses in production unless --force', () => {
    const dir = createPgliteDir();
    const production = { DATA_DIR: dir, NODE_ENV: 'production', APP_URL: 'https://stackaudit.example' };
    const refused = runCli(['seed'], production);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Refusing to seed demo data with NODE_ENV=production');
    const forced = runCli(['seed', '--force'], production);
    expect(forced.status, forced.output).toBe(0);
  }, 60_000);
});

describe.skipIf(!postgresAvailable())('npm run migrate / seed (PostgreSQL)', () => {
  it('migrates a fresh database and seeds it idempotently', async () => {
    const created = await createPostgresDatabase({ migrated: false });
    try {
      const env = { DATABASE_URL: created.url };
      expect(runCli(['migrate'], env).stdout).toContain(`Applied: ${ALL.join(', ')}`);
      expect(runCli(['seed'], env).stdout).toContain('Organization org_demo_123: created');
      expect(runCli(['seed'], env).stdout).toContain('Organization org_demo_123: already there');
      expect(runCli(['migrate', '--status'], env).stdout).toContain(`${ALL.length} applied, 0 pending`);
    } finally {
      await created.drop();
    }
  }, 60_000);
});

describe('npm run backup / restore (embedded database)', () => {
  it('backs up, refuses to restore over data, restores into a new directory', async () => {
    const source = createPgliteDir();
    expect(runCli(['seed'], { DATA_DIR: source }).status).toBe(0);
    const file = `${source}-backup.jsonl`;
    const backup = runCli(['backup', file], { DATA_DIR: source });
    expect(backup.status, backup.output).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`Backed up \\d+ rows of ${TABLE_ORDER.length} tables`));
    expect(backup.stderr).toContain('100%');

    const refused = runCli(['restore', file], { DATA_DIR: source });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('The database holds data');

    const target = createPgliteDir({ migrated: false });
    const restored = runCli(['restore', file], { DATA_DIR: target });
    expect(restored.status, restored.output).toBe(0);
    expect(restored.stdout).toContain("every table's row count matches the backup");
    const login = runCli(['migrate', '--status'], { DATA_DIR: target });
    expect(login.stdout).toContain(`${ALL.length} applied, 0 pending`);
    expect(runCli(['backup'], { DATA_DIR: source }).status).toBe(2);
  }, 120_000);
});

describe('npm run import-legacy (embedded database)', () => {
  it('imports the snapshot with a report, and adds nothing the second time', () => {
    const dir = createPgliteDir();
    const file = new URL('../fixtures/legacy-snapshot.json', import.meta.url).pathname;
    const first = runCli(['import-legacy', file], { DATA_DIR: dir });
    expect(first.status, first.output).toBe(0);
    expect(first.stdout).toMatch(/users\s+imported 3, skipped 0 \(already there\), invalid 1/);
    expect(first.stdout).toContain(
      'invalid #2 (audit_nowhere): organizationId org_gone is not in the snapshot or the database',
    );
    expect(first.stdout).toContain('Done, with 3 invalid record(s) left out');
    const second = runCli(['import-legacy', file], { DATA_DIR: dir });
    expect(second.stdout).toMatch(/users\s+imported 0, skipped 3/);
    expect(runCli(['import-legacy', '/nonexistent.json'], { DATA_DIR: dir }).stderr).toContain(
      'Cannot read /nonexistent.json as JSON',
    );
  }, 60_000);
});
