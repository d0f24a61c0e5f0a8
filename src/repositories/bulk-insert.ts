/**
 * Many rows of one table in one statement whose text does not depend on how many rows:
 * `INSERT INTO t (a, b, …) SELECT * FROM unnest($1::type[], $2::type[], …)`, one array
 * parameter per column.
 *
 * drizzle's multi-row `.values(rows)` builds a parameter object for every value and walks them
 * all to write the SQL (under the comment benchmark ~10 % of the server's CPU went to building
 * the fan-out's notifications and emails that way), its text changes with the row count (so
 * PostgreSQL parses and plans each one anew, and no prepared statement serves the next batch),
 * and it must be cut into chunks under PostgreSQL's 65,535 parameters. This statement is built
 * from the column list alone, prepared once per connection (db/postgres-statements.ts,
 * db/pglite-statements.ts), and takes any number of rows.
 */
import { getTableColumns, Param, sql, type InferSelectModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

import type { Executor } from '../db/database.js';

/** The column types an array parameter carries as they are (no array columns, no char(n)). */
const SCALAR_TYPES =
  /^(varchar|text|integer|bigint|smallint|boolean|numeric|real|double precision|date|jsonb?|uuid|timestamp( with time zone)?)$/;

/**
 * Inserts `rows` into `table`, the columns named by `keys`: each row gives each of them (null
 * where the column takes it; a column left out takes its default). Values go through each column's own mapping to the driver (a Date to
 * its ISO text, …), as drizzle's insert would.
 */
export async function insertRows<T extends PgTable, K extends keyof T['_']['columns'] & string>(
  db: Executor,
  table: T,
  keys: readonly K[],
  // Each column's value as a row read back would hold it (null only where the column takes it).
  rows: readonly NoInfer<{ [P in K]: InferSelectModel<T>[P] }>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table);
  const names = keys.map((key) => sql.identifier(columns[key]!.name));
  const arrays = keys.map((key) => {
    const column = columns[key]!;
    const values = rows.map((row) => {
      const value = row[key];
      return value === null || value === undefined ? null : column.mapToDriverValue(value);
    });
    // One parameter holding the whole array (an array in a template would be a list of them),
    // typed without the column's modifier: an explicit cast to varchar(50) would cut a longer
    // value silently, where the insert's own assignment refuses it (22001) as drizzle's would.
    const type = column.getSQLType().replace(/\s*\([^)]*\)/, '');
    // unnest flattens an array of arrays, and char(n) without its length is char(1): such
    // columns (none so far) need drizzle's own insert.
    if (!SCALAR_TYPES.test(type)) throw new Error(`insertRows: column ${column.name} (${type}) is not supported`);
    return sql`${new Param(values)}::${sql.raw(type)}[]`;
  });
  await db.execute(sql`INSERT INTO ${table} (${sql.join(names, sql`, `)})
    SELECT * FROM unnest(${sql.join(arrays, sql`, `)})`);
}
