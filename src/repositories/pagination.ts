/**
 * Cursor pagination, newest first, on (created_at DESC, id DESC): stable under inserts,
 * and served by the matching composite indexes. The cursor is opaque to clients
 * (base64url JSON of the last row's created_at and id).
 *
 * The application writes created_at with millisecond precision (a JS Date), so a cursor
 * holding a Date names a row exactly on both databases.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

import type { Page, PageRequest } from '../domain/page.js';
import { ValidationError } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type { Page, PageRequest };

interface CursorKey {
  createdAt: Date;
  id: string;
}

/** The cursor after a row: its created_at as a Date, or as the ISO text toISOString writes (isoText in SQL). */
export function encodeCursor(key: { createdAt: Date | string; id: string }): string {
  const at = typeof key.createdAt === 'string' ? key.createdAt : key.createdAt.toISOString();
  return Buffer.from(JSON.stringify({ t: at, i: key.id })).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; i?: unknown };
    const createdAt = typeof value.t === 'string' ? new Date(value.t) : null;
    if (createdAt && !Number.isNaN(createdAt.getTime()) && typeof value.i === 'string') {
      return { createdAt, id: value.i };
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('The cursor is not one this server gave out.', [
    { field: 'query.cursor', message: 'is not a valid cursor' },
  ]);
}

export function pageSize(request: PageRequest): number {
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
}

/**
 * The WHERE part that starts a page after the cursor's row: newest first, or oldest first
 * with 'asc'. A row comparison, `(created_at, id) < (…, …)`, not the equivalent OR: PostgreSQL
 * uses a row comparison as the start of the index scan, where the OR form is a filter that
 * reads every row before the cursor (deep pages were half as fast as the first).
 */
export function afterCursor(
  createdAt: PgColumn,
  id: PgColumn,
  cursor: string | null | undefined,
  direction: 'desc' | 'asc' = 'desc',
): SQL | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor);
  return rowAfter(createdAt, id, key.createdAt, key.id, direction);
}

/** `(createdAt, id)` beyond the given values in the list's order (values or placeholders). */
export function rowAfter(
  createdAt: PgColumn,
  id: PgColumn,
  at: unknown,
  atId: unknown,
  direction: 'desc' | 'asc' = 'desc',
): SQL {
  return sql`(${createdAt}, ${id}) ${sql.raw(direction === 'desc' ? '<' : '>')} (${at}, ${atId})`;
}

/** Cuts the one extra row fetched (limit + 1) into the next cursor. */
export function toPage<T extends { createdAt: Date | null; id: string }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1]!;
  return { items, nextCursor: encodeCursor({ createdAt: last.createdAt ?? new Date(0), id: last.id }) };
}
