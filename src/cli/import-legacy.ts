/**
 * `npm run import-legacy -- FILE`: the old server's 14 in-memory stores (a JSON object of
 * arrays, camelCase, SEED-PLAN.md §2) into the database. Every record is validated; the
 * valid ones are loaded in one transaction, keeping their ids, bcrypt hashes and JSON as
 * they were; running it twice adds nothing (existing rows are skipped). A reference to a
 * row that is neither in the snapshot nor in the database makes a record invalid, except
 * where the schema would have set it to NULL (ON DELETE SET NULL), where it is set to NULL.
 * Invite tokens are stored hashed, as new ones are, so old invite links keep working.
 */
import { inArray } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

import { transaction, type Database, type Tx } from '../db/database.js';
import * as schema from '../db/schema.js';
import { hashToken } from '../domain/tokens.js';
import { AuditCommentRepository } from '../repositories/audit-comment.repository.js';

type Kind = 'id' | 'string' | 'text' | 'timestamp' | 'date' | 'json' | 'bool' | 'decimal';
interface Field {
  kind: Kind;
  required?: boolean;
  max?: number;
  /** For references: the store it points to, and whether a dangling one becomes NULL. */
  ref?: { store: StoreName; nullable: boolean };
}
type StoreName =
  | 'organizations'
  | 'users'
  | 'audits'
  | 'analysisResults'
  | 'subscriptions'
  | 'teamInvites'
  | 'auditComments'
  | 'auditShares'
  | 'auditUserShares'
  | 'commentReactions'
  | 'collaborationActivity'
  | 'notificationPreferences'
  | 'integrationCredentials'
  | 'toolCosts';

const id: Field = { kind: 'id', required: true };
const ref = (store: StoreName, nullable: boolean, required = false): Field => ({
  kind: 'id',
  ref: { store, nullable },
  required,
});
const str = (max: number, required = false): Field => ({ kind: 'string', max, required });
const ts: Field = { kind: 'timestamp' };

