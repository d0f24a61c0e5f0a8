/**
 * The access policy's inputs, read with the audit in one query, and the same policy as a
 * SQL condition so that lists (audits, activity) never show what the caller cannot open.
 * Keep in step with policies/audit.policy.ts: test/http/collaboration.test.ts checks both
 * against every combination.
 */
import { and, eq, exists, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';

import type { Executor } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { audits, auditShares, auditUserShares } from '../db/schema.js';
import type { AuditAccessFacts, SharePermission, Visibility } from '../policies/audit.policy.js';
import type { Audit } from './audit.repository.js';

const VISIBILITIES: readonly string[] = ['private', 'organization', 'public'];
const PERMISSIONS: readonly string[] = ['view', 'comment', 'edit'];

/** The audit (of this organization) with its visibility and the user's share, or null. */
export async function findAuditWithAccess(
  db: Executor,
  organizationId: string,
  auditId: string,
  userId: string,
): Promise<{ audit: Audit; facts: AuditAccessFacts } | null> {
  // Every request about one audit runs this: a prepared statement (db/prepared.ts).
  const statement = prepared(db, 'audit_with_access', (handle) =>
    handle
      .select({ audit: audits, visibility: auditShares.visibility, permission: auditUserShares.permission })
      .from(audits)
      .leftJoin(auditShares, eq(auditShares.auditId, audits.id))
      .leftJoin(
        auditUserShares,
        and(eq(auditUserShares.auditId, audits.id), eq(auditUserShares.userId, sql.placeholder('userId'))),
      )
      .where(
        and(eq(audits.id, sql.placeholder('auditId')), eq(audits.organizationId, sql.placeholder('organizationId'))),
      )
      .prepare('audit_with_access'),
  );
  const [row] = await statement.execute({ auditId, organizationId, userId });
  if (!row) return null;
  return {
    audit: row.audit,
    facts: {
      // No row: the contract's default. A value this version does not know reads as the strictest.
      visibility:
        row.visibility === null
          ? 'organization'
          : VISIBILITIES.includes(row.visibility)
            ? (row.visibility as Visibility)
            : 'private',
      sharePermission:
        row.permission !== null && PERMISSIONS.includes(row.permission) ? (row.permission as SharePermission) : null,
    },
  };
}

/**
 * True for the audits (by their id column) that a user with this role may at least view:
 * admins all of the organization's; others their own, shared ones, and those not private.
 * The caller also scopes to the organization.
 */
export function visibleAuditCondition(
  db: Executor,
  auditIdColumn: PgColumn,
  actor: { userId: string | Placeholder; role: string | null },
): SQL | undefined {
  if (actor.role === 'admin') return undefined;
  // An alias: the outer query may itself be over audits.
  const owned = alias(audits, 'owned_audit');
  return or(
    exists(
      db
        .select({ one: sql`1` })
        .from(owned)
        .where(and(eq(owned.id, auditIdColumn), eq(owned.userId, actor.userId))),
    ),
    exists(
      db
        .select({ one: sql`1` })
        .from(auditUserShares)
        .where(and(eq(auditUserShares.auditId, auditIdColumn), eq(auditUserShares.userId, actor.userId))),
    ),
    sql`NOT EXISTS (SELECT 1 FROM ${auditShares} WHERE ${auditShares.auditId} = ${auditIdColumn} AND ${auditShares.visibility} NOT IN ('organization', 'public'))`,
  );
}
