/**
 * Who may do what with an audit, decided in one place: SQL. The rule (../shared/API.md
 * "Collaboration"): a level, the highest of what applies — an admin of its organization:
 * manage; its owner: manage; a per-user share: its permission (view, comment, edit); its
 * visibility `organization` or `public`: comment for every member and viewer of the
 * organization. A viewer never exceeds comment; `private` grants nothing beyond owner,
 * admins and shares; another organization's audit is none (every query here is scoped to
 * one organization).
 *
 * `levelRank` is that rule as one SQL expression; this repository answers with it, set-
 * based (as Immich's access repository does): the level of one user on an audit (read with
 * the audit itself, in the audit page's one statement), the level of every member of the
 * organization on an audit (who may be mentioned or notified), and the audits a user may
 * view (a condition for lists and the activity feed). policies/audit.policy.ts turns a level
 * into a yes, a 404 or a 403. test/http/collaboration.test.ts checks all three against a
 * table of cases.
 */
import {
  and,
  asc,
  desc,
  eq,
  exists,
  gte,
  inArray,
  or,
  sql,
  type Placeholder,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import { alias, type PgColumn, type SelectedFields } from 'drizzle-orm/pg-core';

import type { Executor } from '../db/database.js';
import { jsonObject, jsonText, storedJson, stringJson, type JsonText } from '../db/json-text.js';
import { prepared } from '../db/prepared.js';
import {
  analysisResults,
  auditCommenters,
  auditComments,
  audits,
  auditShares,
  auditUserShares,
  notificationPreferences,
  users,
} from '../db/schema.js';
import { ACCESS_LEVELS, type AccessLevel, type Visibility } from '../policies/audit.policy.js';
import type { AnalysisResult } from './analysis-result.repository.js';
import { LIST_COLUMNS, type AuditListItem } from './audit-columns.js';
import { analysisJson, auditJson } from './audit-json.js';
import {
  PREFERENCE_COLUMNS,
  withDefaults,
  type NotificationPreferences,
} from './notification-preferences.repository.js';

/** An audit with its stack as stored JSON text (db/json-text.ts), for services that parse it once. */
export type AuditWithJson = AuditListItem & { stackData: JsonText | null };
/** An analysis with its documents as stored JSON text. */
export type AnalysisWithJson = Pick<AnalysisResult, 'id' | 'auditId' | 'createdAt'> & {
  summary: JsonText | null;
  recommendations: JsonText | null;
  costAnalysis: JsonText | null;
  riskAssessment: JsonText | null;
};

/** An audit as one user may see it: the audit, its visibility, and the user's level on it. */
export interface AuditAccess<A> {
  audit: A;
  visibility: Visibility;
  level: AccessLevel;
}

/** A member of the organization and their level on one audit. */
export interface MemberAccess {
  id: string;
  email: string;
  name: string | null;
  level: AccessLevel;
}

const rankOf = (level: AccessLevel): number => ACCESS_LEVELS.indexOf(level);

/**
 * The access rule as an SQL expression: the rank of the level (0 none … 4 manage, the
 * index in ACCESS_LEVELS) of the user (`userId`, `role`) on the audit row `audit`, whose
 * visibility row and the user's share row are left-joined as `visibility` and `permission`.
 * No visibility row means `organization`; a value this version does not know reads as the
 * strictest (private, no share).
 */
function levelRank(
  user: { userId: SQLWrapper | Placeholder; role: SQLWrapper | Placeholder },
  auditOwner: SQLWrapper,
  permission: SQLWrapper,
  visibility: SQLWrapper,
): SQL<number> {
  return sql<number>`CASE WHEN (${user.role})::text = 'admin' THEN 4 ELSE LEAST(
      CASE WHEN (${user.role})::text = 'viewer' THEN 2 ELSE 4 END,
      GREATEST(
        CASE WHEN ${auditOwner} = ${user.userId} THEN 4 ELSE 0 END,
        CASE ${permission} WHEN 'edit' THEN 3 WHEN 'comment' THEN 2 WHEN 'view' THEN 1 ELSE 0 END,
        CASE WHEN coalesce(${visibility}, 'organization') IN ('organization', 'public') THEN 2 ELSE 0 END
      )
    ) END`;
}

/** The stored visibility as the contract's (no row: organization; unknown: private). */
function visibilityOf(stored: string | null): Visibility {
  if (stored === null) return 'organization';
  return stored === 'organization' || stored === 'public' ? stored : 'private';
}

/** ACCESS_LEVELS as an SQL array literal: `(…)[rank + 1]` is a rank's level. */
const levelNames = `(ARRAY[${ACCESS_LEVELS.map((level) => `'${level}'`).join(', ')}])`;

/** The rank of the statement's user (placeholders userId, role) on the row of `audits` (auditForUser's joins). */
const userRank = () =>
  levelRank(
    { userId: sql.placeholder('userId'), role: sql.placeholder('role') },
    audits.userId,
    auditUserShares.permission,
    auditShares.visibility,
  );

/**
 * The audit of this organization from `audits`, with its visibility and one user's share
 * left-joined (placeholders auditId, organizationId, userId, role).
 */
function auditForUser<T extends SelectedFields>(handle: Executor, fields: T) {
  return handle
    .select({ visibility: auditShares.visibility, rank: userRank(), ...fields })
    .from(audits)
    .leftJoin(auditShares, eq(auditShares.auditId, audits.id))
    .leftJoin(
      auditUserShares,
      and(eq(auditUserShares.auditId, audits.id), eq(auditUserShares.userId, sql.placeholder('userId'))),
    )
    .where(and(eq(audits.id, sql.placeholder('auditId')), eq(audits.organizationId, sql.placeholder('organizationId'))))
    .$dynamic();
}

/**
 * The audit of this organization (column `id`) with one user's level on it (column `rank`,
 * as `levelRank`), as a subquery with the placeholders auditId, organizationId, userId and
 * role: for a write that checks the level in its own statement, one round trip instead of
 * two (a comment's insert, AuditCommentRepository.createWithActivity). No row when the
 * organization has no such audit. `atLeastRank` is the condition on `rank`, `levelOfRank`
 * reads it back.
 */
export const auditWithUserRank = (handle: Executor) =>
  auditForUser(handle, { id: audits.id, rank: userRank().as('rank') });

/** `rank` (an SQL rank, as `levelRank`) is at least `needed`. */
export const atLeastRank = (rank: SQLWrapper, needed: AccessLevel): SQL =>
  sql`${rank} >= ${sql.raw(String(rankOf(needed)))}`;

/** A rank read back from SQL as its level. */
export const levelOfRank = (rank: number): AccessLevel => ACCESS_LEVELS[rank] ?? 'none';

export class AccessRepository {
  constructor(private readonly db: Executor) {}

  /**
   * The audit (of this organization, without its stack: a comment, a share or a reaction
   * does not need it) with its visibility and the user's level on it; null when the
   * organization has no such audit.
   */
  async audit(
    organizationId: string,
    auditId: string,
    user: { id: string; role: string | null },
  ): Promise<AuditAccess<AuditListItem> | null> {
    // Every request about one audit runs this: a prepared statement (db/prepared.ts).
    const statement = prepared(this.db, 'audit_with_access', (handle) =>
      auditForUser(handle, { audit: LIST_COLUMNS }).prepare('audit_with_access'),
    );
    const [row] = await statement.execute({ auditId, organizationId, userId: user.id, role: user.role ?? '' });
    return row ? { audit: row.audit, visibility: visibilityOf(row.visibility), level: levelOfRank(row.rank) } : null;
  }

  /**
   * The same, with the audit's latest analysis in the same statement (a lateral join on the
   * audit row, so the analysis is the tenant's by construction): for the services that read
   * both (reports, savings, the AI narrative). The stack and the analysis's documents come as
   * stored JSON text.
   */
  async auditWithAnalysis(
    organizationId: string,
    auditId: string,
    user: { id: string; role: string | null },
  ): Promise<(AuditAccess<AuditWithJson> & { analysis: AnalysisWithJson | null }) | null> {
    const statement = prepared(this.db, 'audit_with_access_and_analysis', (handle) => {
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
      return auditForUser(handle, {
        audit: { ...LIST_COLUMNS, stackData: jsonText(audits.stackData) },
        analysis: latest._.selectedFields,
      })
        .leftJoinLateral(latest, sql`true`)
        .prepare('audit_with_access_and_analysis');
    });
    const [row] = await statement.execute({ auditId, organizationId, userId: user.id, role: user.role ?? '' });
    if (!row) return null;
    return {
      audit: row.audit,
      visibility: visibilityOf(row.visibility),
      level: levelOfRank(row.rank),
      analysis: row.analysis?.id ? row.analysis : null,
    };
  }

  /**
   * The audit page's one statement: the user's level on the audit (null when the organization
   * has no such audit) and GET /api/audits/:id's whole answer (AuditDetailSchema) as JSON text
   * written by PostgreSQL (db/json-text.ts): the caller's level, the audit with its stack, and
   * its latest analysis, read by a lateral join on the audit row (so the analysis is the
   * tenant's by construction), documents as stored. The answer is written for a level of view
   * or more (null below it): the caller checks the level first.
   */
  async auditPage(
    organizationId: string,
    auditId: string,
    user: { id: string; role: string | null },
  ): Promise<{ level: AccessLevel; json: JsonText | null } | null> {
    const statement = prepared(this.db, 'audit_page', (handle) => {
      const latest = handle
        .select({ json: sql<JsonText>`${analysisJson}`.as('analysis_json') })
        .from(analysisResults)
        .where(eq(analysisResults.auditId, audits.id))
        .orderBy(desc(analysisResults.createdAt), desc(analysisResults.id))
        .limit(1)
        .as('latest_analysis');
      const answer = jsonObject([
        ['access', stringJson(sql`(${sql.raw(levelNames)})[${userRank()} + 1]`)],
        ['audit', auditJson],
        ['analysis', storedJson(latest.json)],
      ]);
      // Written only for a level of view or more: below it, nobody reads it.
      const json = sql<JsonText | null>`CASE WHEN ${atLeastRank(userRank(), 'view')} THEN ${answer} END`;
      return auditForUser(handle, { json })
        .leftJoinLateral(latest, sql`true`)
        .prepare('audit_page');
    });
    const [row] = await statement.execute({ auditId, organizationId, userId: user.id, role: user.role ?? '' });
    return row ? { level: levelOfRank(row.rank), json: row.json } : null;
  }

  /**
   * Every member of the organization whose level on the audit is at least `minimum`, with
   * that level, in one statement (the people who may be mentioned on it, or notified about
   * it). Empty when the organization has no such audit.
   */
  async members(organizationId: string, auditId: string, minimum: AccessLevel): Promise<MemberAccess[]> {
    const rank = memberRank();
    const rows = await this.db
      .select({ id: users.id, email: users.email, name: users.name, rank })
      .from(users)
      .innerJoin(audits, and(eq(audits.id, auditId), eq(audits.organizationId, users.organizationId)))
      .leftJoin(auditShares, eq(auditShares.auditId, audits.id))
      .leftJoin(auditUserShares, and(eq(auditUserShares.auditId, audits.id), eq(auditUserShares.userId, users.id)))
      .where(and(eq(users.organizationId, organizationId), gte(rank, rankOf(minimum))))
      .orderBy(asc(users.createdAt), asc(users.id));
    return rows.map(({ rank: r, ...member }) => ({ ...member, level: levelOfRank(r) }));
  }
  /**
   * Everyone each of these comments may concern, in one set-based query: the members of the
   * comment's audit's organization (each row's organization is its audit's) who can at least
   * view the audit, but not its author; whether they had commented on the audit before it; their
   * notification preferences. The comment fan-out decides from these rows who hears of what.
   */
  async commentAudiencesAcrossOrganizations(commentIds: string[]): Promise<CommentAudienceMember[]> {
    if (commentIds.length === 0) return [];
    const rank = memberRank();
    const rows = await this.db
      .select({
        commentId: auditComments.id,
        userId: users.id,
        email: users.email,
        name: users.name,
        // A follower since a comment of theirs before this one (audit_commenters, by its key).
        commented: sql<boolean>`coalesce(${auditCommenters.firstCommentedAt} < ${auditComments.createdAt}, false)`,
        preferences: PREFERENCE_COLUMNS,
      })
      .from(auditComments)
      .innerJoin(audits, eq(audits.id, auditComments.auditId))
      .innerJoin(
        users,
        and(eq(users.organizationId, audits.organizationId), sql`${users.id} IS DISTINCT FROM ${auditComments.userId}`),
      )
      .leftJoin(auditShares, eq(auditShares.auditId, audits.id))
      .leftJoin(auditUserShares, and(eq(auditUserShares.auditId, audits.id), eq(auditUserShares.userId, users.id)))
      .leftJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
      .leftJoin(auditCommenters, and(eq(auditCommenters.auditId, audits.id), eq(auditCommenters.userId, users.id)))
      .where(and(inArray(auditComments.id, commentIds), gte(rank, rankOf('view'))))
      .orderBy(asc(auditComments.id), asc(users.createdAt), asc(users.id));
    return rows.map(({ preferences, ...member }) => ({ ...member, preferences: withDefaults(preferences) }));
  }
}

/** Someone a comment may concern: a member who can see its audit, with their preferences. */
export interface CommentAudienceMember {
  commentId: string;
  userId: string;
  email: string;
  name: string | null;
  /**
   * Had commented on the audit before this comment (a follower of its thread, audit_commenters:
   * still one if that comment was deleted since).
   */
  commented: boolean;
  preferences: NotificationPreferences;
}

/**
 * Each member's level on the audit of the row (users joined with audits, audit_shares and
 * their audit_user_shares row), as `levelRank`.
 */
const memberRank = () =>
  levelRank({ userId: users.id, role: users.role }, audits.userId, auditUserShares.permission, auditShares.visibility);

/**
 * True for the audits (by their id column) that a user with this role may at least view:
 * admins all of the organization's; others their own, shared ones, and those not private.
 * The same rule as `levelRank` ≥ view, written as EXISTS conditions that use the indexes of
 * a list's scan (a CASE over joined rows would not). The caller scopes to the organization.
 */
export function visibleAuditCondition(
  db: Executor,
  auditIdColumn: PgColumn,
  viewer: { userId: string | Placeholder; role: string | null },
): SQL | undefined {
  if (viewer.role === 'admin') return undefined;
  // An alias: the outer query may itself be over audits.
  const owned = alias(audits, 'owned_audit');
  return or(
    exists(
      db
        .select({ one: sql`1` })
        .from(owned)
        .where(and(eq(owned.id, auditIdColumn), eq(owned.userId, viewer.userId))),
    ),
    exists(
      db
        .select({ one: sql`1` })
        .from(auditUserShares)
        .where(and(eq(auditUserShares.auditId, auditIdColumn), eq(auditUserShares.userId, viewer.userId))),
    ),
    sql`NOT EXISTS (SELECT 1 FROM ${auditShares} WHERE ${auditShares.auditId} = ${auditIdColumn} AND ${auditShares.visibility} NOT IN ('organization', 'public'))`,
  );
}
