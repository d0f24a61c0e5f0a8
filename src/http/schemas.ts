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

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  {
    $id: 'Error',
    description:
      'Every error: a stable code, a message for a person, and details where useful. A 403 on an organization ' +
      'route may also mean the account belongs to no organization (its email is not verified yet, or it was removed).',
  },
);

/** The error answers a route may give, for its OpenAPI document. */
export function errors(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
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
