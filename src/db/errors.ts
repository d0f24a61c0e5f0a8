/** Recognising database errors the same way on both drivers. */

// SQLSTATE classes and codes that mean "the database is not there right now", as opposed
// to "this query is wrong": connection exceptions (08), operator intervention such as an
// admin shutdown (57P01–57P03), insufficient resources (53), and too many connections.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53...)$/;
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|did not answer within|Query read timeout|Cannot use a pool after calling end/i;

function* causes(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/** True when error (or what it wraps) says the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causes(error)) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}

/** The SQLSTATE of a database error, looking through drizzle's wrapper. */
export function sqlState(error: unknown): string | undefined {
  for (const e of causes(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === '23505';
export const isForeignKeyViolation = (error: unknown): boolean => sqlState(error) === '23503';

// Data exceptions (SQLSTATE class 22) for values the database cannot store or read, and a
// nesting too deep for it: what a client sent, not what the server did wrong. Listed one by
// one rather than the whole class, so that a data exception of our own making (22012
// division by zero, 22023 a bad parameter to a function) stays a 500 that gets noticed.
const CLIENT_DATA_SQLSTATES = new Set([
  '22001', // string_data_right_truncation: longer than its varchar
  '22003', // numeric_value_out_of_range: beyond numeric(12,2) or an integer column
  '22007', // invalid_datetime_format
  '22008', // datetime_field_overflow: 0000-01-01, 99999-01-01
  '22021', // character_not_in_repertoire: bytes that are not UTF-8
  '22P02', // invalid_text_representation: text that is not a number, a date, JSON…
  '22P05', // untranslatable_character: \u0000 in jsonb
  '54001', // statement_too_complex: nesting past the server's stack depth
]);

/** True when the database refused a value a client sent (see CLIENT_DATA_SQLSTATES). */
export function isClientDataException(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && CLIENT_DATA_SQLSTATES.has(state);
}