/** The stores in load order (parents first), each with its table and fields. */
const STORES: { name: StoreName; table: PgTable; fields: Record<string, Field> }[] = [
  {
    name: 'organizations',
    table: schema.organizations,
    fields: {
      id,
      name: str(255, true),
      plan: str(50),
      stripeCustomerId: str(100),
      stripeSubscriptionId: str(100),
      settings: { kind: 'json' },
      createdAt: ts,
      updatedAt: ts,
    },
  },
  {
    name: 'users',
    table: schema.users,
    fields: {
      id,
      email: str(255, true),
      passwordHash: str(255, true),
      name: str(255),
      organizationId: ref('organizations', true),
      role: str(50),
      plan: str(50),
      createdAt: ts,
      updatedAt: ts,
      lastLoginAt: ts,
    },
  },
  {
    name: 'audits',
    table: schema.audits,
    fields: {
      id,
      organizationId: ref('organizations', false, true),
      userId: ref('users', true),
      name: str(255, true),
      stackData: { kind: 'json' },
      status: str(50),
      createdAt: ts,
      updatedAt: ts,
      completedAt: ts,
    },
  },
  {
    name: 'analysisResults',
    table: schema.analysisResults,
    fields: {
      id,
      auditId: ref('audits', false, true),
      summary: { kind: 'json' },
      recommendations: { kind: 'json' },
      costAnalysis: { kind: 'json' },
      riskAssessment: { kind: 'json' },
      createdAt: ts,
    },
  },
  {
    name: 'subscriptions',
    table: schema.subscriptions,
    fields: {
      id,
      organizationId: ref('organizations', false, true),
      stripeSubscriptionId: str(100),
      plan: str(50, true),
      status: str(50),
      currentPeriodStart: ts,
      currentPeriodEnd: ts,
      cancelAtPeriodEnd: { kind: 'bool' },
      createdAt: ts,
      updatedAt: ts,
    },
  },
  {
    name: 'teamInvites',
    table: schema.teamInvites,
    fields: {
      id,
      organizationId: ref('organizations', false, true),
      email: str(255, true),
      role: str(50),
      invitedBy: ref('users', true),
      token: str(255, true),
      status: str(50),
      expiresAt: { kind: 'timestamp', required: true },
      createdAt: ts,
    },
  },
  {
    name: 'auditComments',
    table: schema.auditComments,
    fields: {
      id,
      auditId: ref('audits', false, true),
      userId: ref('users', true),
      parentId: ref('auditComments', false),
      content: { kind: 'text', required: true },
      createdAt: ts,
      updatedAt: ts,
    },
  },
  {
    name: 'auditShares',
    table: schema.auditShares,
    fields: {
      id,
      auditId: ref('audits', false, true),
      visibility: str(50),
      shareToken: str(255),
      createdAt: ts,
      updatedAt: ts,
    },
  },
  {
    name: 'auditUserShares',
    table: schema.auditUserShares,
    fields: {
      id,
      auditId: ref('audits', false, true),
      userId: ref('users', false, true),
      permission: str(50),
      createdAt: ts,
    },
  },
  {
    name: 'commentReactions',
    table: schema.commentReactions,
    fields: {
      id,
      commentId: ref('auditComments', false, true),
      userId: ref('users', false, true),
      reaction: str(50, true),
      createdAt: ts,
    },
  },
  {
    name: 'collaborationActivity',
    table: schema.collaborationActivity,
    fields: {
      id,
      organizationId: ref('organizations', false, true),
      auditId: ref('audits', false),
      userId: ref('users', true),
      action: str(100, true),
      metadata: { kind: 'json' },
      createdAt: ts,
    },
  },
  {
    name: 'notificationPreferences',
    table: schema.notificationPreferences,
    fields: {
      id,
      userId: ref('users', false, true),
      emailComments: { kind: 'bool' },
      emailMentions: { kind: 'bool' },
      emailShares: { kind: 'bool' },
      emailWeeklyDigest: { kind: 'bool' },
      inAppComments: { kind: 'bool' },
      inAppMentions: { kind: 'bool' },
      createdAt: ts,
      updatedAt: ts,
    },
  },
  {
    name: 'integrationCredentials',
    table: schema.integrationCredentials,
    fields: {
      id,
      organizationId: ref('organizations', false, true),
      provider: str(100, true),
      accessToken: { kind: 'text' },
      refreshToken: { kind: 'text' },
      tokenExpiresAt: ts,
      config: { kind: 'json' },
      lastSyncAt: ts,
      createdAt: ts,
      updatedAt: ts,
    },
  },
  {
    name: 'toolCosts',
    table: schema.toolCosts,
    fields: {
      id,
      organizationId: ref('organizations', false, true),
      source: str(100, true),
      toolName: str(255, true),
      vendor: str(255),
      amount: { kind: 'decimal', required: true },
      currency: str(10),
      billingPeriodStart: { kind: 'date' },
      billingPeriodEnd: { kind: 'date' },
      metadata: { kind: 'json' },
      importedAt: ts,
      createdAt: ts,
    },
  },
];

export const LEGACY_STORES: readonly StoreName[] = STORES.map((s) => s.name);

export interface StoreReport {
  imported: number;
  skipped: number;
  invalid: { index: number; id: unknown; reason: string }[];
  warnings: string[];
}
export type ImportReport = Record<StoreName, StoreReport>;

const ID = /^[A-Za-z0-9_-]{1,50}$/;
const hasNul = (value: unknown): boolean => JSON.stringify(value ?? null).includes('\\u0000');

