/**
 * The PostgreSQL server's connections run statements with parameters as named prepared
 * statements from their second run (src/db/postgres-statements.ts): they answer as
 * node-postgres' unnamed statements do — values, types, errors — keep a bounded number per
 * connection, never close one inside a caller's transaction, forget one the server no longer
 * has, and leave scripts, bulk statements and parameter LIMITs as they were. The embedded database's counterpart: pglite-statements.test.ts.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rowsOf } from '../../src/db/handle.js';
import { openPostgres } from '../../src/db/postgres.js';
import { MAX_PARAMETERS, preparingClient } from '../../src/db/postgres-statements.js';
import { silentLogger, testPostgresConfig } from '../harness/config.js';
import { createPostgresDatabase } from '../harness/databases.js';
import { STATEMENTS, TABLE } from './statement-cases.js';

describe('named prepared statements on a PostgreSQL server', () => {
  let server: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const clients: pg.Client[] = [];
  const connect = async (client: pg.Client) => {
    await client.connect();
    clients.push(client);
    return client;
  };
  const plain = () => connect(new pg.Client({ connectionString: server.url }));
  const preparing = (max?: number) => {
    const Client = preparingClient(max);
    return connect(new Client({ connectionString: server.url }));
  };
  /** The statements this session has prepared, by text. */
  const preparedOn = async (client: pg.Client) =>
    (await client.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).rows.map(
      (r) => r.statement,
    );

  beforeAll(async () => {
    server = await createPostgresDatabase({ migrated: false });
    const setup = await plain();
    await setup.query(TABLE);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await server.drop();
  });

  const statements = STATEMENTS;

  it('answers exactly as an unnamed statement does, objects and arrays alike, parsed once per connection', async () => {
    const theirs = await plain();
    const ours = await preparing();
    for (const round of [1, 2]) {
      for (const [text, params] of statements) {
        const expected = await theirs.query(text, params);
        const actual = await ours.query(text, params);
        expect(actual.rows, `${text} (round ${round})`).toEqual(expected.rows);
        expect(actual.fields.map((f) => [f.name, f.dataTypeID])).toEqual(
          expected.fields.map((f) => [f.name, f.dataTypeID]),
        );
        const arrays = await ours.query({ text, values: params, rowMode: 'array' });
        expect(arrays.rows).toEqual((await theirs.query({ text, values: params, rowMode: 'array' })).rows);
      }
    }
    // Each text prepared once on this connection (the query reading the view is not one: no parameters).
    expect((await preparedOn(ours)).sort()).toEqual(statements.map(([text]) => text).sort());
    expect(await preparedOn(theirs)).toEqual([]);
  });

  it('leaves statements without parameters, scripts, bulk statements, parameter LIMITs and one-offs unnamed, and a caller’s name alone', async () => {
    const ours = await preparing();
    const twice = async (text: string, params?: unknown[]) => {
      await ours.query(text, params);
      return ours.query(text, params);
    };
    await twice('SELECT 1; SELECT 2'); // a script: the simple protocol, as before
    expect((await twice('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
    const many = Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => i);
    const bulk = `SELECT ${many.map((i) => `$${i + 1}::int`).join(' + ')} AS total`;
    expect((await twice(bulk, many)).rows).toEqual([{ total: (MAX_PARAMETERS * (MAX_PARAMETERS + 1)) / 2 }]);
    expect((await twice('SELECT n FROM t WHERE n > $1 LIMIT $2', ['0', 5])).rows).toEqual([{ n: '9007199254740993' }]);
    await ours.query('SELECT $1::int + 1 AS once', [1]); // run once: not worth a name yet
    await ours.query({ name: 'callers_own', text: 'SELECT $1::int AS v', values: [7] });
    expect(await preparedOn(ours)).toEqual(['SELECT $1::int AS v']);
    expect(
      (await ours.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).rows.map((r) => r.name),
    ).toEqual(['callers_own']);
  });

  it('throws PostgreSQL’s errors with their codes, keeps nothing broken, and stays usable', async () => {
    const ours = await preparing();
    const insert = "INSERT INTO t (id, note) VALUES ($1, 'first')";
    for (const round of [1, 2]) {
      await expect(
        ours.query(insert, ['00000000-0000-4000-8000-000000000002']),
        `round ${round}`,
      ).rejects.toMatchObject({ code: '23505' });
      await expect(ours.query('SELECT * FROM t WHERE id = $1', ['not-a-uuid'])).rejects.toMatchObject({
        code: '22P02',
      });
      await expect(ours.query('SELEC nothing WHERE $1', [1])).rejects.toMatchObject({ code: '42601' });
    }
    // The insert and the select were prepared; the syntax error was not.
    expect((await preparedOn(ours)).sort()).toEqual([insert, 'SELECT * FROM t WHERE id = $1'].sort());
    expect(
      (await ours.query('SELECT note FROM t WHERE id = $1', ['7f1c7d3e-4d8a-4a57-9a43-0f2b1c3d4e5f'])).rows,
    ).toEqual([{ note: 'first' }]);
    expect((await ours.query('SELECT count(*)::int AS c FROM t WHERE note = $1', ['first'])).rows).toEqual([{ c: 1 }]);
  });

  it('keeps at most its bound; past it, new statements run unnamed and still answer', async () => {
    const ours = await preparing(3);
    const texts = [1, 2, 3, 4, 5].map((k) => `SELECT ${k} + $1::int AS v`);
    for (const round of [1, 2, 3]) {
      for (const [k, text] of texts.entries()) {
        expect((await ours.query(text, [10])).rows, `${text} (round ${round})`).toEqual([{ v: k + 11 }]);
      }
    }
    expect((await preparedOn(ours)).sort()).toEqual(texts.slice(0, 3));
  });

  it('never closes a statement, so a transaction fails only for its own reasons', async () => {
    const ours = await preparing(1);
    const insert = 'INSERT INTO t (id, note) VALUES ($1, $2)';
    const count = "SELECT count(*)::int AS c FROM t WHERE note LIKE 'tx-%' AND $1::int > 0";
    await ours.query('BEGIN');
    await ours.query(insert, ['00000000-0000-4000-8000-000000000010', 'tx-a']);
    await ours.query(insert, ['00000000-0000-4000-8000-000000000011', 'tx-b']);
    await ours.query('ROLLBACK');
    // Prepared inside a rolled-back transaction, still prepared, and it wrote nothing.
    expect(await preparedOn(ours)).toEqual([insert]);
    for (let i = 0; i < 2; i++) expect((await ours.query(count, [1])).rows).toEqual([{ c: 0 }]);
    // The bound is reached: statements new to the connection run unnamed, inside a
    // transaction too, which commits whole.
    await ours.query('BEGIN');
    for (let i = 0; i < 2; i++) expect((await ours.query('SELECT $1::int AS v', [i])).rows).toEqual([{ v: i }]);
    await ours.query(insert, ['00000000-0000-4000-8000-000000000012', 'tx-c']);
    await ours.query('COMMIT');
    expect((await ours.query(count, [1])).rows).toEqual([{ c: 1 }]);
    expect(await preparedOn(ours)).toEqual([insert]);
  });

  it('forgets a statement node-postgres closed after a value it could not send, and prepares it again', async () => {
    const ours = await preparing();
    const text = 'SELECT $1::text AS v';
    for (const v of ['a', 'b']) expect((await ours.query(text, [v])).rows).toEqual([{ v }]);
    const unsendable = {
      toPostgres() {
        throw new Error('cannot be sent');
      },
    };
    await expect(ours.query(text, [unsendable])).rejects.toThrow('cannot be sent');
    // node-postgres closed the statement on the server; run unforgotten it would fail with 26000.
    for (const v of ['c', 'd']) expect((await ours.query(text, [v])).rows).toEqual([{ v }]);
  });

  it('is what the server driver’s pool runs: drizzle’s statements prepared on the connection', async () => {
    const database = openPostgres(testPostgresConfig(server.url, { poolMax: 1 }), silentLogger);
    try {
      for (let i = 0; i < 3; i++) {
        const result = await database.db.execute(
          sql`SELECT note FROM t WHERE id = ${'7f1c7d3e-4d8a-4a57-9a43-0f2b1c3d4e5f'}`,
        );
        expect(rowsOf(result)).toEqual([{ note: 'first' }]);
      }
      const prepared = await database.query<{ statement: string }>(
        'SELECT statement FROM pg_prepared_statements WHERE $1::int > 0',
        [1],
      );
      // The drizzle statement, named on its second run; the view's query has run once.
      expect(prepared.map((r) => r.statement)).toEqual(['SELECT note FROM t WHERE id = $1']);
    } finally {
      await database.close();
    }
  });
});
