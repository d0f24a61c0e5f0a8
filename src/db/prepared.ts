/**
 * Statements on the hot path (the session lookup on every request, the audit page, a new
 * comment), built once per database handle and run as named prepared statements. At a few thousand requests
 * a second drizzle's query building (its `is()` checks and SQL assembly) cost more CPU than
 * the query itself did, and a named statement also spares PostgreSQL the parse and plan.
 * A transaction is its own handle: statements used inside one are built for it (correct,
 * just not cached beyond it).
 */
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

import type { Executor } from './database.js';

const cache = new WeakMap<Executor, Map<string, unknown>>();

export function prepared<T>(db: Executor, name: string, build: (db: Executor) => T): T {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(name) as T | undefined;
  if (statement === undefined) {
    statement = build(db);
    statements.set(name, statement);
  }
  return statement;
}

/** Renders SQL templates to text; it holds no state of a database (this schema uses no casing option). */
const dialect = new PgDialect();

/**
 * A raw statement — one drizzle's builders cannot write, such as a data-modifying CTE — with
 * `sql.placeholder`s, rendered to text once per handle; `execute(values)` runs it as
 * `db.execute` would (the same result, the handle's logger), as the named statement `name`. `db.execute` renders its template
 * on every call: for the comment's statement (a CTE of four inserts and the access rule) that
 * was about a tenth of the server's CPU per comment under the benchmark.
 */
export function preparedSql(
  db: Executor,
  name: string,
  build: (db: Executor) => SQL,
): { execute(values: Record<string, unknown>): Promise<unknown> } {
  return prepared(db, name, (handle) =>
    handle._.session.prepareQuery(dialect.sqlToQuery(build(handle)), undefined, name, false),
  );
}
