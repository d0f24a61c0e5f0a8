import { and, desc, eq, gt, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { analysisResults, audits, organizations } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { auditBelongsTo, auditOfOrganization } from './tenant-scope.js';

export type AnalysisResult = typeof analysisResults.$inferSelect;

export interface NewAnalysisResult {
  id?: string;
  auditId: string;
  summary: unknown;
  recommendations: unknown;
  costAnalysis: unknown;
  riskAssessment: unknown;
}

/** What the hourly refresh of renewals reads of an audit. */
export interface RenewalSource {
  auditId: string;
  organizationId: string;
  stackData: unknown;
  settings: Record<string, unknown> | null;
  analysisId: string;
  costAnalysis: unknown;
  recommendations: unknown;
}

/** Every analysis run of an audit is kept; the latest is the one shown. */
export class AnalysisResultRepository {
  constructor(private readonly db: Executor) {}

  /** Stores a run; null (and nothing stored) when the audit is not one of this organization's. */
  async create(organizationId: string, input: NewAnalysisResult): Promise<AnalysisResult | null> {
    if (!(await auditBelongsTo(this.db, organizationId, input.auditId))) return null;
    const [row] = await this.db
      .insert(analysisResults)
      .values({
        id: input.id ?? newId('analysis'),
        auditId: input.auditId,
        summary: input.summary,
        recommendations: input.recommendations,
        costAnalysis: input.costAnalysis,
        riskAssessment: input.riskAssessment,
        createdAt: new Date(),
      })
      .returning();
    return row!;
  }

  /** For a public share link: the audit's latest analysis, the share having named the audit. */
  async latestForAuditAcrossOrganizations(auditId: string): Promise<AnalysisResult | null> {
    const [row] = await this.db
      .select()
      .from(analysisResults)
      .where(eq(analysisResults.auditId, auditId))
      .orderBy(desc(analysisResults.createdAt), desc(analysisResults.id))
      .limit(1);
    return row ?? null;
  }

  /**
   * A page of completed audits whose stack lists a renewal or contract end date, each with
   * its latest analysis and its organization's settings, in id order after `afterAuditId`:
   * what the hourly refresh of renewals reads (across organizations by nature; the next page
   * starts after the last id). Walks the audits' primary key; the date test filters each page.
   */
  async latestWithRenewalDatesAcrossOrganizations(afterAuditId: string, limit: number): Promise<RenewalSource[]> {
    const latest = this.db
      .select({
        id: analysisResults.id,
        costAnalysis: analysisResults.costAnalysis,
        recommendations: analysisResults.recommendations,
      })
      .from(analysisResults)
      .where(eq(analysisResults.auditId, audits.id))
      .orderBy(desc(analysisResults.createdAt), desc(analysisResults.id))
      .limit(1)
      .as('latest_analysis');
    const rows = await this.db
      .select({
        auditId: audits.id,
        organizationId: audits.organizationId,
        stackData: audits.stackData,
        settings: organizations.settings,
        analysisId: latest.id,
        costAnalysis: latest.costAnalysis,
        recommendations: latest.recommendations,
      })
      .from(audits)
      .innerJoin(organizations, eq(organizations.id, audits.organizationId))
      .innerJoinLateral(latest, sql`true`)
      .where(
        and(
          gt(audits.id, afterAuditId),
          eq(audits.status, 'completed'),
          sql`jsonb_path_exists(${audits.stackData}, '$.tools[*] ? (exists(@.renewalDate) || exists(@.contractEndDate))')`,
        ),
      )
      .orderBy(audits.id)
      .limit(limit);
    return rows.map((r) => ({
      ...r,
      organizationId: r.organizationId!,
      settings: r.settings ?? null,
    }));
  }

  /**
   * Replaces an analysis's renewals (those of the next 90 days and each tool's next one) and
   * recommendations (the hourly refresh, on an id it just read).
   */
  async replaceRenewalsAcrossOrganizations(
    analysisId: string,
    renewals: { renewals: unknown; next: unknown },
    recommendations: unknown,
  ): Promise<void> {
    const within = sql`jsonb_set(${analysisResults.costAnalysis}, '{renewalsNext90Days}', ${JSON.stringify(renewals.renewals)}::jsonb)`;
    await this.db
      .update(analysisResults)
      .set({
        costAnalysis: sql`jsonb_set(${within}, '{nextRenewals}', ${JSON.stringify(renewals.next)}::jsonb)`,
        recommendations,
      })
      .where(eq(analysisResults.id, analysisId));
  }

  /** All runs of an audit, newest first (a short list: one per analysis). */
  async listForAudit(organizationId: string, auditId: string): Promise<AnalysisResult[]> {
    return this.db
      .select()
      .from(analysisResults)
      .where(
        and(
          eq(analysisResults.auditId, auditId),
          auditOfOrganization(this.db, analysisResults.auditId, organizationId),
        ),
      )
      .orderBy(desc(analysisResults.createdAt), desc(analysisResults.id));
  }
}
