import { and, desc, eq } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { analysisResults } from '../db/schema.js';
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
