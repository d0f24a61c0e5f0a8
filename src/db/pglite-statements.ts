/**
 * Named prepared statements on the embedded database.
 *
 * PGlite's `query` runs every statement as the unnamed one, in six calls into PostgreSQL
 * (Parse, Describe, Bind, Describe, Execute, Sync): each query is parsed, analysed and planned
 * anew, and planning asks the file system for each table's size (an `fstat` through Emscripten's
 * NODEFS per relation — a tenth of the audit page's CPU under the benchmark). This does what
 * node-postgres does for a named query and postgres.js does for every query: a statement's text
 * is parsed once into a named statement, its parameter types learnt then; afterwards a query is
 * one call of Bind, Describe, Execute and Sync, and PostgreSQL's plan cache may keep its plan.
 * Results are parsed by PGlite's own parser, with its type parsers, exactly as `query` returns
 * them; errors are PGlite's `DatabaseError`, thrown after the Sync, so the session is left ready.
 *
 * Outside a transaction it takes the same two locks `query` does (no statement runs inside
 * another caller's transaction). Inside one, PGlite's own `transaction` still opens and ends it
 * (BEGIN, COMMIT, ROLLBACK on a throw, its bookkeeping); only the statements it runs take this
 * path, under the query lock, as PGlite's `tx.query` does. A prepared statement belongs to the
 * session, not the transaction: a rollback leaves it prepared. At most MAX_PREPARED_STATEMENTS
 * (handle.ts) are kept, the least recently used closed in the call that prepares the next.
 * PGlite has no option for this. The server driver's counterpart: postgres-statements.ts.
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';

import { MAX_PREPARED_STATEMENTS } from './handle.js';

const { serialize } = protocol;

interface Statement {
  name: string;
  /** The parameters' types, as PostgreSQL inferred them (for PGlite's serializers). */
  types: number[];
}

export interface PreparedQueries {
  query: <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;
  /** PGlite's `transaction`, its statements run as named prepared statements. */
  transaction: <T>(fn: (tx: Transaction) => Promise<T>) => Promise<T>;
  /** How many statements are prepared now (tests). */
  readonly size: number;
}

/** Names are unique in the process: two caches over one PGlite must not take each other's names. */
let caches = 0;

export function preparedQueries(client: PGlite, max = MAX_PREPARED_STATEMENTS): PreparedQueries {
  const prefix = `sa${(caches += 1)}_`;
  // Insertion order is recency: a hit is moved to the end, the first is the least recent.
  const statements = new Map<string, Statement>();
  let counter = 0;

  async function prepare(text: string, options: QueryOptions | undefined): Promise<Statement> {
    const name = `${prefix}${(counter += 1)}`;
    const messages: Uint8Array[] = [];
    const evicted: string[] = [];
    while (statements.size >= max) {
      const [oldest, statement] = statements.entries().next().value as [string, Statement];
      statements.delete(oldest);
      evicted.push(statement.name);
    }
    for (const old of evicted) messages.push(serialize.close({ type: 'S', name: old }));
    messages.push(
      serialize.parse({ name, text, types: options?.paramTypes }),
      serialize.describe({ type: 'S', name }),
      serialize.sync(),
    );
    const results = await client.execProtocolStream(Buffer.concat(messages), { syncToFs: false });
    const statement = { name, types: parse.parseDescribeStatementResults(results) };
    statements.set(text, statement);
    return statement;
  }

  async function run<T>(
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
    inTransaction: boolean,
  ): Promise<Results<T>> {
    let statement = statements.get(text);
    if (statement) {
      statements.delete(text);
      statements.set(text, statement);
    } else {
      statement = await prepare(text, options);
    }
    const { types } = statement;
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = options?.serializers?.[types[i] ?? 0] ?? client.serializers[types[i] ?? 0];
      if (serializer) return serializer(param);
      // A type without a serializer goes as its text (PGlite's toString; JSON for an object).
      if (typeof param === 'string') return param;
      if (typeof param === 'number' || typeof param === 'bigint' || typeof param === 'boolean') return param.toString();
      return JSON.stringify(param);
    });
    const results = await client.execProtocolStream(
      Buffer.concat([
        serialize.bind({ statement: statement.name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    // As PGlite does: the file system is synced after a statement outside a transaction.
    if (!inTransaction) await client.syncToFs();
    // PGlite's parseResults merges a query's own parsers into its ~320 by spreading both into
    // a new object (drizzle passes nine with every query): ~120 µs a query, a sixth of the
    // embedded audit page's CPU. Handing it the query's parsers in front of PGlite's (a
    // prototype) finds the same parser for every type without copying any.
    const parsers = options?.parsers
      ? (Object.assign(
          Object.create(client.parsers) as typeof client.parsers,
          options.parsers,
        ) as typeof client.parsers)
      : client.parsers;
    return parse.parseResults(
      results,
      parsers,
      options?.rowMode ? { rowMode: options.rowMode } : undefined,
    )[0] as Results<T>;
  }

  return {
    query: <T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> => {
      // A blob (COPY … TO/FROM '/dev/blob') needs PGlite's own handling.
      if (options?.blob !== undefined) return client.query<T>(text, params, options);
      return client._runExclusiveTransaction(() =>
        client._runExclusiveQuery(() => run<T>(text, params, options, false)),
      );
    },
    transaction: <T>(fn: (tx: Transaction) => Promise<T>): Promise<T> =>
      client.transaction((tx) =>
        fn({
          ...tx,
          query: <R>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<R>> => {
            if (tx.closed) return Promise.reject(new Error('Transaction is closed'));
            if (options?.blob !== undefined) return tx.query<R>(text, params, options);
            return client._runExclusiveQuery(() => run<R>(text, params, options, true));
          },
          get closed() {
            return tx.closed;
          },
        }),
      ),
    get size() {
      return statements.size;
    },
  };
}
