/**
 * Versioned, forward-only SQL migrations: the files drizzle-kit generated into
 * ./migrations from schema.ts, committed, applied by the driver's own migrator. Their
 * journal (migrations/meta/_journal.json) names them in order; the database records each
 * applied one in drizzle.__drizzle_migrations by the journal's `when`.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Database } from './database.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export interface MigrationInfo {
  name: string;
  applied: boolean;
}

export class MigrationError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

function readJournal(folder: string): Journal['entries'] {
  const journal = JSON.parse(fs.readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as Journal;
  return [...journal.entries].sort((a, b) => a.idx - b.idx);
}

/** The names of the folder's migrations, in order. */
export function migrationNames(folder = MIGRATIONS_FOLDER): string[] {
  return readJournal(folder).map((entry) => entry.tag);
}

/** Every migration of the folder, in order, with whether this database has applied it. */
export async function migrationStatus(database: Database, folder = MIGRATIONS_FOLDER): Promise<MigrationInfo[]> {
  const [exists] = await database.query<{ table: string | null }>(
    "SELECT to_regclass('drizzle.__drizzle_migrations')::text AS table",
  );
  const applied = new Set<number>();
  if (exists?.table) {
    // created_at holds the journal's `when` (ms) of the migration applied.
    const rows = await database.query<{ created_at: string }>('SELECT created_at FROM drizzle.__drizzle_migrations');
    for (const row of rows) applied.add(Number(row.created_at));
  }
  return readJournal(folder).map((entry) => ({
    name: entry.tag,
    applied: applied.has(entry.when),
  }));
}

/** Applies what is pending; returns the names applied. Throws MigrationError, leaving the database as it was. */
export async function runMigrations(database: Database, folder = MIGRATIONS_FOLDER): Promise<string[]> {
  const before = await migrationStatus(database, folder);
  const pending = before.filter((m) => !m.applied).map((m) => m.name);
  try {
    await database.applyMigrations(folder);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new MigrationError(
      `A migration failed and none of the pending ones (${pending.join(', ') || 'none'}) was applied: ${reason}`,
      { cause: error },
    );
  }
  const after = await migrationStatus(database, folder);
  return after.filter((m) => m.applied && pending.includes(m.name)).map((m) => m.name);
}
