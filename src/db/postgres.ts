/** The PostgreSQL server driver: a bounded pg Pool that survives the server going away. */
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from 'pino';

import type { PostgresConfig } from '../config.js';
import { preparingClient } from './postgres-statements.js';
import { watchQueries } from './postgres-watchdog.js';
import { statementCounter, withTimeout, type Database, type Db, type RawQuery, type RawRow, schema } from './handle.js';

const { Pool, types } = pg;

// DATE as the 'YYYY-MM-DD' text PostgreSQL sends, not a Date at local midnight (the
// pg default), so raw rows match PGlite's and never shift by a time zone.
const rawTypes = {
  getTypeParser(oid: number): (value: string) => unknown {
    if (oid === (types.builtins.DATE as number)) return (value: string) => value;
    // pg only asks for text parsers: we never request binary results.
    return types.getTypeParser(oid, 'text') as (value: string) => unknown;
  },
};

const MIGRATION_LOCK = 'stackaudit:migrate';

/** The URL without its ssl parameters: pg would let them override our `ssl` option. */
function withoutSslParams(url: string): string {
  const parsed = new URL(url);
  for (const key of ['sslmode', 'ssl', 'sslcert', 'sslkey', 'sslrootcert', 'uselibpqcompat']) {
    parsed.searchParams.delete(key);
  }
  return parsed.toString();
}

/** How long a query may wait for the server's answer before its connection is ended: statement_timeout and 5 s. */
export function queryLimitMs(config: PostgresConfig): number {
  return config.statementTimeoutMs + 5_000;
}

export function poolOptions(config: PostgresConfig): pg.PoolConfig {
  return {
    connectionString: withoutSslParams(config.url),
    ssl: config.ssl === 'disable' ? false : { rejectUnauthorized: config.ssl === 'verify' },
    max: config.poolMax,
    idleTimeoutMillis: config.idleTimeoutMs,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Server-side bound on any one statement. The client-side one, a little longer, for when
    // the server cannot even answer, is postgres-watchdog.ts (not pg's query_timeout: its
    // timer per query cost the server a full garbage collection every few hundred ms).
    statement_timeout: config.statementTimeoutMs,
    application_name: 'stackaudit',
    options: '-c TimeZone=UTC',
    // Connections are retired after an hour, and with them the statements they keep
    // prepared (postgres-statements.ts never closes one).
    maxLifetimeSeconds: 3600,
    types: rawTypes,
  };
}

async function onOneConnection<T>(pool: pg.Pool, begin: string, fn: (query: RawQuery) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const query: RawQuery = async <R extends RawRow>(text: string, params: unknown[] = []) =>
      (await client.query(text, params)).rows as R[];
    const result = await fn(query);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** How long a lost LISTEN connection waits before it tries again (then doubles, up to a minute). */
const RELISTEN_MS = 500;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to others): reconnects after
 * a loss with backoff, telling `onState(false)` at once (notifications may be missed until it
 * is back) and `onState(true)` when listening again.
 */
async function listenOn(
  options: pg.PoolConfig,
  channel: string,
  onMessage: (payload: string) => void,
  onState: (listening: boolean) => void,
  logger: Logger,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let delay = RELISTEN_MS;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ ...options, application_name: 'stackaudit-listen' });
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = null;
      onState(false);
      next.removeAllListeners('notification');
      void next.end().catch(() => {});
      if (stopped) return;
      logger.warn({ err: error && { message: error.message } }, `LISTEN ${channel}: connection lost, reconnecting`);
      timer = setTimeout(() => void connect(), delay);
      timer.unref();
      delay = Math.min(delay * 2, 60_000);
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      if (message.channel === channel) onMessage(message.payload ?? '');
    });
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (client !== next) return;
      delay = RELISTEN_MS;
      onState(true);
    } catch (error) {
      lost(error as Error);
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const current = client;
    client = null;
    onState(false);
    await current?.end().catch(() => {});
  };
}

export function openPostgres(config: PostgresConfig, logger: Logger): Database {
  // Statements with parameters run as named prepared statements from their second run (postgres-statements.ts).
  const pool = new Pool({ ...poolOptions(config), Client: preparingClient() });
  const stopWatching = watchQueries(pool, queryLimitMs(config), logger);
  // An idle client whose server went away emits 'error' on the pool. Unhandled, that
  // ends the process (the seed plan even called process.exit): log it and let the pool
  // drop the client; the next query opens a fresh connection once the server is back.
  pool.on('error', (error) => {
    logger.warn(
      { err: { message: error.message, code: (error as { code?: string }).code } },
      'idle PostgreSQL connection lost',
    );
  });
  // A client checked out of the pool has no 'error' listener (pg-pool removes its idle one),
  // so a connection lost between two statements of a transaction would emit an unhandled
  // 'error' and end the process. Each client keeps this listener for life: the transaction's
  // next statement fails (a 503), the client is discarded on release, the server lives on.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      logger.warn(
        { err: { message: error.message, code: (error as { code?: string }).code } },
        'PostgreSQL connection lost while in use',
      );
    });
  });
  const counter = statementCounter();
  const db = drizzle({ client: pool, schema, logger: counter.logger }) as unknown as Db;

  return {
    driver: 'postgres',
    db,
    async query<T extends RawRow>(text: string, params: unknown[] = []) {
      const result = await pool.query(text, params);
      return result.rows as T[];
    },
    snapshot: (fn) => onOneConnection(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    // The pool's own connections: pg-boss adds none to the connection budget.
    jobStore: () => ({ executeSql: (text, values) => jobStoreRows(pool.query(text, values)) }),
    rawTransaction: (fn) => onOneConnection(pool, 'BEGIN', fn),
    async execScript(text: string) {
      await pool.query(text);
    },
    async applyMigrations(migrationsFolder: string) {
      // Session-level advisory lock held on one connection, and the migrations run on that
      // same connection: instances booting together wait here, then find nothing pending.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
        try {
          await migrate(drizzle({ client, schema }), { migrationsFolder });
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
        }
      } finally {
        client.release();
      }
    },
    // The LISTEN connection is not pooled, so not watched: pg's own query_timeout bounds its
    // one LISTEN (one timer per connection, not per request, costs nothing).
    listen: (channel, onMessage, onState) =>
      listenOn({ ...poolOptions(config), query_timeout: queryLimitMs(config) }, channel, onMessage, onState, logger),
    async ping(timeoutMs: number) {
      await withTimeout(pool.query('SELECT 1'), timeoutMs, 'PostgreSQL');
    },
    async serverVersion() {
      const result = await pool.query<{ server_version: string }>('SHOW server_version');
      return result.rows[0]?.server_version ?? 'unknown';
    },
    statementsRun: counter.count,
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: config.poolMax };
    },
    async close() {
      // Watched until the pool has ended: a query hung at shutdown is bounded too.
      try {
        await pool.end();
      } finally {
        stopWatching();
      }
    },
  };
}

/**
 * pg-boss sends some of its work as several statements in one query (its upkeep pass: expiry,
 * retention, queue statistics), and expects the rows of them all, as its own PGlite adapter
 * gives them; `pg` answers such a query with one result per statement.
 */
async function jobStoreRows(
  answer: Promise<pg.QueryResult<RawRow> | pg.QueryResult<RawRow>[]>,
): Promise<{ rows: RawRow[] }> {
  const result = await answer;
  return { rows: Array.isArray(result) ? result.flatMap((r) => r.rows) : result.rows };
}
