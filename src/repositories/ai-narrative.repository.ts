import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { analysisResults, audits, auditNarratives, organizations } from '../db/schema.js';
import { auditOfOrganization } from './tenant-scope.js';

export type NarrativeRow = typeof auditNarratives.$inferSelect;

export interface ClaimedNarrative {
  analysisId: string;
  organizationId: string;
  auditId: string;
  /** How many times it was claimed, this one included. */
  attempts: number;
}

/** What a narrative is written from: the analysis, the audit's stack, the organization's settings. */
export interface NarrativeSource {
  analysisId: string;
  auditId: string;
  organizationId: string;
  summary: unknown;
  recommendations: unknown;
  costAnalysis: unknown;
  riskAssessment: unknown;
  stackData: unknown;
  settings: Record<string, unknown> | null;
  /** Whether it is still the audit's latest analysis (a narrative of a replaced one is never shown). */
  latest: boolean;
}

/** The latest analysis of an audit and the state of its narrative (none queued: status null). */
export interface LatestNarrative {
  analysisId: string;
  status: NarrativeRow['status'] | null;
  content: unknown;
  model: string | null;
  updatedAt: Date | null;
}

/**
 * The AI narratives of analyses, and their queue: a row is queued 'pending' in the
 * transaction that stores its analysis, claimed with SKIP LOCKED and a lease (a crashed
 * writer's row is taken over when the lease ends), and ends 'ready' or 'dropped'.
 */
export class AiNarrativeRepository {
  constructor(private readonly db: Executor) {}

  async queue(organizationId: string, analysisId: string, auditId: string): Promise<void> {
    await this.db.insert(auditNarratives).values({ analysisId, organizationId, auditId }).onConflictDoNothing();
  }

  /** Up to `limit` due narratives, leased for `leaseSeconds` (across organizations: the worker's queue). */
  async claimDueAcrossOrganizations(
    limit: number,
    leaseSeconds: number,
    now = new Date(),
  ): Promise<ClaimedNarrative[]> {
    const due = this.db
      .select({ analysisId: auditNarratives.analysisId })
      .from(auditNarratives)
      .where(
        and(
          eq(auditNarratives.status, 'pending'),
          sql`${auditNarratives.runAfter} <= ${now.toISOString()}`,
          or(isNull(auditNarratives.lockedUntil), lt(auditNarratives.lockedUntil, now)),
        ),
      )
      .orderBy(asc(auditNarratives.runAfter))
      .limit(limit)
      .for('update', { skipLocked: true });
    return this.db
      .update(auditNarratives)
      .set({
        lockedUntil: new Date(now.getTime() + leaseSeconds * 1000),
        attempts: sql`${auditNarratives.attempts} + 1`,
        updatedAt: now,
      })
      .where(inArray(auditNarratives.analysisId, due))
      .returning({
        analysisId: auditNarratives.analysisId,
        organizationId: auditNarratives.organizationId,
        auditId: auditNarratives.auditId,
        attempts: auditNarratives.attempts,
      });
  }

  /** The claimed narrative's analysis, stack and settings, in one statement. */
  async source(organizationId: string, analysisId: string): Promise<NarrativeSource | null> {
    const [row] = await this.db
      .select({
        analysisId: analysisResults.id,
        auditId: audits.id,
        organizationId: organizations.id,
        summary: analysisResults.summary,
        recommendations: analysisResults.recommendations,
        costAnalysis: analysisResults.costAnalysis,
        riskAssessment: analysisResults.riskAssessment,
        stackData: audits.stackData,
        settings: organizations.settings,
        latest: sql<boolean>`NOT EXISTS (SELECT 1 FROM ${analysisResults} newer WHERE newer.audit_id = ${analysisResults.auditId} AND (newer.created_at, newer.id) > (${analysisResults.createdAt}, ${analysisResults.id}))`,
      })
      .from(analysisResults)
      .innerJoin(audits, eq(audits.id, analysisResults.auditId))
      .innerJoin(organizations, eq(organizations.id, audits.organizationId))
      .where(and(eq(analysisResults.id, analysisId), eq(audits.organizationId, organizationId)));
    return row ? { ...row, settings: row.settings ?? null } : null;
  }

  /**
   * The writes of a claimed narrative are fenced by its claim: they apply only while it is
   * still pending under this claim (a run whose lease ran out and was taken over changes nothing).
   */
  private claimed(job: ClaimedNarrative) {
    return and(
      eq(auditNarratives.organizationId, job.organizationId),
      eq(auditNarratives.analysisId, job.analysisId),
      eq(auditNarratives.status, 'pending'),
      eq(auditNarratives.attempts, job.attempts),
    );
  }

  async complete(job: ClaimedNarrative, content: unknown, model: string): Promise<void> {
    await this.db
      .update(auditNarratives)
      .set({ status: 'ready', content, model, reason: null, lockedUntil: null, updatedAt: new Date() })
      .where(this.claimed(job));
  }

  async drop(job: ClaimedNarrative, reason: string): Promise<void> {
    await this.db
      .update(auditNarratives)
      .set({ status: 'dropped', reason: reason.slice(0, 500), lockedUntil: null, updatedAt: new Date() })
      .where(this.claimed(job));
  }

  /** Back in the queue after `delaySeconds` (the endpoint did not answer). */
  async retryLater(job: ClaimedNarrative, delaySeconds: number, reason: string): Promise<void> {
    const now = new Date();
    await this.db
      .update(auditNarratives)
      .set({
        runAfter: new Date(now.getTime() + delaySeconds * 1000),
        lockedUntil: null,
        reason: reason.slice(0, 500),
        updatedAt: now,
      })
      .where(this.claimed(job));
  }

  /** The audit's latest analysis with its narrative; null when it was never analysed. */
  async latestForAudit(organizationId: string, auditId: string): Promise<LatestNarrative | null> {
    const [row] = await this.db
      .select({
        analysisId: analysisResults.id,
        status: auditNarratives.status,
        content: auditNarratives.content,
        model: auditNarratives.model,
        updatedAt: auditNarratives.updatedAt,
      })
      .from(analysisResults)
      .leftJoin(auditNarratives, eq(auditNarratives.analysisId, analysisResults.id))
      .where(
        and(
          eq(analysisResults.auditId, auditId),
          auditOfOrganization(this.db, analysisResults.auditId, organizationId),
        ),
      )
      .orderBy(desc(analysisResults.createdAt), desc(analysisResults.id))
      .limit(1);
    return row
      ? { ...row, status: row.status ?? null, model: row.model ?? null, updatedAt: row.updatedAt ?? null }
      : null;
  }
}
