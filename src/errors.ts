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
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
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
