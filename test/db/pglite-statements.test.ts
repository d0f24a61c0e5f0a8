/**
 * The embedded database's named prepared statements (src/db/pglite-statements.ts) answer as
 * PGlite's own `query` does — values, types, errors — and keep PGlite's rules: one statement at
 * a time, never inside another caller's transaction, a bounded number kept.
 */
import { PGlite, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { pgliteParsers, wrapPglite } from '../../src/db/pglite.js';
import { preparedQueries } from '../../src/db/pglite-statements.js';
import { STATEMENTS, TABLE } from './statement-cases.js';

/** These tests listen through the handle (the notification test below), not the bare cache. */
const ignore = () => {};

describe('named prepared statements on PGlite', () => {
  let client: PGlite;
  beforeAll(async () => {
    client = await PGlite.create({ parsers: pgliteParsers });
    await client.exec(TABLE);
  });
  afterAll(async () => {
    await client.close();
  });

  const statements: [string, unknown[]][] = [
    ...STATEMENTS,
    ['SELECT 1 AS one', []],
    // An answer of several MB: PGlite hands it over in chunks, messages split across them.
    ['SELECT repeat($1::text, 3000000) AS big, g FROM generate_series(1, 3) g', ['xy']],
    // Commands without rows: their tags, counts (none for DDL), and a NOTICE left out.
    ['UPDATE t SET note = note WHERE id = $1', ['7f1c7d3e-4d8a-4a57-9a43-0f2b1c3d4e5f']],
    ['DELETE FROM t WHERE id = $1', ['00000000-0000-4000-8000-00000000dead']],
    ['CREATE TEMP TABLE IF NOT EXISTS scratch (i int)', []],
  ];

  it('answers exactly as PGlite’s query does, objects and arrays alike, the second time from the cache', async () => {
    const prepared = preparedQueries(client, ignore);
    for (const round of [1, 2]) {
      for (const [text, params] of statements) {
        const theirs = await client.query(text, params);
        const ours = await prepared.query(text, params);
        // Rows, fields, command, affectedRows, rowCount.
        expect(ours, `${text} (round ${round})`).toEqual(theirs);
        const arrays = await prepared.query(text, params, { rowMode: 'array' });
        expect(arrays.rows).toEqual((await client.query(text, params, { rowMode: 'array' })).rows);
        // A query's own parsers (drizzle's leave timestamps as text) go before PGlite's.
        const own = { rowMode: 'array' as const, parsers: { [types.TIMESTAMPTZ]: (value: string) => `at ${value}` } };
        expect((await prepared.query(text, params, own)).rows).toEqual((await client.query(text, params, own)).rows);
      }
      expect(prepared.size).toBe(statements.length);
    }
    const inserted = await prepared.query("INSERT INTO t (id, note) VALUES ($1, 'second') RETURNING note", [
      '00000000-0000-4000-8000-000000000001',
    ]);
    expect(inserted.rows).toEqual([{ note: 'second' }]);
    expect(inserted.affectedRows).toBe(1);
  });

  it('throws PostgreSQL’s errors with their codes, caches nothing broken, and stays usable', async () => {
    const prepared = preparedQueries(client, ignore);
    const insert = "INSERT INTO t (id, note) VALUES ($1, 'first')";
    await expect(prepared.query(insert, ['00000000-0000-4000-8000-000000000002'])).rejects.toMatchObject({
      code: '23505',
    });
    await expect(prepared.query('SELECT * FROM t WHERE id = $1', ['not-a-uuid'])).rejects.toMatchObject({
      code: '22P02',
    });
    await expect(prepared.query('SELEC nothing', [])).rejects.toMatchObject({ code: '42601' });
    expect(prepared.size).toBe(2); // the insert and the select were prepared; the syntax error was not
    expect(
      (await prepared.query('SELECT note FROM t WHERE id = $1', ['7f1c7d3e-4d8a-4a57-9a43-0f2b1c3d4e5f'])).rows,
    ).toEqual([{ note: 'first' }]);
    // The failed insert wrote nothing.
    expect(
      (await client.query('SELECT count(*)::int AS c FROM t WHERE id = $1', ['00000000-0000-4000-8000-000000000002']))
        .rows,
    ).toEqual([{ c: 0 }]);
  });

  it('keeps at most its bound, closing the least recently used, and re-prepares what it closed', async () => {
    const prepared = preparedQueries(client, ignore, 3);
    const texts = [1, 2, 3, 4, 5].map((k) => `SELECT ${k} + $1::int AS v`);
    for (const text of texts)
      expect((await prepared.query(text, [10])).rows).toEqual([{ v: Number(/\d/.exec(text)?.[0]) + 10 }]);
    expect(prepared.size).toBe(3);
    const open = async () =>
      (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'sa%'"))
        .rows[0]?.n;
    // Those of this cache (3) and of the tests before (which keep theirs): none closed twice, none leaked.
    const before = await open();
    expect((await prepared.query(texts[0] ?? '', [1])).rows).toEqual([{ v: 2 }]);
    expect(prepared.size).toBe(3);
    expect(await open()).toBe(before);
  });

  it('never runs inside another caller’s transaction: it waits for it to end', async () => {
    const prepared = preparedQueries(client, ignore);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = client.transaction(async (tx) => {
      await tx.query("INSERT INTO t (id, note) VALUES ('00000000-0000-4000-8000-000000000003', 'in tx')");
      await held;
      await tx.rollback();
    });
    const read = prepared.query('SELECT count(*)::int AS c FROM t WHERE note = $1', ['in tx']);
    await new Promise((r) => setTimeout(r, 50));
    release();
    await transaction;
    // Had it run inside the transaction it would have seen the row (c: 1), then been rolled back with it.
    expect((await read).rows).toEqual([{ c: 0 }]);
  });

  it('runs a transaction’s statements prepared: committed together, rolled back together, the prepared statements kept', async () => {
    const prepared = preparedQueries(client, ignore);
    const insert = 'INSERT INTO t (id, note) VALUES ($1, $2)';
    const count = "SELECT count(*)::int AS c FROM t WHERE note LIKE 'tx-%'";
    await prepared.transaction(async (tx) => {
      await tx.query(insert, ['00000000-0000-4000-8000-000000000010', 'tx-a']);
      await tx.query(insert, ['00000000-0000-4000-8000-000000000011', 'tx-b']);
      // Its own writes are visible inside it.
      expect((await tx.query(count)).rows).toEqual([{ c: 2 }]);
    });
    expect((await prepared.query(count)).rows).toEqual([{ c: 2 }]);
    const size = prepared.size;
    // A failing statement aborts the whole transaction: nothing of it is kept.
    await expect(
      prepared.transaction(async (tx) => {
        await tx.query(insert, ['00000000-0000-4000-8000-000000000012', 'tx-c']);
        await tx.query(insert, ['00000000-0000-4000-8000-000000000012', 'tx-d']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await prepared.query(count)).rows).toEqual([{ c: 2 }]);
    // An explicit rollback too; and a statement prepared inside a rolled-back transaction stays prepared.
    await prepared.transaction(async (tx) => {
      await tx.query("SELECT 'inside' AS w WHERE $1::int > 0", [1]);
      await tx.query(insert, ['00000000-0000-4000-8000-000000000013', 'tx-e']);
      await tx.rollback();
    });
    expect((await prepared.query(count)).rows).toEqual([{ c: 2 }]);
    expect(prepared.size).toBe(size + 1);
    expect((await prepared.query("SELECT 'inside' AS w WHERE $1::int > 0", [2])).rows).toEqual([{ w: 'inside' }]);
    // A transaction's statement used after it ended is refused, as PGlite refuses it.
    let leaked: { query: (text: string) => Promise<unknown> } | undefined;
    await prepared.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked?.query('SELECT 1')).rejects.toThrow('Transaction is closed');
  });

  it('for any parameters, answers exactly as PGlite’s query does, however many statements it has had to close', async () => {
    const prepared = preparedQueries(client, ignore, 4);
    // Text without NUL (PostgreSQL's text cannot hold it); JSON without it either.
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((t) => !t.includes('\0'));
    const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('\\u0000'));
    const statements = [
      'SELECT $1::text AS t, $2::int8 AS n, $3::boolean AS b',
      'SELECT $1::jsonb AS j, $2::text[] AS a',
      'SELECT $1::numeric(14,2) AS m, $2::timestamptz AS at, $3::date AS d',
      'SELECT length($1::text) AS len, $2::int8 + 1 AS next',
      'SELECT $1::text IS NULL AS missing, $2::jsonb -> 0 AS first',
      'SELECT count(*)::int AS c FROM t WHERE note = $1',
    ];
    const params = fc.oneof(
      fc.tuple(
        fc.constant(0),
        fc.option(text),
        fc.option(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }).map(String)),
        fc.option(fc.boolean()),
      ),
      fc.tuple(fc.constant(1), fc.option(json), fc.option(fc.array(text, { maxLength: 4 }))),
      fc.tuple(
        fc.constant(2),
        fc.integer({ min: -1e9, max: 1e9 }).map((c) => (c / 100).toFixed(2)),
        fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc
          .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
      ),
      fc.tuple(fc.constant(3), text, fc.integer()),
      fc.tuple(fc.constant(4), fc.option(text), fc.array(json, { maxLength: 3 })),
      fc.tuple(fc.constant(5), fc.option(text)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(params, { minLength: 1, maxLength: 8 }), async (calls) => {
        for (const [which, ...values] of calls) {
          const statement = statements[which] ?? '';
          // The same answer, or the same refusal (PGlite sends a JS string as JSON text as it is).
          const outcome = (run: Promise<{ rows: unknown[]; fields: unknown[]; affectedRows?: number }>) =>
            run.then(
              ({ rows, fields, affectedRows }) => ({ rows, fields, affectedRows }),
              (error: { code?: string }) => ({ code: error.code }),
            );
          const theirs = await outcome(client.query(statement, values));
          expect(await outcome(prepared.query(statement, values))).toEqual(theirs);
        }
        expect(prepared.size).toBeLessThanOrEqual(4);
      }),
      { numRuns: 100 },
    );
  });

  it('hands the notifications of its statements, and of PGlite’s transactions, to the handle’s listeners', async () => {
    const other = await PGlite.create({ parsers: pgliteParsers });
    const database = wrapPglite(other);
    try {
      const heard: string[] = [];
      const states: boolean[] = [];
      const stop = await database.listen(
        'stackaudit_test',
        (payload) => heard.push(payload),
        (listening) => states.push(listening),
      );
      const notify = "SELECT pg_notify($1, $2) AS sent, 'answered' AS answer";
      // Its answer is still the statement's, with the notification taken out of it.
      expect(await database.query(notify, ['stackaudit_test', 'from a statement'])).toEqual([
        { sent: '', answer: 'answered' },
      ]);
      await database.rawTransaction(async (query) => query(notify, ['stackaudit_test', 'from a transaction']));
      await database.query(notify, ['elsewhere', 'not listened to']);
      await vi.waitFor(() => expect(heard).toEqual(['from a statement', 'from a transaction']));
      await stop();
      await database.query(notify, ['stackaudit_test', 'after the stop']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toEqual(['from a statement', 'from a transaction']);
      expect(states).toEqual([true, false]);
    } finally {
      await database.close();
    }
  });

  it('is what the embedded database handle runs: drizzle’s statements and raw ones are prepared', async () => {
    const other = await PGlite.create({ parsers: pgliteParsers });
    const database = wrapPglite(other);
    try {
      const named = async () =>
        (await other.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows[0]?.n;
      expect(await named()).toBe(0);
      await database.query('SELECT $1::int AS one', [1]);
      await database.db.execute(sql`SELECT ${2}::int AS two`);
      await database.rawTransaction(async (query) => query('SELECT $1::int AS three', [3]));
      expect(await named()).toBe(3);
    } finally {
      await database.close();
    }
  });
});
