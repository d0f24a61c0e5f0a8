import { describe, expect, it } from 'vitest';

import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { OrganizationRepository } from '../../src/repositories/organization.repository.js';
import { silentLogger, testPostgresConfig } from '../harness/config.js';
import { createPgliteDir, createPostgresDatabase, DRIVERS, postgresAvailable } from '../harness/databases.js';
import { runCli, startServer } from '../harness/server-process.js';

// What the server writes must survive the process being killed outright. Until the API
// has write routes, the rows are written through the CLI (`seed`) and through a second
// connection while the server runs, then read back by the restarted server's process.
for (const driver of DRIVERS) {
  describe.skipIf(driver === 'postgres' && !postgresAvailable())(`persistence across SIGKILL [${driver}]`, () => {
    it('a server killed with SIGKILL starts again with every row and migration intact', async () => {
      let env: Record<string, string>;
      let cleanup: () => Promise<void>;
      if (driver === 'pglite') {
        const dir = createPgliteDir({ migrated: false });
        env = { DATA_DIR: dir };
        cleanup = async () => {};
      } else {
        const created = await createPostgresDatabase({ migrated: false });
        env = { DATABASE_URL: created.url };
        cleanup = created.drop;
      }
      try {
        const seeded = runCli(['seed'], env);
        expect(seeded.status, seeded.output).toBe(0);
        expect(seeded.stdout).toContain('Organization org_demo_123: created');

        const first = await startServer(env);
        const health = (await (await fetch(`${first.url}/health`)).json()) as { driver: string };
        expect(health.driver).toBe(driver);
        expect(await first.kill('SIGKILL')).toBe('SIGKILL');

        // Rows written between two runs, by another process, count too.
        const names = Array.from({ length: 25 }, (_, i) => `Company ${i}`);
        const database =
          driver === 'pglite'
            ? await openPglite(env.DATA_DIR!, silentLogger)
            : openPostgres(testPostgresConfig(env.DATABASE_URL!), silentLogger);
        const ids: string[] = [];
        for (const name of names) ids.push((await new OrganizationRepository(database.db).create({ name })).id);
        await database.close();

        const second = await startServer(env);
        await second.kill('SIGKILL');

        const reopened =
          driver === 'pglite'
            ? await openPglite(env.DATA_DIR!, silentLogger)
            : openPostgres(testPostgresConfig(env.DATABASE_URL!), silentLogger);
        try {
          const repo = new OrganizationRepository(reopened.db);
          expect((await repo.findById('org_demo_123'))?.name).toBe('Demo Company');
          for (const [i, id] of ids.entries()) expect((await repo.findById(id))?.name).toBe(names[i]);
        } finally {
          await reopened.close();
        }
        const status = runCli(['migrate', '--status'], env);
        expect(status.stdout).toMatch(/\b2 applied, 0 pending/);
      } finally {
        await cleanup();
      }
    }, 120_000);
  });
}
