/** The embedded driver: PGlite persisted in DATA_DIR, held by this process alone. */
import path from 'node:path';

import { PGlite, types } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { fromPglite } from 'pg-boss';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Logger } from 'pino';

import { acquireDataDirLock } from './data-dir-lock.js';
import { preparedQueries } from './pglite-statements.js';
import { statementCounter, withTimeout, type Database, type Db, type RawRow, schema } from './handle.js';

/** Parsers that make raw PGlite rows look like pg's (see RawRow). */
export const pgliteParsers = {
  [types.INT8]: (value: string) => value,
  [types.NUMERIC]: (value: string) => value,
  [types.DATE]: (value: string) => value,
  [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
};

/** Where the PostgreSQL files live inside DATA_DIR (the lock file sits beside them). */
export function pgliteDirectory(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

/**
 * PostgreSQL's settings inside the server process. shared_buffers is PostgreSQL's default
 * 128 MB otherwise, all of it in the process's memory once touched (the WebAssembly heap
 * never shrinks): 16 MB holds a small organization's working set, and pages beyond it come
 * from the operating system's file cache. 16 rather than 32: the benchmark's embedded peak RSS
 * at 64 connections fell from 332 to 257–267 MiB, its reads within the machine's noise
 * (2026-12-03).
 *
 * default_statistics_target is 10 (PostgreSQL's default before 8.4) instead of 100. ANALYZE
 * copies a sample of 300 × target rows whole into its memory, and inside the WebAssembly heap
 * that high-water mark stays the process's for good: table upkeep (table-upkeep.worker.ts)
 * analysing the outbox and the notifications under the comment benchmark grew PGlite's heap
 * from 35 to 107 MiB, and the embedded peak RSS with it (2026-12-04, read from
 * /proc/PID/smaps; alone, ANALYZE of a 30,000-row, 26 MB table: +29 MiB at 100, +2 MiB at 10).
 * At 10 the sample is at most 3,000 rows: the embedded peak fell from 325–334 to 262–277 MiB,
 * reads and comments within the noise. Its estimates are coarser (10 most common values and
 * 10 histogram buckets a column instead of 100 each); the queries here go by unique keys or by
 * indexes that lead with the organization, which such estimates do not turn away from. A
 * PostgreSQL server keeps its default: its autovacuum analyses in a process of its own.
 */
const EMBEDDED_SETTINGS = ['-c', 'shared_buffers=16MB', '-c', 'default_statistics_target=10'];

/** Opens (creating on first use) the embedded database; throws DataDirLockedError if taken. */
export async function openPglite(dataDir: string, logger: Logger): Promise<Database> {
  const lock = acquireDataDirLock(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create({
      dataDir: pgliteDirectory(dataDir),
      parsers: pgliteParsers,
      startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS],
    });
    await client.exec("SET TIME ZONE 'UTC'");
  } catch (error) {
    lock.release();
    throw error;
  }
  logger.debug({ dataDir }, 'embedded database open');
  return wrapPglite(client, () => lock.release());
}

/** A Database over an open PGlite; onClose runs after PGlite has closed. */
export function wrapPglite(client: PGlite, onClose: () => void = () => {}): Database {
  const counter = statementCounter();
  // Statements run as named prepared statements (pglite-statements.ts); drizzle uses only
  // `query` and `transaction` of its client.
  // Notifications come with the answers of PGlite's own statements (its transactions' COMMIT)
  // and of ours (pglite-statements.ts reads them itself): each listener hears both. Listen
  // through the handle's `listen` only: `client.listen` alone would miss those of ours.
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const statements = preparedQueries(client, (channel, payload) => {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  });
  const driverClient = { query: statements.query, transaction: statements.transaction } as unknown as PGlite;
  const db = drizzle({ client: driverClient, schema, logger: counter.logger }) as unknown as Db;
  return {
    driver: 'pglite',
    // pg-boss's own adapter: it runs multi-statement scripts with exec, which query cannot.
    jobStore: () => fromPglite(client),
    db,
    async query<T extends RawRow>(text: string, params: unknown[] = []) {
      const result = await statements.query<T>(text, params);
      return result.rows;
    },
    // PGlite runs one query at a time, so a transaction is a snapshot already.
    snapshot: (fn) =>
      statements.transaction((tx) => fn(async (text, params = []) => (await tx.query(text, params)).rows as never)),
    rawTransaction: (fn) =>
      statements.transaction((tx) => fn(async (text, params = []) => (await tx.query(text, params)).rows as never)),
    async execScript(text: string) {
      await client.exec(text);
    },
    // One process owns the directory (the lock file), so nothing migrates alongside us.
    async applyMigrations(migrationsFolder: string) {
      await migrate(drizzle({ client, schema }), { migrationsFolder });
    },
    // One process owns the database: notifications are delivered in it, never lost.
    async listen(channel, onMessage, onState) {
      const stop = await client.listen(channel, onMessage);
      // The channel as PostgreSQL names it in a notification (as PGlite's listen folds it).
      const name = channel.startsWith('"') ? channel.slice(1, -1) : channel.toLowerCase();
      const ours = listeners.get(name) ?? new Set();
      listeners.set(name, ours.add(onMessage));
      onState(true);
      return async () => {
        onState(false);
        ours.delete(onMessage);
        if (!client.closed) await stop();
      };
    },
    async ping(timeoutMs: number) {
      await withTimeout(client.query('SELECT 1'), timeoutMs, 'the embedded database');
    },
    async serverVersion() {
      const result = await client.query<{ server_version: string }>('SHOW server_version');
      return result.rows[0]?.server_version ?? 'unknown';
    },
    statementsRun: counter.count,
    poolStats() {
      return { total: 1, idle: 1, waiting: 0, max: 1 };
    },
    async close() {
      try {
        if (!client.closed) await client.close();
      } finally {
        onClose();
      }
    },
  };
}
