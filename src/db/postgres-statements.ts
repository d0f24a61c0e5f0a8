/**
 * Named prepared statements on a PostgreSQL server.
 *
 * node-postgres runs a query without a `name` as the unnamed statement: PostgreSQL parses,
 * analyses and plans it on every run. drizzle names only what a repository builds with
 * `.prepare(name)` (db/prepared.ts: the session lookup, the audit page, the list); every other
 * statement — a comment's insert, the workers' claims and inserts, every settings route — was
 * planned anew each time (under the benchmark's comment load PostgreSQL spent 1.1–1.4 ms of CPU
 * a comment this way, 0.76–0.87 ms with its statements named). The pool's connections are made
 * of this client, which names a statement the first time a connection runs it, as postgres.js
 * does for every query and pglite-statements.ts does on the embedded database: node-postgres
 * then sends its Parse once per connection, and PostgreSQL's plan cache may keep its plan.
 *
 * Only statements with parameters are named: one without runs, as before, over the simple
 * protocol, which is what lets a script hold several statements. One with more than
 * MAX_PARAMETERS (an import's multi-row insert, whose shape follows its row count) stays
 * unnamed: it would take a slot for a shape that seldom comes back. Per connection at most
 * `max` are kept; the least recently used is closed (DEALLOCATE, queued on the connection
 * before the statement that takes its place). node-postgres has no option for this:
 * its `name` is the caller's to give, and it never closes what it prepared.
 */
import pg from 'pg';

import { MAX_PREPARED_STATEMENTS } from './handle.js';

/** More parameters than this: a bulk statement, left unnamed. */
export const MAX_PARAMETERS = 100;

/** What node-postgres keeps of the statements a connection has parsed or sent (internal, by name). */
interface ParsedStatements {
  connection?: { parsedStatements?: Record<string, string>; submittedNamedStatements?: Record<string, string> };
}

/** A pg Client class whose connections keep at most `max` named prepared statements. */
export function preparingClient(max = MAX_PREPARED_STATEMENTS): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    /** Statement text → name, least recently used first. */
    private readonly statements = new Map<string, string>();
    private named = 0;

    // pg's query has a dozen overloads (text or config, values or not, callback or promise):
    // every form is handed on as it came, a statement to name as a named config.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(config: any, values?: any, callback?: any): any {
      return super.query(
        this.withName(config as unknown, values as unknown) as never,
        values as never,
        callback as never,
      );
    }

    /** The query's config with a name when it is a statement to keep prepared; else as given. */
    private withName(config: unknown, values: unknown): unknown {
      const given = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : null;
      const text = typeof config === 'string' ? config : given?.text;
      const params = Array.isArray(values) ? values : given?.values;
      if (
        typeof text !== 'string' ||
        !Array.isArray(params) ||
        params.length === 0 ||
        params.length > MAX_PARAMETERS ||
        given?.name ||
        typeof given?.submit === 'function'
      ) {
        return config;
      }
      return { ...given, text, name: this.nameFor(text) };
    }

    private nameFor(text: string): string {
      const known = this.statements.get(text);
      if (known !== undefined) {
        // Insertion order is recency: a hit moves to the end.
        this.statements.delete(text);
        this.statements.set(text, known);
        return known;
      }
      while (this.statements.size >= max) {
        const [oldest, name] = this.statements.entries().next().value as [string, string];
        this.statements.delete(oldest);
        const connection = (this as ParsedStatements).connection;
        delete connection?.parsedStatements?.[name];
        delete connection?.submittedNamedStatements?.[name];
        // Queued before the statement that takes the slot. In a failed transaction it fails and
        // the statement stays prepared until the connection ends: no name is ever used twice.
        super.query(`DEALLOCATE ${name}`).catch(() => {});
      }
      this.named += 1;
      const name = `sa_${this.named}`;
      this.statements.set(text, name);
      return name;
    }
  };
}
