/**
 * Rows inserted as one array per column (src/repositories/bulk-insert.ts) read back exactly as
 * written, on both databases: any text (quotes, braces, commas, backslashes, the word NULL,
 * the empty string, any script), nulls where given, timestamps to the millisecond, and a
 * column left out takes its default. The statement is the same for any number of rows.
 */
import { asc, sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';

import { insertRows } from '../../src/repositories/bulk-insert.js';
import { describeEachDatabase } from '../harness/databases.js';

const scratch = pgTable('bulk_insert_scratch', {
  id: varchar('id', { length: 50 }).primaryKey(),
  name: varchar('name', { length: 200 }).notNull(),
  note: text('note'),
  count: integer('count'),
  flag: boolean('flag').notNull().default(true),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Texts an array literal could get wrong, then anything fast-check makes of full Unicode. */
const awkward = fc.oneof(
  fc.constantFrom('NULL', 'null', '', ' ', '"', '\\', '{}', '{"a",b}', 'a,b', "it's", '\t\n', 'ü ✓ 日本 🎉'),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
// PostgreSQL text cannot hold U+0000: no insert can, bulk or not.
const storable = awkward.map((s) => s.replaceAll('\u0000', ''));

describeEachDatabase('bulk insert', (current) => {
  beforeAll(async () => {
    await current().database.execScript(`
      CREATE TABLE bulk_insert_scratch (id varchar(50) PRIMARY KEY, name varchar(200) NOT NULL, note text,
        count integer, flag boolean NOT NULL DEFAULT true, at timestamptz NOT NULL)`);
  });

  it('reads back exactly what it wrote, any text, nulls and instants, a default where left out', async () => {
    const db = current().database.db;
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: storable.map((s) => s.slice(0, 200)),
            note: fc.option(storable, { nil: null }),
            count: fc.option(fc.integer(), { nil: null }),
            at: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
          }),
          { maxLength: 30 },
        ),
        async (rows) => {
          batch += 1;
          const written = rows.map((row, i) => ({ id: `b${batch}_${i}`, ...row }));
          await insertRows(db, scratch, ['id', 'name', 'note', 'count', 'at'], written);
          const read = await db
            .select()
            .from(scratch)
            .where(sql`${scratch.id} LIKE ${`b${batch}\\_%`}`)
            .orderBy(asc(sql`length(${scratch.id})`), asc(scratch.id));
          expect(read).toEqual(written.map((row) => ({ ...row, flag: true })));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fails as a whole on a value its column refuses: no row of the batch is written', async () => {
    const db = current().database.db;
    const at = new Date('2026-12-01T00:00:00Z');
    await expect(
      insertRows(
        db,
        scratch,
        ['id', 'name', 'at'],
        [
          { id: 'whole_1', name: 'fits', at },
          { id: 'whole_2', name: 'x'.repeat(201), at },
        ],
      ),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '22001' }) as unknown });
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(scratch)
      .where(sql`${scratch.id} LIKE 'whole%'`);
    expect(row?.n).toBe(0);
  });
});
