import fs from 'node:fs';
import path from 'node:path';

import pg from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { migrationNames } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { HEALTH_REUSE_MS } from '../../src/services/operations.service.js';
import { createPgliteDir, createPostgresDatabase, postgresAvailable } from '../harness/databases.js';
import { PostgresCluster } from '../harness/postgres-cluster.js';
import { processImage, runCli, startServer } from '../harness/server-process.js';

/** GET /health of a server started here; a request that fails says what the server printed (and whether it exited). */
async function health(server: {
  url: string;
  output: () => string;
  child: { exitCode: number | null };
}): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const response = await fetch(`${server.url}/health`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch (error) {
    throw new Error(
      `GET /health failed (${(error as Error).message}; exit code ${server.child.exitCode}). The server printed:\n${server.output()}`,
      { cause: error },
    );
  }
}

describe('the embedded database belongs to one process', () => {
  it('a second live process on the same DATA_DIR refuses to start, clearly', async () => {
    const dir = createPgliteDir();
    const first = await startServer({ DATA_DIR: dir });
    try {
      const second = runCli(['serve'], { DATA_DIR: dir, PORT: '0' });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(
        `The embedded database in ${dir} is in use by another StackAudit process (pid ${first.child.pid})`,
      );
      // …and the first one is unharmed.
      expect((await health(first)).status).toBe(200);
    } finally {
      await first.kill('SIGKILL');
    }
    // The lock of a killed process is taken over at once.
    expect(fs.existsSync(path.join(dir, 'stackaudit.lock'))).toBe(true);
    const third = await startServer({ DATA_DIR: dir }, { timeoutMs: 15_000 });
    expect((await health(third)).body).toMatchObject({ status: 'healthy', driver: 'pglite' });
    await third.kill('SIGTERM');
  }, 60_000);

  it('SIGTERM shuts down cleanly: exit code 0, lock released, database closed', async () => {
    const dir = createPgliteDir();
    // As npm start runs it: the script execs Node on the compiled server with its heap capped
    // (a smaller young generation beside PGlite) and, on the embedded database, malloc set to
    // give memory back (docs/OPERATIONS.md, "Memory").
    const server = await startServer({ DATA_DIR: dir }, { startScript: true });
    const { argv, env } = processImage(server.child.pid!);
    expect(path.basename(argv[0]!)).toBe('node');
    expect(argv).toEqual(
      expect.arrayContaining(['--max-old-space-size=192', '--max-semi-space-size=4', 'dist/server/main.js', 'serve']),
    );
    // Compiled, not through tsx (its loader thread's heap is memory the server does not need).
    expect(argv.join(' ')).not.toContain('tsx');
    expect(env.MALLOC_MMAP_THRESHOLD_).toBe('32768');
    // What the compiled server reads beside its code is found: the migrations (it started) and
    // the web app (dist/web, from dist/server as from src).
    const page = await fetch(`${server.url}/audits`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="root">');
    expect(await server.kill('SIGTERM')).toBe(0);
    expect(server.output()).toContain('shutting down');
    expect(server.output()).toContain('"msg":"stopped"');
    expect(fs.existsSync(path.join(dir, 'stackaudit.lock'))).toBe(false);
  }, 60_000);

  it('a bad setting stops the start, naming the variable', () => {
    const result = runCli(['serve'], { PORT: 'eighty' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "eighty")',
    );
    const noUrl = runCli(['serve'], { USE_POSTGRES: 'true' });
    expect(noUrl.stderr).toContain('USE_POSTGRES is true but DATABASE_URL is not set');
  });

  it('USE_POSTGRES=false serves from the embedded database even with DATABASE_URL set', async () => {
    const dir = createPgliteDir();
    const server = await startServer(
      {
        DATA_DIR: dir,
        DATABASE_URL: 'postgres://nobody:secret-password@127.0.0.1:1/nothing',
        USE_POSTGRES: 'false',
      },
      { startScript: true },
    );
    try {
      // npm start's script reads the choice as the server does: malloc is set for the embedded database.
      expect(processImage(server.child.pid!).env.MALLOC_MMAP_THRESHOLD_).toBe('32768');
      expect((await health(server)).body).toMatchObject({ status: 'healthy', driver: 'pglite' });
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, checks: { database: true, migrations: true, workers: true } });
      expect(server.output()).toContain('USE_POSTGRES=false');
      expect(server.output()).not.toContain('secret-password');
    } finally {
      await server.kill('SIGTERM');
    }
  }, 60_000);
});

