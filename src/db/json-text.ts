/**
 * JSON exactly as PostgreSQL stored it, read as text. An answer that only passes a stored
 * document on (an audit's stack, an analysis) splices it in as it is (http/json-text.ts)
 * instead of parsing it into objects and serialising them again: on the audit page that
 * round trip was about a fifth of the server's CPU. jsonb's text form is valid JSON on both
 * drivers.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

import type { JsonText } from '../domain/json-text.js';

export type { JsonText };

/** A json/jsonb column's value as JSON text (SQL NULL stays null). */
export const jsonText = (column: PgColumn): SQL<JsonText | null> => sql<JsonText | null>`${column}::text`;
