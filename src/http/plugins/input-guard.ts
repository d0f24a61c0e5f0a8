/**
 * Input that PostgreSQL cannot store, or that no route of the contract can mean, refused as
 * a 400 `validation_failed` naming the field before any handler runs (the contract: such
 * input is a 400, never a 500, and nothing is written):
 *
 * - a NUL character (`\u0000`): PostgreSQL refuses it in text and in jsonb;
 * - a lone surrogate (`"\ud800"` in JSON): not Unicode text; jsonb refuses it, and text
 *   columns would silently store U+FFFD instead;
 * - JSON nested deeper than MAX_JSON_DEPTH;
 * - a number JSON cannot round-trip (`1e400` parses as Infinity).
 *
 * Strings and object keys alike. The scan is iterative: a body nested thousands deep (which
 * V8's JSON.parse and secure-json-parse both take without recursion) cannot overflow the
 * stack here, as the recursive scan this replaces did (a 500 on every route).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { ValidationError, type FieldError } from '../../errors.js';

/**
 * How deeply a request's JSON may nest (objects and arrays; the body itself is level 1).
 * The deepest shape of the contract, an audit's `stackData.tools[i].tags[j]`, is 4 levels:
 * 64 leaves every legitimate body far inside, and a scan of 64 levels costs nothing.
 */
export const MAX_JSON_DEPTH = 64;

// String.prototype.isWellFormed is ES2024 (Node 20 has it); the project's lib is ES2023.
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (!isWellFormed(text)) return 'contains a lone surrogate (\\ud800–\\udfff without its pair), which is not text';
  return null;
}

/** A key as it can be shown in a field name: NUL and lone surrogates escaped, long ones cut. */
function printable(key: string): string {
  const escaped = key.replace(
    // eslint-disable-next-line no-control-regex -- the NUL character is what is escaped here
    /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > 100 ? `${escaped.slice(0, 100)}…` : escaped;
}

interface Frame {
  container: Record<string, unknown> | unknown[];
  /** An object's keys; null for an array. */
  keys: string[] | null;
  /** The index of the key or item being looked at. */
  at: number;
}

/** The first thing in `value` that cannot be stored, as the contract's `{field, message}`; null if none. */
export function findUnstorable(value: unknown, root: string): FieldError | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: root, message: problem } : null;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? null : { field: root, message: NOT_FINITE };
  // A raw body (the Stripe webhook's Buffer) is bytes, checked by whoever reads it.
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;

  const stack: Frame[] = [frame(value)];
  const fieldOf = (last: string) =>
    [root, ...stack.slice(0, -1).map((f) => (f.keys ? printable(f.keys[f.at]!) : String(f.at))), last].join('.');
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const index = ++top.at;
    const length = top.keys ? top.keys.length : (top.container as unknown[]).length;
    if (index >= length) {
      stack.pop();
      continue;
    }
    let item: unknown;
    let name: string;
    if (top.keys) {
      const key = top.keys[index]!;
      const problem = textProblem(key);
      if (problem) return { field: fieldOf(printable(key)), message: `is a field name that ${problem}` };
      item = (top.container as Record<string, unknown>)[key];
      name = key;
    } else {
      item = (top.container as unknown[])[index];
      name = String(index);
    }
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem) return { field: fieldOf(printable(name)), message: problem };
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return { field: fieldOf(printable(name)), message: NOT_FINITE };
    } else if (item !== null && typeof item === 'object') {
      if (stack.length >= MAX_JSON_DEPTH) {
        return { field: fieldOf(printable(name)), message: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
      }
      stack.push(frame(item));
    }
  }
  return null;
}

const NOT_FINITE = 'is a number too large to represent';

function frame(container: object): Frame {
  return Array.isArray(container)
    ? { container, keys: null, at: -1 }
    : { container: container as Record<string, unknown>, keys: Object.keys(container), at: -1 };
}

export const inputGuardPlugin = fp(async function inputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    // The JSON `null`: Fastify hands the validator null for an absent body too, which it
    // judges as {} (validation.ts), so a route would get null where it reads fields.
    if (request.body === null && request.routeOptions.schema?.body) {
      throw new ValidationError('The body is null: send a JSON object.', [
        { field: 'body', message: 'must be object' },
      ]);
    }
    const problem =
      findUnstorable(request.params, 'params') ??
      findUnstorable(request.query, 'query') ??
      findUnstorable(request.body, 'body');
    if (problem)
      throw new ValidationError(`The request cannot be accepted: ${problem.field} ${problem.message}.`, [problem]);
  });
});