/** Checks and converts one field; returns the value, or throws the reason. */
function convert(field: Field, value: unknown, name: string): unknown {
  if (value === undefined || value === null) {
    if (field.required) throw new Error(`${name} is required`);
    return null;
  }
  switch (field.kind) {
    case 'id':
      if (typeof value !== 'string' || !ID.test(value))
        throw new Error(`${name} is not an id (1–50 of A-Z a-z 0-9 _ -)`);
      return value;
    case 'string':
    case 'text':
      if (typeof value !== 'string') throw new Error(`${name} is not text`);
      if (field.max !== undefined && value.length > field.max) throw new Error(`${name} is longer than ${field.max}`);
      if (value.includes('\u0000')) throw new Error(`${name} contains a NUL character`);
      return value;
    case 'timestamp': {
      const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
      if (!date || Number.isNaN(date.getTime())) throw new Error(`${name} is not a date and time`);
      return date;
    }
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
        throw new Error(`${name} is not a date`);
      }
      return value.slice(0, 10);
    case 'bool':
      if (typeof value !== 'boolean') throw new Error(`${name} is not true or false`);
      return value;
    case 'decimal': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      if (!Number.isFinite(n) || Math.abs(n) >= 1e10) throw new Error(`${name} is not an amount`);
      return n.toFixed(2);
    }
    case 'json':
      if (hasNul(value)) throw new Error(`${name} contains a NUL character`);
      return value;
  }
}

export interface ImportOptions {
  /**
   * Seals a secret for storage (ENCRYPTION_KEY). The old server kept integration tokens in
   * clear: they are sealed on the way in, or, without a key, left out (connect again) — a
   * secret is never stored in clear.
   */
  seal?: (plaintext: string) => string;
}

export async function importLegacy(
  database: Database,
  snapshot: unknown,
  options: ImportOptions = {},
): Promise<ImportReport> {
  if (snapshot === null || typeof snapshot !== 'object' || Array.isArray(snapshot)) {
    throw new Error(
      'The snapshot must be a JSON object whose keys are the store names (users, organizations, audits, …).',
    );
  }
  const data = snapshot as Record<string, unknown>;
  const unknownStores = Object.keys(data).filter((k) => !(LEGACY_STORES as readonly string[]).includes(k));
  if (unknownStores.length) throw new Error(`Unknown stores in the snapshot: ${unknownStores.join(', ')}.`);

  const report = Object.fromEntries(
    STORES.map((s) => [s.name, { imported: 0, skipped: 0, invalid: [], warnings: [] }]),
  ) as unknown as ImportReport;

  return transaction(database.db, async (tx) => {
    /** Ids present in the database after each store's load (inserted now or there before). */
    const present = new Map<StoreName, Set<string>>();
    for (const store of STORES) {
      const given = data[store.name] ?? [];
      const r = report[store.name];
      if (!Array.isArray(given)) throw new Error(`${store.name} must be an array.`);
      const records = given as unknown[];
      const rows: Record<string, unknown>[] = [];
      const deferredParents: { id: string; parentId: string }[] = [];
      // Referenced rows may also be in the database already (made by StackAudit itself).
      await addExistingReferences(tx, store, records, present);
      for (const [index, item] of records.entries()) {
        const record = item as Record<string, unknown> | null;
        try {
          if (record === null || typeof record !== 'object' || Array.isArray(record))
            throw new Error('is not an object');
          const row: Record<string, unknown> = {};
          for (const [name, field] of Object.entries(store.fields)) {
            row[name] = convert(field, record[name], name);
          }
          const extra = Object.keys(record).filter((k) => !(k in store.fields));
          if (extra.length) r.warnings.push(`record ${index} (${String(row.id)}): ignored fields ${extra.join(', ')}`);
          for (const [name, field] of Object.entries(store.fields)) {
            const target = row[name];
            if (!field.ref || typeof target !== 'string') continue; // converted: an id string or null
            if (field.ref.store === store.name) continue; // self-references: checked after the load
            if (present.get(field.ref.store)?.has(target)) continue;
            if (field.ref.nullable) {
              r.warnings.push(`record ${index} (${String(row.id)}): ${name} ${target} not found, set to null`);
              row[name] = null;
            } else {
              throw new Error(`${name} ${target} is not in the snapshot or the database`);
            }
          }
          if (store.name === 'teamInvites') row.token = hashToken(row.token as string);
          if (store.name === 'integrationCredentials') {
            for (const key of ['accessToken', 'refreshToken'] as const) {
              const value = row[key];
              if (typeof value !== 'string' || value.startsWith('enc:v1:')) continue;
              if (options.seal) row[key] = options.seal(value);
              else {
                row[key] = null;
                r.warnings.push(
                  `record ${index} (${String(row.id)}): ${key} left out (no ENCRYPTION_KEY to seal it): connect again`,
                );
              }
            }
          }
          if (store.name === 'auditComments' && row.parentId !== null) {
            deferredParents.push({ id: row.id as string, parentId: row.parentId as string });
            row.parentId = null;
          }
          rows.push(row);
        } catch (error) {
          r.invalid.push({
            index,
            id: record?.id ?? null,
            reason: (error as Error).message,
          });
        }
      }
      // Ids already in the database that references may point to, for the stores after this one.
      const ids = rows.map((row) => row.id as string);
      const table = store.table as PgTable & { id: typeof schema.users.id };
      for (let i = 0; i < rows.length; i += 500) {
        const batch = rows.slice(i, i + 500);
        const inserted = await insertIgnoringExisting(tx, table, batch);
        r.imported += inserted;
        // Their authors follow the audits they commented on, as if they had posted them here.
        if (store.name === 'auditComments') {
          await new AuditCommentRepository(tx).followFromCommentsAcrossOrganizations(
            batch.map((row) => row.id as string),
          );
        }
      }
      r.skipped = rows.length - r.imported;
      const existing = ids.length ? await selectIds(tx, table, ids) : new Set<string>();
      const previous = present.get(store.name) ?? new Set<string>();
      present.set(store.name, new Set([...previous, ...existing]));
      for (const { id: childId, parentId } of deferredParents) {
        if (!present.get('auditComments')!.has(parentId)) {
          r.warnings.push(`comment ${childId}: parent ${parentId} not found, kept as a top-level comment`);
          continue;
        }
        await tx
          .update(schema.auditComments)
          .set({ parentId })
          .where(inArray(schema.auditComments.id, [childId]));
      }
    }
    return report;
  });
}

