/**
 * The body validator and its messages (plugins/validation.ts), over generated bodies for the
 * audit form's schema: what holds for any input. No database: the validator and the mapping
 * to `{field, message}` are pure; the routes' answers are tested in basics and audits.
 */
import fc from 'fast-check';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';

import { StackDataSchema } from '../../src/domain/analysis/stack.js';
import {
  fieldErrors,
  MAX_FIELD_ERRORS,
  validatorCompiler,
  type SchemaError,
} from '../../src/http/plugins/validation.js';
import { AuditName } from '../../src/http/routes/audits/contract.js';

const schema = Type.Object({ name: AuditName, stackData: StackDataSchema }, { additionalProperties: false });
const validate = validatorCompiler({ schema, method: 'POST', url: '/api/audits', httpPart: 'body' }) as unknown as ((
  data: unknown,
) => boolean) & { errors: SchemaError[] | null };

/** Tool rows mixing right and wrong values of each field. */
const tool = fc.dictionary(
  fc.constantFrom('name', 'monthlyCost', 'seats', 'activeSeats', 'billingCycle', 'renewalDate', 'owner', 'color'),
  fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.double({ noNaN: true }),
    fc.integer({ min: -5, max: 20 }),
    fc.constantFrom('monthly', 'annual', 'weekly', '2026-01-31', '2026-02-30', null, true),
  ),
);
const body = fc.oneof(
  fc.record({
    name: fc.string({ maxLength: 300 }),
    stackData: fc.record({ tools: fc.array(tool, { maxLength: 60 }) }),
  }),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('body validation messages', () => {
  it('any body: valid with no errors, or one plain detail per field (at most 50) under body', () => {
    fc.assert(
      fc.property(body, (data) => {
        if (validate(structuredClone(data))) {
          expect(validate.errors).toBeNull();
          return;
        }
        const details = fieldErrors('body', validate.errors ?? []);
        expect(details.length).toBeGreaterThan(0);
        expect(details.length).toBeLessThanOrEqual(MAX_FIELD_ERRORS);
        expect(new Set(details.map((d) => d.field)).size).toBe(details.length);
        for (const d of details) {
          expect(d.field === 'body' || d.field.startsWith('body.')).toBe(true);
          expect(d.message).not.toMatch(/must NOT|must match|schema|\{/);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
