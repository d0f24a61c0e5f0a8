/**
 * What a database handle is, whichever the driver: the types and the small helpers both
 * drivers (pglite.ts, postgres.ts) build on. database.ts opens one; it and the drivers import
 * this module, never each other (no import cycle).
 */
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';

import * as schema from './schema.js';

export type Schema = typeof schema;
/** The drizzle query builder, on either driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What repositories run their queries on: the database itself or an open transaction. */
export type Executor = Db | Tx;

export type DriverName = 'pglite' | 'postgres';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/**
 * A raw row from {@link Database.query}. Values come back the same on both drivers:
 * int8 and numeric as strings, date as 'YYYY-MM-DD', timestamptz as Date, bytea as
 * Buffer, json/jsonb parsed, booleans as booleans.
 */
export type RawRow = Record<string, unknown>;
export type RawQuery = <T extends RawRow = RawRow>(text: string, params?: unknown[]) => Promise<T[]>;

/** What pg-boss needs of a database: raw SQL, several statements at once included. */
export interface JobStore {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Database {
  readonly driver: DriverName;
  readonly db: Db;
  /** Raw SQL with bound parameters, for the few places that need catalog access. */
  query<T extends RawRow = RawRow>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs fn on one connection inside a REPEATABLE READ, READ ONLY transaction: every query
   * it makes sees the same snapshot (a consistent backup).
   */
  snapshot<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>;
  /** Runs fn on one connection inside a read-write transaction, with raw queries (restore). */
  rawTransaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>;
  /** Runs a script of several SQL statements, no parameters (schema scripts, restores). */
  execScript(text: string): Promise<void>;
  /**
   * Applies the pending migrations of the folder, all in one transaction; on PostgreSQL
   * under an advisory lock, so that instances booting together apply each one once.
   */
  applyMigrations(migrationsFolder: string): Promise<void>;
  /** Resolves when the database answers `SELECT 1` within timeoutMs. */
  ping(timeoutMs: number): Promise<void>;
  serverVersion(): Promise<string>;
  poolStats(): PoolStats;
  /** How many statements the query builder has sent so far (tests check for N+1 with it). */
  statementsRun(): number;
  /**
   * Listens on a NOTIFY channel: `onMessage` gets each payload; `onState(true)` once listening,
   * `onState(false)` whenever messages may have been missed (the connection was lost; on
   * PostgreSQL it reconnects by itself and says `true` again). On PostgreSQL this is one
   * connection of its own, outside the pool; PGlite delivers in-process. Resolves once the
   * first attempt has been made (listening or not); the returned function stops it.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onState: (listening: boolean) => void,
  ): Promise<() => Promise<void>>;
  /** This database as pg-boss runs its queue on it (jobs/queue.ts): the same connections, each driver's way. */
  jobStore(): JobStore;
  close(): Promise<void>;
}

/**
 * How many named prepared statements a connection keeps, on either driver (pglite-statements.ts,
 * postgres-statements.ts): the app's distinct statement texts fit several times over.
 */
export const MAX_PREPARED_STATEMENTS = 500;

/** A drizzle logger that only counts: the count backs Database.statementsRun. */
export function statementCounter(): { logger: { logQuery: () => void }; count: () => number } {
  let n = 0;
  return {
    logger: {
      logQuery: () => {
        n += 1;
      },
    },
    count: () => n,
  };
}

/**
 * The rows of `db.execute(sql…)` on either driver (node-postgres answers a QueryResult,
 * PGlite its Results: both carry `rows`). Column names as the SQL gives them; timestamps may
 * come as text (drizzle asks node-postgres for text, to map columns itself): see {@link toDate}.
 */
export function rowsOf<T extends RawRow = RawRow>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** A timestamp of a raw row as a Date, whichever way the driver sent it. */
export function toDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  const text = value;
  // PostgreSQL's text form ('2026-12-01 14:07:07.123+00'): make it ISO so every engine parses it.
  return new Date(/^\d{4}-\d{2}-\d{2} /.test(text) ? text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00') : text);
}

/** Runs fn in one transaction on either driver; a throw rolls everything back. */
export function transaction<T>(db: Executor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

/** Rejects with a timeout error when promise takes longer than ms. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export { schema };
