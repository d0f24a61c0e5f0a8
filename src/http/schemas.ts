/** TypeBox schemas shared by routes: validation, types and the OpenAPI document from one source. */
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox';

import { ID_PATTERN } from '../domain/ids.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../services/passwords.js';

/**
 * A value or null, written as JSON Schema 2020-12's (OpenAPI 3.1's) `type: [X, 'null']` rather
 * than anyOf [value, null]: fast-json-stringify serialises a type list with a `typeof` test per
 * value, where for anyOf it runs a compiled validator on every value to pick the branch (4× the
 * time of a list page; docs/ARCHITECTURE.md). Unlike `nullable`, a type list does not coerce:
 * a value of another type (a string where the schema says integer) fails the answer. A schema
 * without a single `type` (or with a `const`/`enum`, which null would not pass) uses anyOf.
 */
export function Nullable<T extends TSchema>(
  schema: T,
  options: Record<string, unknown> = {},
): TUnsafe<Static<T> | null> {
  const { type } = schema as { type?: unknown };
  if (typeof type === 'string' && !('const' in schema) && !('enum' in schema)) {
    return Type.Unsafe<Static<T> | null>({ ...schema, ...options, type: [type, 'null'] });
  }
  return Type.Unsafe<Static<T> | null>({ ...options, anyOf: [schema, { type: 'null' }] });
}

export const Id = Type.String({ pattern: ID_PATTERN, description: '1–50 characters [A-Za-z0-9_-]' });

export const Timestamp = Type.String({ format: 'date-time' });

export const NullableTimestamp = Nullable(Timestamp);

export const Email = Type.String({ format: 'email', maxLength: 255 });

export const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH });

export const Name = Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' });

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('member'), Type.Literal('viewer')]);

/** One problem of a refused request: the field (`body.name`, `query.limit`, a CSV column) and what is wrong. */
export const FieldErrorSchema = Type.Object({
  field: Type.String({
    description: 'A dotted path into the request part: body.name, query.limit, stackData.tools.0.seats',
  }),
  message: Type.String(),
  row: Type.Optional(Type.Integer({ description: 'The CSV row of an import (1: the header)' })),
});

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable: validation_failed, unauthenticated, forbidden, not_found, …' }),
      message: Type.String({ description: 'For a person: what happened and what to do' }),
      details: Type.Optional(Type.Array(FieldErrorSchema, { description: 'validation_failed: one entry per problem' })),
    }),
  },
  {
    $id: 'Error',
    description:
      'Every error: a stable code, a message for a person, and details where useful. A 403 on an organization ' +
      'route may also mean the account belongs to no organization (its email is not verified yet, or it was removed).',
  },
);
/** The body of every error answer. */
export type ErrorJson = Static<typeof ErrorResponse>;
export type FieldErrorJson = Static<typeof FieldErrorSchema>;

/** What each error status means in this API (the OpenAPI document's response descriptions). */
export const ERROR_STATUSES = {
  400: 'The request is not valid (validation_failed: details name each field)',
  401: 'Not logged in, or the session has ended (unauthenticated)',
  402: "The organization's plan does not allow it (plan_limit_reached)",
  403: 'Not allowed: the role, an account without organization, or a cookie request from another origin',
  404: 'No such resource here, or a path parameter outside its pattern (not_found)',
  409: 'Conflicts with the current state (conflict or a more specific code)',
  410: 'The link or invite has expired or was used',
  413: 'The request body is larger than the server accepts (payload_too_large)',
  415: 'The body is not of a type this operation reads (unsupported_media_type)',
  422: 'Well-formed, but the current state forbids it',
  429: 'Too many attempts: try again after Retry-After seconds (rate_limited)',
  500: 'An unexpected error (internal): the message names the request id to quote',
  502: 'A provider (Stripe, QuickBooks, Xero) did not answer as expected',
  503: 'The database is not reachable, the server is shutting down, or the feature is not configured: try again after Retry-After seconds',
} as const;
export type ErrorStatus = keyof typeof ERROR_STATUSES;

/**
 * An error answer: a reference to the shared Error schema (registered by app.ts with
 * addSchema), described for its status. fast-json-stringify resolves the reference, and the
 * OpenAPI document shows it as `#/components/schemas/Error`.
 */
export function errorAnswer(status: ErrorStatus): TUnsafe<ErrorJson> {
  return Type.Unsafe<ErrorJson>({ $ref: 'Error#', description: ERROR_STATUSES[status] });
}

/** The error answers a route may give, for its OpenAPI document (http/openapi.ts adds those any route can give). */
export function errors(...statuses: ErrorStatus[]): Record<number, TUnsafe<ErrorJson>> {
  return Object.fromEntries(statuses.map((s) => [s, errorAnswer(s)]));
}

const pageFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

export const PageQuery = Type.Object(pageFields, { additionalProperties: false });

/** A list's query string: limit and cursor, plus the list's own filters. */
export function pageQueryWith<T extends Record<string, TSchema>>(filters: T) {
  return Type.Object({ ...pageFields, ...filters }, { additionalProperties: false });
}
