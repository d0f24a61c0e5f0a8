/**
 * JSON as text, read from PostgreSQL: stored documents as stored, and answers that
 * PostgreSQL writes itself.
 *
 * The hottest answers (the audit page, the audit list) are written whole by PostgreSQL
 * (`jsonObject`, repositories/audit-json.ts): the server reads one text column instead of a
 * row of typed columns, parses, maps and serialises nothing, and sends the text as it is
 * (http/json-text.ts). Measured 16 at a time from one process on the benchmark's database:
 * the audit page's statement cost the server 171–207 µs of CPU instead of 273–366,
 * PostgreSQL's cost unchanged; the list page 66–115 instead of 233–306, PostgreSQL's up by
 * 150–200 µs (its other core). Each value is written as JSON.stringify writes the value
 * drizzle reads (timestamps as `iso` in http/present.ts, a DECIMAL's text as a number), and
 * test/repositories/audit-json.test.ts compares the two on generated rows. jsonb's text form
 * is valid JSON on both drivers.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

import type { JsonText } from '../domain/json-text.js';

export type { JsonText };

/** A json/jsonb column's value as JSON text (SQL NULL stays null). */
export const jsonText = (column: PgColumn): SQL<JsonText | null> => sql<JsonText | null>`${column}::text`;

/** A json/jsonb value as JSON text for `jsonObject`: SQL NULL as `null`. */
export const storedJson = (value: SQLWrapper): SQL<JsonText> => sql<JsonText>`coalesce(${value}::text, 'null')`;

/** A string (or any value to_json writes as JSON) for `jsonObject`: SQL NULL as `null`. */
export const stringJson = (value: SQLWrapper): SQL<JsonText> =>
  sql<JsonText>`coalesce(to_json(${value})::text, 'null')`;

/**
 * A number for `jsonObject`, as PostgreSQL writes it (a DECIMAL keeps its scale: `12.50`,
 * the same number as JavaScript's `12.5`): SQL NULL as `null`.
 */
export const numberJson = (value: SQLWrapper): SQL<JsonText> => sql<JsonText>`coalesce(${value}::text, 'null')`;

/**
 * A DECIMAL for `jsonObject`, as `numberJson` writes it, but NaN (which a DECIMAL may hold
 * and JSON may not) as `null`, as JSON.stringify writes a JavaScript NaN.
 */
export const decimalJson = (value: SQLWrapper): SQL<JsonText> =>
  sql<JsonText>`CASE WHEN ${value} = 'NaN' THEN 'null' ELSE coalesce(${value}::text, 'null') END`;

/**
 * A timestamp as the text a JS Date's `toISOString` writes (`2026-12-01T10:00:00.123Z`: UTC,
 * milliseconds, the microseconds PostgreSQL may hold truncated as a Date holds them), or
 * SQL NULL. Years 1000–9999, as `iso` in http/present.ts.
 */
export const isoText = (value: SQLWrapper): SQL<string | null> =>
  sql<string | null>`to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A timestamp for `jsonObject`, as `isoText` writes it: SQL NULL as `null`. */
export const timestampJson = (value: SQLWrapper): SQL<JsonText> =>
  sql<JsonText>`coalesce('"' || ${isoText(value)} || '"', 'null')`;

/**
 * A field of `jsonObject`: its key, its value as JSON text (never SQL NULL: use the helpers
 * above), and optionally a condition without which the field is left out of the object.
 */
export type JsonField = readonly [key: string, value: SQL<JsonText>, when?: SQL];

/**
 * The JSON text of an object, written by PostgreSQL: the fields in their order. Keys are the
 * code's own names, written into the statement as literals.
 */
export function jsonObject(fields: readonly JsonField[]): SQL<JsonText> {
  if (fields.length === 0) return sql<JsonText>`'{}'`;
  const parts = fields.map(([key, value, when], i) => {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) throw new Error(`jsonObject: ${key} is not a plain key`);
    if (when && i === 0) throw new Error('jsonObject: the first field cannot be left out');
    const prefix = sql.raw(`'${i === 0 ? '{' : ','}"${key}":'`);
    return when ? sql`CASE WHEN ${when} THEN ${prefix} || ${value} ELSE '' END` : sql`${prefix} || ${value}`;
  });
  return sql<JsonText>`(${sql.join(parts, sql` || `)} || '}')`;
}
