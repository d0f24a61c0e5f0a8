/**
 * Backup and restore in a portable format: JSON Lines, one header line (format, version,
 * the migrations applied, row counts) and then one line per row, table by table in
 * foreign-key order. The same file restores into the embedded database or a PostgreSQL
 * server, so moving from one to the other is a backup and a restore.
 *
 * The backup reads every table in one REPEATABLE READ transaction (a consistent snapshot),
 * page by page on the primary key. The restore recreates the schema at the backup's
 * migration version (migration journal included), loads every row in one transaction and
 * checks the row counts; it refuses a database that holds data unless forced.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import type { Database, RawQuery, RawRow } from '../db/database.js';
import { MIGRATIONS_FOLDER, migrationNames, migrationStatus } from '../db/migrate.js';

export const BACKUP_FORMAT = 'stackaudit-backup';
export const BACKUP_VERSION = 1;
/** Owner read and write, nobody else: what a backup file is created with. */
export const BACKUP_FILE_MODE = 0o600;

/** Every table, parents before children. A test checks it covers the live schema. */
export const TABLE_ORDER = [
  'organizations',
  'users',
  'audits',
  'analysis_results',
  'subscriptions',
  'team_invites',
  'audit_comments',
  'comment_fanout_queue',
  'audit_commenters',
  'audit_shares',
  'audit_user_shares',
  'comment_reactions',
  'collaboration_activity',
  'notification_preferences',
  'integration_credentials',
  'tool_costs',
  'vendor_rules',
  'accepted_recommendations',
  'renewal_reminders',
  'calendar_feeds',
  'app_usage',
  'sessions',
  'account_tokens',
  'rate_limit_counters',
  'email_outbox',
  'notifications',
  'digest_runs',
  'stripe_events',
  'exchange_rates',
  'oauth_states',
  'audit_narratives',
  'ai_calls',
] as const;

/** Columns that point at a row of the same table: loaded as NULL, then set once every row is in. */
const SELF_REFERENCES: Record<string, string> = { audit_comments: 'parent_id' };

const PAGE = 1000;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  driver: string;
  migrations: string[];
  tables: Record<string, number>;
}

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, label: string): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function primaryKey(query: RawQuery, table: string): Promise<string[]> {
  const rows = await query<{ column: string }>(
    `SELECT a.attname AS column FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [`public.${table}`],
  );
  return rows.map((r) => r.column);
}

function encode(row: RawRow): RawRow {
  const out: RawRow = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      value instanceof Date
        ? value.toISOString()
        : Buffer.isBuffer(value)
          ? { $bytes: value.toString('base64') }
          : value;
  }
  return out;
}

/** Writes a consistent snapshot of the whole database to `file`. Returns the header. */
export async function writeBackup(
  database: Database,
  file: string,
  progress: Progress = silentProgress,
): Promise<BackupHeader> {
  const migrations = (await migrationStatus(database)).filter((m) => m.applied).map((m) => m.name);
  const temp = `${file}.partial`;
  // A backup holds every password hash, session and sealed token: readable by its owner only.
  // The mode applies to a file the open creates; one left by an earlier run is chmod-ed.
  const out = fs.createWriteStream(temp, { encoding: 'utf8', mode: BACKUP_FILE_MODE });
  await new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
  fs.chmodSync(temp, BACKUP_FILE_MODE);
  const write = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(`${line}\n`)) resolve();
      else out.once('drain', resolve).once('error', reject);
    });
  try {
    const header = await database.snapshot(async (query) => {
      const tables: Record<string, number> = {};
      for (const table of TABLE_ORDER) {
        const [row] = await query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(table)}`);
        tables[table] = Number(row?.n ?? 0);
      }
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        driver: database.driver,
        migrations,
        tables,
      };
      await write(JSON.stringify(header));
      const total = Object.values(tables).reduce((a, b) => a + b, 0);
      progress.start(total, 'backup');
      let done = 0;
      for (const table of TABLE_ORDER) {
        const key = await primaryKey(query, table);
        const keyList = key.map(ident).join(', ');
        let after: unknown[] | null = null;
        for (;;) {
          const where = after ? `WHERE (${keyList}) > (${key.map((_, i) => `$${i + 1}`).join(', ')})` : '';
          const rows: RawRow[] = await query(
            `SELECT * FROM ${ident(table)} ${where} ORDER BY ${keyList} LIMIT ${PAGE}`,
            after ?? [],
          );
          for (const row of rows) await write(JSON.stringify({ t: table, r: encode(row) }));
          done += rows.length;
          progress.update(done, table);
          if (rows.length < PAGE) break;
          const last = rows[rows.length - 1]!;
          after = key.map((k) => last[k]);
        }
      }
      return header;
    });
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    fs.renameSync(temp, file); // a backup file is whole or absent
    return header;
  } catch (error) {
    out.destroy();
    fs.rmSync(temp, { force: true });
    throw error;
  } finally {
    progress.stop();
  }
}

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

async function readHeader(file: string): Promise<BackupHeader> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    lines.close();
    let header: Partial<BackupHeader>;
    try {
      header = JSON.parse(line) as Partial<BackupHeader>;
    } catch {
      throw new RestoreError(`${file} is not a StackAudit backup (its first line is not JSON).`);
    }
    if (header.format !== BACKUP_FORMAT || !Array.isArray(header.migrations) || typeof header.tables !== 'object') {
      throw new RestoreError(`${file} is not a StackAudit backup.`);
    }
    if (header.version !== BACKUP_VERSION)
      throw new RestoreError(`Backup format version ${header.version} is not supported by this version.`);
    return header as BackupHeader;
  }
  throw new RestoreError(`${file} is empty.`);
}

