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
 * Results come back as `query` returns them (PGlite's type parsers, its `Results` shape); errors
 * carry PostgreSQL's fields (`code` …), thrown after the Sync, so the session is left ready.
 *
 * PostgreSQL's answer is read by node-postgres's protocol parser (pg-protocol), not PGlite's:
 * PGlite's copies every field into an ArrayBuffer of its own before decoding it — a list page
 * of 21 rows × 15 columns took ~500 µs to read, pg-protocol ~35 (measured on the same bytes).
 * Reading PostgreSQL's raw answer skips what PGlite's `execProtocolStream` does besides
 * parsing — throw the error, drop notices, hand notifications to its listeners — so it is done
 * here: notifications go to `onNotification` (pglite.ts hands them to its listeners).
 *
 * Outside a transaction it takes the same two locks `query` does (no statement runs inside
 * another caller's transaction). Inside one, PGlite's own `transaction` still opens and ends it
 * (BEGIN, COMMIT, ROLLBACK on a throw, its bookkeeping); only the statements it runs take this
 * path, under the query lock, as PGlite's `tx.query` does. A prepared statement belongs to the
 * session, not the transaction: a rollback leaves it prepared. At most MAX_PREPARED_STATEMENTS
 * (handle.ts) are kept, the least recently used closed in the call that prepares the next.
 * PGlite has no option for this. The server driver's counterpart: postgres-statements.ts.
 */
import { protocol, types, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import type {
  BackendMessage,
  CommandCompleteMessage,
  DatabaseError,
  DataRowMessage,
  NotificationResponseMessage,
  ParameterDescriptionMessage,
  RowDescriptionMessage,
} from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';

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

/** A notification PostgreSQL sent in answer to one of these statements. */
export type NotificationHandler = (channel: string, payload: string) => void;

/**
 * Runs protocol messages (ending with a Sync) and returns PostgreSQL's answer, parsed; throws the
 * first error once the whole answer is read (the Sync's ReadyForQuery included).
 */
async function exchange(
  client: PGlite,
  messages: Uint8Array,
  onNotification: NotificationHandler,
): Promise<BackendMessage[]> {
  const parser = new Parser();
  const answer: BackendMessage[] = [];
  // Set in the parser's callback (a `let` would look never assigned to the type checker).
  const failed: { error?: DatabaseError; thrown?: Error } = {};
  await client.execProtocolRawStream(messages, {
    syncToFs: false,
    // The chunk is a view of PGlite's memory, reused after this call: the parser gets a copy.
    onRawData: (chunk) => {
      // PGlite carries on past an exception thrown here: keep it, or the answer would be cut
      // short without a word.
      try {
        parser.parse(Buffer.from(chunk), (message) => {
          if (message.name === 'error') failed.error ??= message as DatabaseError;
          else if (message.name === 'notification') {
            const { channel, payload } = message as NotificationResponseMessage;
            // As PGlite does: listeners run after the statement, not inside its answer.
            queueMicrotask(() => onNotification(channel, payload));
          } else if (message.name !== 'notice') answer.push(message);
        });
      } catch (error) {
        failed.thrown ??= error instanceof Error ? error : new Error(String(error));
      }
    },
  });
  if (failed.thrown) throw failed.thrown;
  if (failed.error) throw failed.error;
  return answer;
}

/** `Results` from an answer, built as PGlite's own `query` builds them (its parseResults). */
function results<T>(answer: BackendMessage[], parsers: PGlite['parsers'], arrays: boolean): Results<T> {
  let fields: { name: string; dataTypeID: number }[] = [];
  const rows: unknown[] = [];
  for (const message of answer) {
    if (message.name === 'rowDescription') {
      fields = (message as RowDescriptionMessage).fields.map(({ name, dataTypeID }) => ({ name, dataTypeID }));
    } else if (message.name === 'dataRow') {
      const values = (message as DataRowMessage).fields as (string | null)[];
      const parsed = values.map((value, i) => types.parseType(value, fields[i]?.dataTypeID ?? 0, parsers) as unknown);
      rows.push(arrays ? parsed : Object.fromEntries(parsed.map((value, i) => [fields[i]?.name, value])));
    } else if (message.name === 'commandComplete') {
      const words = (message as CommandCompleteMessage).text.split(' ');
      const command = words[0] ?? '';
      const count = Number.parseInt(words[words.length - 1] ?? '', 10);
      const affectedRows = ['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(command) ? count : 0;
      return {
        rows,
        fields,
        command,
        affectedRows,
        ...(Number.isNaN(count) ? {} : { rowCount: count }),
      } as unknown as Results<T>;
    }
  }
  return { affectedRows: 0, rows: [], fields: [] };
}

/**
 * `onNotification` hears the notifications in these statements' answers; PGlite's own `listen`
 * never sees them (it is given no default, so that none is dropped unnoticed).
 */
export function preparedQueries(
  client: PGlite,
  onNotification: NotificationHandler,
  max = MAX_PREPARED_STATEMENTS,
): PreparedQueries {
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
    const answer = await exchange(client, Buffer.concat(messages), onNotification);
    const description = answer.find((message) => message.name === 'parameterDescription');
    const statement = { name, types: (description as ParameterDescriptionMessage | undefined)?.dataTypeIDs ?? [] };
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
    const { types: paramTypes } = statement;
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = options?.serializers?.[paramTypes[i] ?? 0] ?? client.serializers[paramTypes[i] ?? 0];
      if (serializer) return serializer(param);
      // A type without a serializer goes as its text (PGlite's toString; JSON for an object).
      if (typeof param === 'string') return param;
      if (typeof param === 'number' || typeof param === 'bigint' || typeof param === 'boolean') return param.toString();
      return JSON.stringify(param);
    });
    const answer = await exchange(
      client,
      Buffer.concat([
        serialize.bind({ statement: statement.name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      onNotification,
    );
    // As PGlite does: the file system is synced after a statement outside a transaction.
    if (!inTransaction) await client.syncToFs();
    // A query's own parsers (drizzle passes nine with every query) go in front of PGlite's ~320
    // through a prototype: PGlite's parseResults copied them all into a new object each time
    // (~120 µs a query, profiled).
    const parsers = options?.parsers
      ? (Object.assign(Object.create(client.parsers) as PGlite['parsers'], options.parsers) as PGlite['parsers'])
      : client.parsers;
    return results<T>(answer, parsers, options?.rowMode === 'array');
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
