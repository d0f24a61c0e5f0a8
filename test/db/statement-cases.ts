/**
 * The table and statements both drivers' prepared-statement tests run (pglite-statements.test.ts,
 * postgres-statements.test.ts): every type whose parsing could differ between a named and an
 * unnamed statement — int8, numeric, arrays, jsonb, timestamptz, date, boolean, null.
 */
export const TABLE = `
  CREATE TABLE t (id uuid PRIMARY KEY, n int8, price numeric(12,2), tags text[], doc jsonb,
                  at timestamptz, day date, ok boolean, note text UNIQUE);
  INSERT INTO t VALUES ('7f1c7d3e-4d8a-4a57-9a43-0f2b1c3d4e5f', 9007199254740993, 1234.50,
    ARRAY['a','b'], '{"x": [1, 2.5, null], "ü": "✓"}', '2026-12-01T10:00:00.123Z', '2026-02-28', true, 'first');`;

/** Statements with parameters, and their values. */
export const STATEMENTS: [string, unknown[]][] = [
  ['SELECT * FROM t WHERE id = $1', ['7f1c7d3e-4d8a-4a57-9a43-0f2b1c3d4e5f']],
  ['SELECT n, price, day FROM t WHERE n > $1 AND ok = $2', ['1', true]],
  [
    'SELECT $1::jsonb AS doc, $2::text[] AS tags, $3::timestamptz AS at',
    [{ a: [1, 'b'] }, ['x', 'y'], new Date('2026-01-02T03:04:05.678Z')],
  ],
  ['SELECT count(*) AS c FROM t WHERE note = $1 OR $1 IS NULL', [null]],
];
