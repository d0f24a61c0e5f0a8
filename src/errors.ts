/**
 * Errors with a stable code. Services and repositories throw these; the one HTTP error
 * handler (http/plugins/errors.ts) turns them into the contract's
 * `{"error": {code, message, details}}` with the matching status.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The contract's Error schema (http/schemas.ts) lists problems of the request, nothing else. */
    readonly details?: readonly (FieldError & { row?: number })[],
    readonly headers: Record<string, string> = {},
  ) {
    // An answer to the client, not a fault: no stack trace is ever shown or logged for one,
    // and capturing it was the largest cost of refusing a request (a 401 before any query).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export class ValidationError extends AppError {
  /** details: one `{field, message}` per problem (CSV rows add `row`). */
  constructor(message: string, details: readonly (FieldError & { row?: number })[] = []) {
    super(400, 'validation_failed', message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Log in to do this.') {
    super(401, 'unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this.') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'resource') {
    super(404, 'not_found', `No such ${what}.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class UnavailableError extends AppError {
  constructor(retryAfterSeconds = 5) {
    super(503, 'unavailable', 'The database is not reachable right now. Try again in a few seconds.', undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}

/** A well-formed request that the current state forbids (the contract's 422). */
export class UnprocessableError extends AppError {
  constructor(code: string, message: string) {
    super(422, code, message);
  }
}

export class PlanLimitError extends AppError {
  constructor(message: string) {
    super(402, 'plan_limit_reached', message);
  }
}

export class GoneError extends AppError {
  constructor(code: string, message: string) {
    super(410, code, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, 'rate_limited', `Too many attempts. Try again in ${seconds} seconds.`, undefined, {
      'retry-after': String(seconds),
    });
  }
}

// --- Recognising database errors (the same way on both drivers) ---------------------------
// Pure inspection of an error's SQLSTATE, errno or message: the HTTP error handler, the
// metrics and the services all ask, and none of them may import the database layer.

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
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|did not answer within|Cannot use a pool after calling end/i;

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

/** The constraint a database error names (PostgreSQL's `constraint` field), looking through drizzle's wrapper. */
export function violatedConstraint(error: unknown): string | undefined {
  for (const e of causes(error)) {
    const name = (e as { constraint?: unknown }).constraint;
    if (typeof name === 'string') return name;
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
