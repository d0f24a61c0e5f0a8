/**
 * Tables below an audit (analyses, comments, shares, reactions) carry no organization_id
 * of their own: their tenant is their audit's. These conditions put that organization in
 * every WHERE, so a row of another organization is never read or written.
 *
 * They are correlated EXISTS on the audit's primary key, not `IN (SELECT id FROM audits
 * WHERE organization_id = …)`: the latter makes PostgreSQL hash every audit of the
 * organization on each query, which the benchmark showed for large organizations.
 */
import { and, eq, exists, sql, type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';

import type { Executor } from '../db/database.js';
import { audits, auditComments } from '../db/schema.js';

const scopeAudit = alias(audits, 'scope_audit');
const scopeComment = alias(auditComments, 'scope_comment');

/** `auditIdColumn` names an audit of this organization. */
export function auditOfOrganization(db: Executor, auditIdColumn: PgColumn, organizationId: string): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(scopeAudit)
      .where(and(eq(scopeAudit.id, auditIdColumn), eq(scopeAudit.organizationId, organizationId))),
  );
}

/** `commentIdColumn` names a comment on an audit of this organization. */
export function commentOfOrganization(db: Executor, commentIdColumn: PgColumn, organizationId: string): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(scopeComment)
      .innerJoin(scopeAudit, eq(scopeAudit.id, scopeComment.auditId))
      .where(and(eq(scopeComment.id, commentIdColumn), eq(scopeAudit.organizationId, organizationId))),
  );
}

/** Whether the audit exists and is this organization's: checked before writing below it. */
export async function auditBelongsTo(db: Executor, organizationId: string, auditId: string): Promise<boolean> {
  const rows = await db
    .select({ id: audits.id })
    .from(audits)
    .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)));
  return rows.length === 1;
}

/** Whether the comment exists on an audit of this organization. */
export async function commentBelongsTo(db: Executor, organizationId: string, commentId: string): Promise<boolean> {
  const rows = await db
    .select({ id: auditComments.id })
    .from(auditComments)
    .innerJoin(audits, eq(audits.id, auditComments.auditId))
    .where(and(eq(auditComments.id, commentId), eq(audits.organizationId, organizationId)));
  return rows.length === 1;
}