describe('the embedded database is looked after as autovacuum would', () => {
  it('the first upkeep pass analyses the tables written before the start that were never analysed', async () => {
    const dir = createPgliteDir();
    // 300 organizations written by another process (a restore, a seed). PGlite does not keep
    // autovacuum's counts across a restart; the table has no statistics (never analysed).
    const database = await openPglite(dir, pino({ level: 'silent' }));
    await database.query(
      `INSERT INTO organizations (id, name) SELECT 'org_up' || g, 'Org ' || g FROM generate_series(1, 300) g`,
    );
    await database.close();
    const server = await startServer({ DATA_DIR: dir });
    try {
      const deadline = Date.now() + 15_000;
      while (!server.output().includes('table upkeep') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const line = server
        .output()
        .split('\n')
        .find((l) => l.includes('table upkeep'));
      expect(line, server.output()).toBeDefined();
      const logged = JSON.parse(line!) as { tables: { table: string; vacuum: boolean; analyze: boolean }[] };
      expect(logged.tables).toContainEqual(
        expect.objectContaining({ table: 'public.organizations', vacuum: false, analyze: true }),
      );
    } finally {
      await server.kill('SIGTERM');
    }
    // What the planner now knows of the table.
    const after = await openPglite(dir, pino({ level: 'silent' }));
    try {
      expect(await after.query(`SELECT reltuples FROM pg_class WHERE relname = 'organizations'`)).toEqual([
        { reltuples: 300 },
      ]);
      // With a statistics target of 10 (src/db/pglite.ts: ANALYZE's sample stays in PGlite's
      // memory for good): 300 distinct names are summed up in 11 bounds, not 101.
      expect(
        await after.query(
          `SELECT array_length(histogram_bounds, 1) AS bounds FROM pg_stats WHERE tablename = 'organizations' AND attname = 'name'`,
        ),
      ).toEqual([{ bounds: 11 }]);
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe.skipIf(!postgresAvailable())('on a PostgreSQL server', () => {
  it('two servers booting at the same moment on a fresh database both come up; each migration is recorded once', async () => {
    const created = await createPostgresDatabase({ migrated: false });
    // The test cluster trusts loopback, so the password is ignored: it is there to show
    // that it never reaches the logs.
    const url = new URL(created.url);
    url.password = 's3cret-pw';
    try {
      const servers = await Promise.all([
        startServer({ DATABASE_URL: url.toString() }),
        startServer({ DATABASE_URL: url.toString() }),
        startServer({ DATABASE_URL: url.toString() }, { startScript: true }),
      ]);
      try {
        // npm start's script leaves malloc as it is on a server: its price (a mapping per socket
        // read) would buy nothing there, where PGlite is never compiled.
        const started = processImage(servers[2].child.pid!);
        expect(started.argv).toEqual(expect.arrayContaining(['--max-old-space-size=192', '--max-semi-space-size=8']));
        expect(started.env).not.toHaveProperty('MALLOC_MMAP_THRESHOLD_');
        for (const server of servers) {
          expect((await health(server)).body).toMatchObject({ driver: 'postgres' });
          expect(server.output()).toContain(`PostgreSQL server at 127.0.0.1:${url.port}/${created.name}`);
          expect(server.output()).not.toContain('s3cret-pw');
        }
      } finally {
        await Promise.all(servers.map((s) => s.kill('SIGTERM')));
      }
      const client = new pg.Client({ connectionString: created.url });
      await client.connect();
      const { rows } = await client.query<{ hash: string; n: string }>(
        'SELECT hash, count(*) AS n FROM drizzle.__drizzle_migrations GROUP BY hash',
      );
      await client.end();
      expect(rows).toHaveLength(migrationNames().length);
      expect(rows.every((r) => r.n === '1')).toBe(true);
    } finally {
      await created.drop();
    }
  }, 120_000);

  it('survives the database going away: /health 503 while it is down, 200 again without a restart', async () => {
    const cluster = await PostgresCluster.create();
    try {
      const server = await startServer({ DATABASE_URL: cluster.adminUrl, DB_CONNECTION_TIMEOUT_MS: '1000' });
      try {
        expect((await health(server)).status).toBe(200);
        cluster.stop();
        // A check's result is reused for HEALTH_REUSE_MS (by design: a flood of /health costs a
        // few pings a second); an immediate stop can take less than that.
        await new Promise((r) => setTimeout(r, HEALTH_REUSE_MS * 2));

        const down = await health(server);
        expect(down.status).toBe(503);
        expect(down.body).toEqual({ status: 'unhealthy', database: 'disconnected', driver: 'postgres' });
        // Still alive, still answering, a while later.
        await new Promise((r) => setTimeout(r, 1500));
        expect((await health(server)).status).toBe(503);
        expect(server.child.exitCode).toBeNull();

        cluster.start();
        const deadline = Date.now() + 15_000;
        let status = 0;
        while (Date.now() < deadline && status !== 200) {
          status = (await health(server)).status;
          if (status !== 200) await new Promise((r) => setTimeout(r, 200));
        }
        expect(status).toBe(200);
        expect(server.output()).toContain('health check: database unreachable');
      } finally {
        await server.kill('SIGKILL');
      }
    } finally {
      await cluster.destroy();
    }
  }, 120_000);
});
