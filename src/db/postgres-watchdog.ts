/**
 * The client-side bound on a query to a PostgreSQL server, for when the server cannot even
 * answer (a frozen host, a network gone silent): `statement_timeout` needs the server to act.
 *
 * node-postgres has one (`query_timeout`), but it arms a timer for every query, and with it,
 * under load, 47–61 % of what the server allocated under the audit page outlived V8's
 * young-generation collections and was promoted (mostly the answers' text), so V8 ran a full
 * collection every 150–250 ms; without it 2–3 % (`--trace-gc`, 2026-12-04). A Fastify server
 * answering the same query through a bare pg Pool: 1.8 % without the option, 61 % with it; the
 * same queries without HTTP, 3.3 % with it. Why V8 keeps the answers across collections was
 * not pinned down; the timer per query was enough to remove. Without it the audit page cost
 * the server 113–127 µs of CPU instead of 201–241, and the benchmark's peak RSS on PostgreSQL
 * (the audit page, the lists, the 401) fell from 193 to 168 MiB (partial runs, 2026-12-04).
 *
 * Here one timer per pool does the same work: every few seconds it looks at the query each
 * connection has in flight, and ends the connection under one that was already in flight a
 * bound ago. node-postgres then fails that query ("Connection terminated unexpectedly": a
 * 503, like any lost connection), and the pool discards the connection. A query is ended
 * between `limitMs` and `limitMs` + two check intervals after it was sent.
 *
 * Written here because no library does it: it reads node-postgres's `_activeQuery` (the query
 * a connection has sent and not yet seen answered; the public `activeQuery` is a deprecated
 * getter of it), checked by test/db/postgres-watchdog.test.ts, which fails if it is renamed.
 */
import type pg from 'pg';
import type { Logger } from 'pino';

/** What is read of a pooled client: node-postgres internals (see above). */
interface ClientInternals {
  _activeQuery?: object | null;
  connection?: { stream?: { destroy(error?: Error): void } };
}

/** The interval between two looks: a fifth of the bound, within 250 ms and 5 s. */
export function checkIntervalMs(limitMs: number): number {
  return Math.min(5_000, Math.max(250, Math.round(limitMs / 5)));
}

/** Starts watching `pool`'s connections; returns what stops it. */
export function watchQueries(pool: pg.Pool, limitMs: number, logger: Logger): () => void {
  const clients = new Set<pg.PoolClient>();
  pool.on('connect', (client) => clients.add(client));
  pool.on('remove', (client) => clients.delete(client));
  /** When each query in flight was first seen in flight. */
  const seen = new WeakMap<object, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const client of clients) {
      const internals = client as unknown as ClientInternals;
      const query = internals._activeQuery;
      if (!query) continue;
      const since = seen.get(query);
      if (since === undefined) {
        seen.set(query, now);
      } else if (now - since >= limitMs) {
        logger.warn(
          { limitMs },
          'PostgreSQL did not answer a query within the bound: closing its connection (statement_timeout needs the server to answer)',
        );
        clients.delete(client);
        internals.connection?.stream?.destroy();
      }
    }
  }, checkIntervalMs(limitMs));
  timer.unref();
  return () => clearInterval(timer);
}
