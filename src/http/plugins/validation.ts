/**
 * Two Ajv instances behind one validator compiler: query strings, params and headers are
 * text, so their values are coerced to the schema's types (`?limit=20`); JSON bodies are
 * not, so `"password": 12345678` is the 400 a wrong type should be (Fastify's single
 * default instance coerces bodies too). Neither removes unknown properties: schemas say
 * additionalProperties: false and such input is refused.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

import { CURRENCY_PATTERN, DAY_PATTERN } from '../../domain/analysis/stack.js';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const common: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false };
const bodies = addFormats(new Ajv({ ...common, coerceTypes: false }));
// A body that fails is checked again whole, so that a form with several mistakes hears of
// each at once instead of one per attempt — when it is form-sized (WHOLE_CHECK_MAX_VALUES):
// every error of a megabyte of bad array items would cost far more than the answer is worth.
const wholeBodies = addFormats(new Ajv({ ...common, allErrors: true, coerceTypes: false }));
const texts = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));

/** The most values (objects, arrays and scalars) a failing body may hold to be checked whole. */
export const WHOLE_CHECK_MAX_VALUES = 20_000;

/** Whether a JSON value holds at most `max` values, found by a walk that stops past `max`. */
function atMostValues(value: unknown, max: number): boolean {
  let budget = max;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (--budget < 0) return false;
    if (Array.isArray(next)) {
      if (next.length > budget) return false;
      for (const item of next as unknown[]) pending.push(item);
    } else if (next !== null && typeof next === 'object') {
      for (const key in next) {
        if (pending.length > budget) return false;
        pending.push((next as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart !== 'body') return texts.compile(schema);
  const validate = bodies.compile(schema);
  let whole: ReturnType<typeof wholeBodies.compile> | undefined;
  let errors: typeof validate.errors = null;
  // No body at all is judged as an empty object: routes whose fields are all optional
  // accept it, and the others name each missing field.
  // (Fastify hands an absent body over as null.)
  const judge = (data: unknown) => {
    const value = data === undefined || data === null ? {} : data;
    if (validate(value)) {
      errors = null;
      return true;
    }
    errors = validate.errors;
    if (atMostValues(value, WHOLE_CHECK_MAX_VALUES)) {
      whole ??= wholeBodies.compile(schema);
      if (!whole(value)) errors = whole.errors;
    }
    return false;
  };
  // Fastify reads the errors from the function it was given.
  Object.defineProperty(judge, 'errors', { get: () => errors });
  return judge;
};

/** What the validator reports of one value (Ajv's ErrorObject, the fields read here). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}

const FORMATS: Record<string, string> = {
  email: 'must be an email address',
  date: 'must be a date (YYYY-MM-DD)',
  'date-time': 'must be a date and time (ISO 8601, e.g. 2026-12-01T09:00:00Z)',
  time: 'must be a time (HH:MM:SS)',
  uri: 'must be a URL',
  url: 'must be a URL',
  uuid: 'must be a UUID',
};

const TYPES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

/** What the patterns the schemas use ask for (others: "is not in the expected format"). */
const PATTERNS = new Map<unknown, string>([
  ['\\S', 'cannot be only spaces'],
  [CURRENCY_PATTERN, 'must be a three-letter currency code (ISO 4217, e.g. USD)'],
  [DAY_PATTERN, 'must be a date (YYYY-MM-DD)'],
]);

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const quoted = (value: unknown) => JSON.stringify(value);

/** One check that failed, in words a person filling a form understands (Ajv's say "must NOT have fewer than 1 characters"). */
function sentence(error: SchemaError): string {
  const p = error.params;
  const limit = typeof p.limit === 'number' ? p.limit : Number(p.limit);
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'type': {
      const names: unknown[] = Array.isArray(p.type) ? p.type : String(p.type).split(',');
      const types = names.map((t) => TYPES[String(t)] ?? String(t));
      return `must be ${types.join(' or ')}`;
    }
    case 'minLength':
      return limit <= 1 ? 'cannot be empty' : `must be at least ${plural(limit, 'character')}`;
    case 'maxLength':
      return `must be at most ${plural(limit, 'character')}`;
    case 'minimum':
      // The smallest positive exchange rate (1e-10) stands for "more than 0".
      return limit > 0 && limit < 1e-6 ? 'must be more than 0' : `must be ${limit} or more`;
    case 'exclusiveMinimum':
      return `must be more than ${limit}`;
    case 'maximum':
      return `must be ${limit} or less`;
    case 'exclusiveMaximum':
      return `must be less than ${limit}`;
    case 'multipleOf':
      return p.multipleOf === 1 ? 'must be a whole number' : `must be a multiple of ${String(p.multipleOf)}`;
    case 'minItems':
      return limit === 1 ? 'needs at least one item' : `needs at least ${plural(limit, 'item')}`;
    case 'maxItems':
      return `can hold at most ${plural(limit, 'item')}`;
    case 'uniqueItems':
      return 'lists the same item twice';
    case 'minProperties':
      return limit === 1 ? 'needs at least one field' : `needs at least ${plural(limit, 'field')}`;
    case 'maxProperties':
      return `can hold at most ${plural(limit, 'field')}`;
    case 'format':
      return FORMATS[String(p.format)] ?? `must be in the ${String(p.format)} format`;
    case 'pattern':
      return PATTERNS.get(p.pattern) ?? 'is not in the expected format';
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(quoted).join(', ')}`;
    case 'const':
      return `must be ${quoted(p.allowedValue)}`;
    case 'anyOf':
    case 'oneOf':
      return 'is not one of the accepted forms';
    default:
      return error.message ?? 'is invalid';
  }
}

/** The field an error concerns, as a dotted path into the request part (`body.tools.0.name`). */
function fieldOf(part: string, error: SchemaError): string {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const named = error.params.missingProperty ?? error.params.additionalProperty;
  if ((error.keyword === 'required' || error.keyword === 'additionalProperties') && typeof named === 'string') {
    path.push(named);
  }
  return [part, ...path].join('.');
}

/** How many fields a 400 names at most (a body of a thousand bad rows is not a thousand details). */
export const MAX_FIELD_ERRORS = 50;

/**
 * The validator's errors as `{field, message}`, one per field (the first MAX_FIELD_ERRORS
 * fields), in plain words. A value that
 * matches none of a union's forms (`anyOf`) is reported once: a choice of constants as "must
 * be one of …"; a value that may also be null (Nullable) as what its non-null form needs.
 */
export function fieldErrors(part: string, errors: readonly SchemaError[]): { field: string; message: string }[] {
  const isUnion = (e: SchemaError) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  // The unions that failed, by the value they judged; each error's union is the innermost
  // one judging its value or a value above it whose schema holds the failed check.
  const unionsAt = new Map<string, SchemaError[]>();
  for (const e of errors) if (isUnion(e)) unionsAt.set(e.instancePath, [...(unionsAt.get(e.instancePath) ?? []), e]);
  const branches = new Map<SchemaError, SchemaError[]>();
  const inUnion = new Set<SchemaError>();
  if (unionsAt.size > 0) {
    for (const e of errors) {
      for (let path = e.instancePath; ; path = path.slice(0, path.lastIndexOf('/'))) {
        const union = unionsAt.get(path)?.find((u) => u !== e && e.schemaPath.startsWith(`${u.schemaPath}/`));
        if (union) {
          branches.set(union, [...(branches.get(union) ?? []), e]);
          inUnion.add(e);
          break;
        }
        if (path === '') break;
      }
    }
  }
  const out: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  const add = (field: string, message: string) => {
    if (seen.has(field)) return;
    seen.add(field);
    out.push({ field, message });
  };
  for (const error of errors) {
    if (out.length >= MAX_FIELD_ERRORS) break;
    if (inUnion.has(error)) continue; // said by its union
    if (!isUnion(error)) {
      add(fieldOf(part, error), sentence(error));
      continue;
    }
    const own = branches.get(error) ?? [];
    const constants = own.filter((e) => e.keyword === 'const' || e.keyword === 'enum');
    const allowed = constants.flatMap((e) =>
      e.keyword === 'const' ? [e.params.allowedValue] : (e.params.allowedValues as unknown[]),
    );
    const notNull = own.filter((e) => !(e.keyword === 'type' && e.params.type === 'null'));
    if (constants.length > 0 && constants.length === notNull.length) {
      add(fieldOf(part, error), `must be one of ${allowed.map(quoted).join(', ')}`);
    } else if (notNull.length > 0) {
      // The first thing the value's likeliest form needs (a Nullable's only other form).
      add(fieldOf(part, notNull[0]!), sentence(notNull[0]!));
    } else {
      add(fieldOf(part, error), sentence(error));
    }
  }
  return out;
}
