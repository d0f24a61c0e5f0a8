/**
 * How answers write timestamps (src/http/present.ts): `iso` is `toISOString` to the character
 * for every instant, however it gets there, and null for none.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { iso } from '../../src/http/present.js';

it('writes every instant exactly as toISOString does, and null as null', () => {
  fc.assert(
    fc.property(fc.date({ noInvalidDate: true }), (date) => {
      expect(iso(date)).toBe(date.toISOString());
    }),
    { numRuns: 20_000 },
  );
  // The edges of the fast path and beyond it.
  for (const text of [
    '1000-01-01T00:00:00.000Z',
    '0999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    '+010000-01-01T00:00:00.000Z',
    '-000001-06-15T12:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '2024-02-29T09:05:07.045Z',
  ]) {
    expect(iso(new Date(text))).toBe(text);
  }
  expect(iso(null)).toBeNull();
});
