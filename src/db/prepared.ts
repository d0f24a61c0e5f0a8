/**
 * Statements on the hot path (the session lookup on every request, the audit page), built
 * once per database handle and run as named prepared statements. At a few thousand requests
 * a second drizzle's query building (its `is()` checks and SQL assembly) cost more CPU than
 * the query itself did, and a named statement also spares PostgreSQL the parse and plan.
 * A transaction is its own handle: statements used inside one are built for it (correct,
 * just not cached beyond it).
 */
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