/** Applies the migrations up to and including the backup's last one (a journal cut there). */
async function migrateTo(database: Database, names: string[]): Promise<void> {
  const known = migrationNames();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new RestoreError(
      `The backup was made by a newer StackAudit (migrations ${unknown.join(', ')}): update StackAudit first.`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackaudit-restore-'));
  try {
    fs.cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
    const journalPath = path.join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.slice(0, Math.max(...names.map((n) => known.indexOf(n))) + 1);
    fs.writeFileSync(journalPath, JSON.stringify(journal));
    await database.applyMigrations(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface RestoreResult {
  tables: Record<string, number>;
}

export async function restoreBackup(
  database: Database,
  file: string,
  options: { force?: boolean } = {},
  progress: Progress = silentProgress,
): Promise<RestoreResult> {
  const header = await readHeader(file);

  // What is there already: tables holding rows, and migrations applied.
  const existing = await database.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const existingNames = new Set(existing.map((t) => t.name));
  const occupied: string[] = [];
  for (const table of TABLE_ORDER) {
    if (!existingNames.has(table)) continue;
    const [row] = await database.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(table)}) AS any`);
    if (row?.any) occupied.push(table);
  }
  if (occupied.length && !options.force) {
    throw new RestoreError(
      `The database holds data (in ${occupied.join(', ')}): restore loads into an empty database. Add --force to replace everything in it.`,
    );
  }
  const applied = (await migrationStatus(database)).filter((m) => m.applied).map((m) => m.name);
  const missing = header.migrations.filter((m) => !applied.includes(m));
  if (missing.length) await migrateTo(database, header.migrations);

  // Which columns each table has here, and which hold JSON (sent as text).
  const columns = await database.query<{ table: string; column: string; type: string }>(
    "SELECT table_name AS table, column_name AS column, data_type AS type FROM information_schema.columns WHERE table_schema = 'public'",
  );
  const known = new Map<string, Map<string, string>>();
  for (const c of columns) {
    if (!known.has(c.table)) known.set(c.table, new Map());
    known.get(c.table)!.set(c.column, c.type);
  }

  const total = Object.values(header.tables).reduce((a, b) => a + b, 0);
  progress.start(total, 'restore');
  try {
    await database.rawTransaction(async (query) => {
      if (options.force) {
        await query(
          `TRUNCATE ${TABLE_ORDER.filter((t) => existingNames.has(t) || known.has(t))
            .map(ident)
            .join(', ')} CASCADE`,
        );
      }
      const pendingParents: { table: string; column: string; id: unknown; parent: unknown }[] = [];
      let batchTable: string | null = null;
      let batch: RawRow[] = [];
      let done = 0;
      const flush = async () => {
        if (!batchTable || batch.length === 0) return;
        const table = batchTable;
        const types = known.get(table);
        if (!types) throw new RestoreError(`The backup has a table this schema does not: ${table}.`);
        const names = [...new Set(batch.flatMap((r) => Object.keys(r)))];
        for (const name of names) {
          if (!types.has(name))
            throw new RestoreError(
              `The backup has a column this schema does not: ${table}.${name}. Update StackAudit first.`,
            );
        }
        const params: unknown[] = [];
        const tuples = batch.map((row) => {
          const slots = names.map((name) => {
            let value = row[name] ?? null;
            if (value !== null && (types.get(name) === 'jsonb' || types.get(name) === 'json'))
              value = JSON.stringify(value);
            if (value !== null && typeof value === 'object' && '$bytes' in value) {
              value = Buffer.from((value as { $bytes: string }).$bytes, 'base64');
            }
            params.push(value);
            return `$${params.length}`;
          });
          return `(${slots.join(', ')})`;
        });
        await query(`INSERT INTO ${ident(table)} (${names.map(ident).join(', ')}) VALUES ${tuples.join(', ')}`, params);
        done += batch.length;
        progress.update(done, table);
        batch = [];
      };
      const lines = readline.createInterface({
        input: fs.createReadStream(file, { encoding: 'utf8' }),
        crlfDelay: Infinity,
      });
      let first = true;
      for await (const line of lines) {
        if (first) {
          first = false;
          continue;
        }
        if (!line.trim()) continue;
        const { t: table, r: row } = JSON.parse(line) as { t: string; r: RawRow };
        const self = SELF_REFERENCES[table];
        if (self && row[self] !== null && row[self] !== undefined) {
          pendingParents.push({ table, column: self, id: row.id, parent: row[self] });
          row[self] = null;
        }
        if (table !== batchTable || batch.length >= 500) {
          await flush();
          batchTable = table;
        }
        batch.push(row);
      }
      await flush();
      for (const p of pendingParents) {
        await query(`UPDATE ${ident(p.table)} SET ${ident(p.column)} = $1 WHERE id = $2`, [p.parent, p.id]);
      }
      // The counts must match the header, or nothing is kept.
      for (const [table, expected] of Object.entries(header.tables)) {
        const [row] = await query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(table)}`);
        if (Number(row?.n) !== expected) {
          throw new RestoreError(
            `After loading, ${table} has ${row?.n} rows where the backup lists ${expected}: nothing was restored.`,
          );
        }
      }
    });
  } finally {
    progress.stop();
  }
  return { tables: header.tables };
}
