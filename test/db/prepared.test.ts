/**
 * preparedSql (db/prepared.ts): a raw statement rendered once per handle answers as
 * `db.execute` does, placeholders filled per call, inside a transaction as part of it.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';

import { rowsOf, transaction, type Executor } from '../../src/db/database.js';
import { preparedSql } from '../../src/db/prepared.js';
import { makeTenant } from '../harness/factories.js';
import { describeEachDatabase } from '../harness/databases.js';

describeEachDatabase('preparedSql', (get) => {
  it('renders once per handle and answers as db.execute does, for any values (null too)', async () => {
    const db = get().database.db;
    const { organization } = await makeTenant(db);
    let built = 0;
    const template = (id: unknown, note: unknown) => sql`
      WITH picked AS (SELECT id, name FROM organizations WHERE id = ${id})
      SELECT p.name, ${note}::text AS note, (SELECT count(*)::int FROM picked) AS found
        FROM (SELECT 1) one LEFT JOIN picked p ON true`;
    const statement = () =>
      preparedSql(db, 'prepared_test_lookup', () => {
        built += 1;
        return template(sql.placeholder('id'), sql.placeholder('note'));
      });
    for (const [id, note] of [
      [organization.id, 'first'],
      ['org_missing', null],
      [organization.id, "it's"],
    ] as const) {
      const prepared = rowsOf(await statement().execute({ id, note }));
      expect(prepared).toEqual(rowsOf(await db.execute(template(id, note))));
      expect(prepared).toEqual([
        id === organization.id ? { name: organization.name, note, found: 1 } : { name: null, note, found: 0 },
      ]);
    }
    expect(built).toBe(1);
  });

  it('inside a transaction, runs in it: a rollback takes its write back', async () => {
    const db = get().database.db;
    const { organization } = await makeTenant(db);
    const rename = (handle: Executor) =>
      preparedSql(
        handle,
        'prepared_test_rename',
        () => sql`UPDATE organizations SET name = ${sql.placeholder('name')} WHERE id = ${sql.placeholder('id')}`,
      );
    await expect(
      transaction(db, async (tx) => {
        await rename(tx).execute({ id: organization.id, name: 'Renamed' });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const name = async () =>
      rowsOf<{ name: string }>(await db.execute(sql`SELECT name FROM organizations WHERE id = ${organization.id}`))[0]!
        .name;
    expect(await name()).toBe(organization.name);
    await rename(db).execute({ id: organization.id, name: 'Renamed' });
    expect(await name()).toBe('Renamed');
  });
});
