/**
 * A PostgreSQL connection lost in the middle of a transaction (between two statements, when
 * pg has no query to hand the error to) fails that transaction and nothing else: no
 * unhandled 'error' event, which would end the server process.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { transaction } from '../../src/db/database.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../harness/databases.js';

describe.skipIf(!postgresAvailable())('a connection lost while in use [postgres]', () => {
  let current: TestDatabase;
  beforeAll(async () => {
    current = await createTestDatabase('postgres');
  }, 60_000);
  afterAll(() => current?.destroy());

  it('fails the transaction it was in; the next one gets a fresh connection', async () => {
    const { database } = current;
    const attempt = transaction(database.db, async (tx) => {
      // Both drivers answer { rows }; the generic Tx type cannot say so.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      const result = (await tx.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as { rows: { pid: number }[] };
      const pid = result.rows[0]!.pid;
      // Another connection ends this one while it sits idle in the transaction.
      await database.query('SELECT pg_terminate_backend($1)', [pid]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.execute(sql`SELECT 1`);
    });
    await expect(attempt).rejects.toThrow();
    const [row] = await database.query<{ ok: number }>('SELECT 1 AS ok');
    expect(row).toEqual({ ok: 1 });
  });
});
