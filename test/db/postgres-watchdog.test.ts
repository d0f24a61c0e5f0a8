/**
 * A query the PostgreSQL server never answers (its backend frozen with SIGSTOP: the host
 * alive, the server silent, so statement_timeout cannot act) fails once the client-side bound
 * has passed, as "database unavailable", and the pool goes on with a fresh connection
 * (src/db/postgres-watchdog.ts). Needs the test's own server: a backend of a remote one
 * (TEST_DATABASE_URL) cannot be signalled from here.
 */
import { setTimeout } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Database } from '../../src/db/database.js';
import { openPostgres, queryLimitMs } from '../../src/db/postgres.js';
import { checkIntervalMs } from '../../src/db/postgres-watchdog.js';
import { isDatabaseUnavailable } from '../../src/errors.js';
import { testPostgresConfig, warningLogger } from '../harness/config.js';
import { createPostgresDatabase, postgresAvailable } from '../harness/databases.js';

const localServer = postgresAvailable() && !process.env.TEST_DATABASE_URL;

describe.skipIf(!localServer)('a PostgreSQL server that stops answering [postgres, the test run’s own server]', () => {
  // The shortest statement_timeout there is: the bound is then 5.1 s, checked every ~1 s.
  const config = (url: string) => testPostgresConfig(url, { poolMax: 1, statementTimeoutMs: 100 });
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let database: Database;
  const { logger, lines: warnings } = warningLogger();
  beforeAll(async () => {
    created = await createPostgresDatabase();
    database = openPostgres(config(created.url), logger);
  }, 60_000);
  /** A backend this file stopped: continued whatever happens, or dropping the database would hang. */
  let stopped = 0;
  afterAll(async () => {
    if (stopped) {
      try {
        process.kill(stopped, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    await database?.close();
    await created?.drop();
  });

  it('fails the unanswered query after the bound, as unavailable; the next query gets a fresh connection', async () => {
    const limit = queryLimitMs(config(created.url));
    const [{ pid } = { pid: 0 }] = await database.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(pid).toBeGreaterThan(0);
    stopped = pid;
    process.kill(pid, 'SIGSTOP');
    const started = Date.now();
    let failure: unknown;
    try {
      // Never left waiting (and the backend never left stopped) should the bound not hold.
      await Promise.race([
        database.query('SELECT 1 AS ok'),
        setTimeout(15_000).then(() => Promise.reject(new Error('still waiting after 15 s'))),
      ]);
    } catch (error) {
      failure = error;
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const waited = Date.now() - started;
    expect(failure).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    // Not cut short, and not left hanging: within the bound and two looks (and 3 s of slack for a busy machine).
    expect(waited).toBeGreaterThanOrEqual(limit);
    expect(waited).toBeLessThan(limit + 2 * checkIntervalMs(limit) + 3_000);
    expect(warnings.join('')).toContain('PostgreSQL did not answer a query within the bound');

    const [row] = await database.query<{ ok: number; pid: number }>('SELECT 1 AS ok, pg_backend_pid() AS pid');
    expect(row?.ok).toBe(1);
    expect(row?.pid).not.toBe(pid);
  }, 30_000);

  it('leaves a query that is answered within the bound alone, however many looks it spans', async () => {
    warnings.length = 0;
    const limit = queryLimitMs(config(created.url));
    // Seen by several looks, and answered just before the bound could have been reached at the
    // last of them (statement_timeout lifted for it alone).
    const seconds = (limit - checkIntervalMs(limit) - 500) / 1000;
    const rows = await database.snapshot(async (query) => {
      await query('SET LOCAL statement_timeout = 0');
      return query<{ slept: boolean }>('SELECT pg_sleep($1) IS NOT NULL AS slept', [seconds]);
    });
    expect(rows).toEqual([{ slept: true }]);
    expect(warnings).toEqual([]);
  }, 30_000);
});
