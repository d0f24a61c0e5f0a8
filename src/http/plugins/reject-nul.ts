/**
 * PostgreSQL cannot store a NUL character in text or jsonb: such input would surface as a
 * 500 from the database. Refuse it as a 400 before any handler runs, naming where it is.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { ValidationError } from '../../errors.js';

/** The dotted path of the first string (value or key) holding a NUL, or null. */
export function findNul(value: unknown, path: string): string | null {
  if (Buffer.isBuffer(value)) return null; // a raw body (the Stripe webhook) is not stored as text
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return `${path}.${key.replaceAll('\u0000', '\\u0000')}`;
      const found = findNul(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

export const rejectNulPlugin = fp(async function rejectNul(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const field = findNul(request.params, 'params') ?? findNul(request.query, 'query') ?? findNul(request.body, 'body');
    if (field) {
      throw new ValidationError('Text may not contain the NUL character (\\u0000).', [
        { field, message: 'contains a NUL character' },
      ]);
    }
  });
});
