/**
 * The access policy's inputs, read with the audit in one query, and the same policy as a
 * SQL condition so that lists (audits, activity) never show what the caller cannot open.
 * Keep in step with policies/audit.policy.ts: test/http/collaboration.test.ts checks both
 * against every combination.
 */
import { and, desc, eq, exists, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { alias, type PgColumn, type SelectedFields } from 'drizzle-orm/pg-core';

import type { Executor } from '../db/database.js';
import { jsonText, type JsonText } from '../db/json-text.js';
import { prepared } from '../db/prepared.js';
import { analysisResults, audits, auditShares, auditUserShares } from '../db/schema.js';
import type { AuditAccessFacts, SharePermission, Visibility } from '../policies/audit.policy.js';
import type { AnalysisResult } from './analysis-result.repository.js';
import { LIST_COLUMNS, type AuditListItem } from './audit.repository.js';

const VISIBILITIES: readonly string[] = ['private', 'organization', 'public'];
const PERMISSIONS: readonly string[] = ['view', 'comment', 'edit'];

type AccessRow = { visibility: string | null; permission: string | null };

/** The audit page's audit: its stack as stored JSON text (db/json-text.ts). */
export type AuditWithJson = AuditListItem & { stackData: JsonText | null };
/** An analysis with its documents as stored JSON text. */
export type AnalysisWithJson = Pick<AnalysisResult, 'id' | 'auditId' | 'createdAt'> & {
  summary: JsonText | null;
  recommendations: JsonText | null;
  costAnalysis: JsonText | null;
  riskAssessment: JsonText | null;
};

function toFacts(row: AccessRow): AuditAccessFacts {
  return {
    // No row: the contract's default. A value this version does not know reads as the strictest.
    visibility:
      row.visibility === null
        ? 'organization'
        : VISIBILITIES.includes(row.visibility)
          ? (row.visibility as Visibility)
          : 'private',
    sharePermission:
      row.permission !== null && PERMISSIONS.includes(row.permission) ? (row.permission as SharePermission) : null,
  };
}

/** The audit of this organization (the given fields) with its visibility and the caller's share (one row or none). */
function accessQuery<T extends SelectedFields>(db: Executor, fields: T) {
  return db
    .select({ visibility: auditShares.visibility, permission: auditUserShares.permission, ...fields })
    .from(audits)
    .leftJoin(auditShares, eq(auditShares.auditId, audits.id))
    .leftJoin(
      auditUserShares,
      and(eq(auditUserShares.auditId, audits.id), eq(auditUserShares.userId, sql.placeholder('userId'))),
    )
    .$dynamic();
}

const whereAudit = () =>
  and(eq(audits.id, sql.placeholder('auditId')), eq(audits.organizationId, sql.placeholder('organizationId')));

/**
 * The audit (of this organization, without its stack: a comment, a share or a reaction
 * does not need it) with its visibility and the user's share, or null.
 */
export async function findAuditWithAccess(
  db: Executor,
  organizationId: string,
  auditId: string,
  userId: string,
): Promise<{ audit: AuditListItem; facts: AuditAccessFacts } | null> {
  // Every request about one audit runs this: a prepared statement (db/prepared.ts).
  const statement = prepared(db, 'audit_with_access', (handle) =>
    accessQuery(handle, { audit: LIST_COLUMNS }).where(whereAudit()).prepare('audit_with_access'),
  );
  const [row] = await statement.execute({ auditId, organizationId, userId });
  return row ? { audit: row.audit, facts: toFacts(row) } : null;
}

/**
 * The same, with the audit's latest analysis in the same statement (a lateral join on the
 * audit row, so the analysis is the tenant's by construction): the audit page's one query.
 * The stack and the analysis's documents come as stored JSON text, for the answer to pass on.
 */
export async function findAuditWithAccessAndAnalysis(
  db: Executor,
  organizationId: string,
  auditId: string,
  userId: string,
): Promise<{ audit: AuditWithJson; facts: AuditAccessFacts; analysis: AnalysisWithJson | null } | null> {
  const statement = prepared(db, 'audit_with_access_and_analysis', (handle) => {
    const latest = handle
      .select({
        id: analysisResults.id,
        auditId: analysisResults.auditId,
        createdAt: analysisResults.createdAt,
        summary: jsonText(analysisResults.summary).as('summary'),
        recommendations: jsonText(analysisResults.recommendations).as('recommendations'),
        costAnalysis: jsonText(analysisResults.costAnalysis).as('cost_analysis'),
        riskAssessment: jsonText(analysisResults.riskAssessment).as('risk_assessment'),
      })
      .from(analysisResults)
      .where(eq(analysisResults.auditId, audits.id))
      .orderBy(desc(analysisResults.createdAt), desc(analysisResults.id))
      .limit(1)
      .as('latest_analysis');
    return accessQuery(handle, {
      audit: { ...LIST_COLUMNS, stackData: jsonText(audits.stackData) },
      analysis: latest._.selectedFields,
    })
      .leftJoinLateral(latest, sql`true`)
      .where(whereAudit())
      .prepare('audit_with_access_and_analysis');
  });
  const [row] = await statement.execute({ auditId, organizationId, userId });
  if (!row) return null;
  return { audit: row.audit, facts: toFacts(row), analysis: row.analysis?.id ? row.analysis : null };
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
