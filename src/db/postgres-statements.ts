/**
 * Named prepared statements on a PostgreSQL server.
 *
 * node-postgres runs a query without a `name` as the unnamed statement: PostgreSQL parses,
 * analyses and plans it on every run. drizzle names only what a repository builds with
 * `.prepare(name)` (db/prepared.ts: the session lookup, the audit page, the list); every other
 * statement — a comment's insert, the workers' claims and inserts, every settings route — was
 * parsed and planned anew each time (under the benchmark's comment load PostgreSQL spent
 * 1.1–1.4 ms of CPU a comment this way, 0.76–0.87 ms with its statements named). The pool's
 * connections are made of this client, which names a statement the second time a connection
 * runs it, as postgres.js does for every query and pglite-statements.ts does on the embedded
 * database: node-postgres then sends its Parse once per connection, and PostgreSQL's plan
 * cache may keep its plan.
 *
 * What stays unnamed, as before:
 * - a statement without parameters: it runs over the simple protocol, which is what lets a
 *   script hold several statements;
 * - one with more than MAX_PARAMETERS (an import's multi-row insert, a shape per row count);
 * - one whose LIMIT is a parameter (a page of a list): a generic plan cannot know how few rows
 *   the scan stops after, and may sort the whole set instead of walking an index (the audit
 *   list prepares its own statements, one per page size, db/prepared.ts: its generic plan,
 *   checked with plan_cache_mode = force_generic_plan, walks idx_audits_org_created);
 * - one a connection has run only once (an `IN (…)` of a length seen once, say), and any
 *   once the connection keeps `max` named: named statements are never closed, so no DEALLOCATE
 *   can fail inside a caller's transaction (it would, behind PgBouncer, or for a name whose
 *   Parse had failed) — the pool retires connections after an hour, their names with them.
 *
 * A named statement that fails without a SQLSTATE (a value node-postgres could not send: it
 * then closes the statement) or as no longer existing (26000) is forgotten, so the next run
 * prepares it afresh. node-postgres has no option for any of this: its `name` is the
 * caller's to give.
 */
import pg from 'pg';

import { MAX_PREPARED_STATEMENTS } from './handle.js';

/** More parameters than this: a bulk statement, left unnamed. */
export const MAX_PARAMETERS = 100;

/** Texts a connection remembers having run once (about a megabyte at most). */
const SEEN_TEXTS = 1000;

/** `LIMIT $n`: the page size is a parameter. */
const PARAMETER_LIMIT = /\blimit\s+\$\d/i;

/** What node-postgres keeps of the statements a connection has parsed or sent (internal, by name). */
interface ParsedStatements {
  connection?: { parsedStatements?: Record<string, string>; submittedNamedStatements?: Record<string, string> };
}

type Callback = (error: Error | null, result: unknown) => void;

/** A pg Client class whose connections keep at most `max` named prepared statements. */
export function preparingClient(max = MAX_PREPARED_STATEMENTS): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    /** Statement text → its name on this connection. */
    private readonly names = new Map<string, string>();
    /** Texts run once on this connection (named on their second run); cleared at SEEN_TEXTS. */
    private readonly seen = new Set<string>();
    private named = 0;

    // pg's query has a dozen overloads (text or config, values or not, callback or promise):
    // every form is handed on as it came, a statement to name as a named config.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(config: any, values?: any, callback?: any): any {
      const text = this.toName(config as unknown, values as unknown);
      if (text === null) return super.query(config as never, values as never, callback as never);
      const name = this.nameFor(text);
      if (name === null) return super.query(config as never, values as never, callback as never);
      const named = typeof config === 'string' ? { text, name } : { ...(config as object), name };
      const forget = (error: unknown) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (code === undefined || code === '26000') this.forget(text, name);
      };
      const wrap =
        (done: Callback): Callback =>
        (error, result) => {
          if (error) forget(error);
          done(error, result);
        };
      // The callback is the second argument when no values are given.
      if (typeof values === 'function') return super.query(named as never, wrap(values as Callback) as never);
      if (typeof callback === 'function')
        return super.query(named as never, values as never, wrap(callback as Callback) as never);
      const result = super.query(named as never, values as never) as unknown as Promise<unknown>;
      result.catch(forget);
      return result;
    }

    /** The statement's text when it is one to keep prepared, else null. */
    private toName(config: unknown, values: unknown): string | null {
      const given = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : null;
      const text = typeof config === 'string' ? config : given?.text;
      const params = Array.isArray(values) ? values : given?.values;
      if (
        typeof text !== 'string' ||
        !Array.isArray(params) ||
        params.length === 0 ||
        params.length > MAX_PARAMETERS ||
        given?.name ||
        typeof given?.submit === 'function' ||
        PARAMETER_LIMIT.test(text)
      ) {
        return null;
      }
      return text;
    }

    /** The statement's name on this connection; null to run it unnamed (first run, or no slot left). */
    private nameFor(text: string): string | null {
      const known = this.names.get(text);
      if (known !== undefined) return known;
      if (this.names.size >= max) return null;
      if (!this.seen.has(text)) {
        if (this.seen.size >= SEEN_TEXTS) this.seen.clear();
        this.seen.add(text);
        return null;
      }
      this.seen.delete(text);
      this.named += 1;
      const name = `sa_${this.named}`;
      this.names.set(text, name);
      return name;
    }

    private forget(text: string, name: string): void {
      if (this.names.get(text) !== name) return;
      this.names.delete(text);
      const connection = (this as ParsedStatements).connection;
      delete connection?.parsedStatements?.[name];
      delete connection?.submittedNamedStatements?.[name];
    }
  };
}