/** Adds to `present` the ids this store's records refer to that exist in the database. */
async function addExistingReferences(
  tx: Tx,
  store: (typeof STORES)[number],
  records: unknown[],
  present: Map<StoreName, Set<string>>,
): Promise<void> {
  for (const [name, field] of Object.entries(store.fields)) {
    if (!field.ref || field.ref.store === store.name) continue;
    const target = STORES.find((s) => s.name === field.ref!.store)!;
    const known = present.get(target.name) ?? new Set<string>();
    const wanted = new Set<string>();
    for (const record of records) {
      const value = (record as Record<string, unknown> | null)?.[name];
      if (typeof value === 'string' && ID.test(value) && !known.has(value)) wanted.add(value);
    }
    if (wanted.size === 0) continue;
    const found = await selectIds(tx, target.table as PgTable & { id: typeof schema.users.id }, [...wanted]);
    present.set(target.name, new Set([...known, ...found]));
  }
}

async function insertIgnoringExisting(
  tx: Tx,
  table: PgTable & { id: typeof schema.users.id },
  rows: Record<string, unknown>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insert(table)
    .values(rows as never)
    .onConflictDoNothing()
    .returning({ id: table.id });
  return inserted.length;
}

async function selectIds(tx: Tx, table: PgTable & { id: typeof schema.users.id }, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await tx
      .select({ id: table.id })
      .from(table as typeof schema.users)
      .where(inArray(table.id, ids.slice(i, i + 1000)));
    for (const row of rows) found.add(row.id);
  }
  return found;
}
