/**
 * Running a queued analysis. The queue is the audits table itself: an audit with status
 * 'pending' is queued (set in the same transaction as the write that asked for it), and is
 * claimed with SKIP LOCKED and a lease, so several instances share the work and each
 * analysis runs once. An audit left 'analyzing' by a process that died is taken over when
 * its lease runs out, so every queued analysis completes after a restart.
 */
import { isDeepStrictEqual } from 'node:util';

import { Value } from 'typebox/value';

import type { Config } from '../config.js';
import { transaction, type Database } from '../db/database.js';
import { analyze, recommendationOrder, type Analysis, type Recommendation } from '../domain/analysis/engine.js';
import { toolKey } from '../domain/analysis/catalog.js';
import { StackDataSchema, stackProblems } from '../domain/analysis/stack.js';
import { withMeasuredUsage } from '../domain/app-usage.js';
import { ratesInto } from '../domain/currency.js';
import { todayIn } from '../domain/days.js';
import { toCents } from '../domain/money.js';
import { readSettings } from '../domain/organization-settings.js';
import { AiNarrativeRepository } from '../repositories/ai-narrative.repository.js';
import { AnalysisResultRepository } from '../repositories/analysis-result.repository.js';
import { AppUsageRepository } from '../repositories/app-usage.repository.js';
import { AuditRepository, type ClaimedAudit } from '../repositories/audit.repository.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { ExchangeRateRepository } from '../repositories/exchange-rate.repository.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';

/** A run that keeps dying mid-way (a crash each time) is given up on after this many claims. */
const MAX_ATTEMPTS = 5;

/** What became of one run: stored, failed (the audit says why), or dropped for a newer one queued meanwhile. */
export type AnalysisOutcome =
  | { status: 'completed'; auditId: string; summary: Analysis['summary'] }
  | { status: 'failed'; auditId: string; reason: string }
  | { status: 'stale'; auditId: string };

/** A queued audit claimed for analysis. */
export type { ClaimedAudit };

class StaleRun extends Error {}

export class AnalysisService {
  constructor(
    private readonly database: Database,
    private readonly config: Config,
    /** A narrative was queued with an analysis (after the commit): wake the narrative worker. */
    private readonly onNarrativeQueued: () => void = () => {},
  ) {}

  /** Up to `analysisConcurrency` queued analyses, each claimed with a lease. */
  claimQueued(): Promise<ClaimedAudit[]> {
    return new AuditRepository(this.database.db).claimForAnalysisAcrossOrganizations(
      this.config.analysisConcurrency,
      this.config.analysisLeaseSeconds,
    );
  }

  /**
   * The stack's currency — its own, else the organization's base currency (the one the
   * dashboard shows) — and the organization's exchange rates seen from it.
   */
  private async currencyFor(
    organizationId: string,
    stackCurrency: string | undefined,
  ): Promise<{ currency: string; rates: Record<string, number>; timeZone: string; aiEnabled: boolean }> {
    const db = this.database.db;
    const [organization, rates] = await Promise.all([
      new OrganizationRepository(db).findById(organizationId),
      new ExchangeRateRepository(db).asTable(organizationId),
    ]);
    const { baseCurrency: base, timeZone, aiEnabled } = readSettings(organization?.settings ?? null);
    const currency = stackCurrency ?? base;
    return { currency, rates: ratesInto(currency, base, rates), timeZone, aiEnabled };
  }

  /**
   * Renewals move with the calendar: recomputes the renewals and the renewal recommendations
   * of every completed audit's latest analysis that lists dates, for today in its
   * organization's time zone, and stores those that changed. Idempotent (any instance, any
   * number of times a day); the savings are left as analysed.
   */
  async refreshRenewals(now = new Date(), pageSize = 500): Promise<{ checked: number; updated: number }> {
    const repository = new AnalysisResultRepository(this.database.db);
    const ratesOf = new Map<string, Promise<Record<string, number>>>();
    let after = '';
    let checked = 0;
    let updated = 0;
    for (;;) {
      const page = await repository.latestWithRenewalDatesAcrossOrganizations(after, pageSize);
      for (const row of page) {
        checked += 1;
        const stored = row.costAnalysis as {
          renewalsNext90Days?: unknown;
          nextRenewals?: unknown;
          currency?: unknown;
        } | null;
        if (!Value.Check(StackDataSchema, row.stackData) || !stored || !Array.isArray(row.recommendations)) continue;
        const settings = readSettings(row.settings);
        // The currency the analysis was made in (the base currency may have changed since).
        const currency =
          typeof stored.currency === 'string' ? stored.currency : (row.stackData.currency ?? settings.baseCurrency);
        if (!ratesOf.has(row.organizationId)) {
          ratesOf.set(row.organizationId, new ExchangeRateRepository(this.database.db).asTable(row.organizationId));
        }
        const rates = ratesInto(currency, settings.baseCurrency, await ratesOf.get(row.organizationId)!);
        const fresh = analyze({
          stack: { ...row.stackData, currency },
          today: todayIn(settings.timeZone, now),
          rates,
        });
        const renewals = fresh.costAnalysis.renewalsNext90Days;
        const next = fresh.costAnalysis.nextRenewals;
        const recommendations = [
          ...(row.recommendations as Recommendation[]).filter((r) => r.type !== 'renewal'),
          ...fresh.recommendations.filter((r) => r.type === 'renewal'),
        ].sort(recommendationOrder);
        if (
          isDeepStrictEqual(stored.renewalsNext90Days, renewals) &&
          isDeepStrictEqual(stored.nextRenewals, next) &&
          isDeepStrictEqual(row.recommendations, recommendations)
        ) {
          continue;
        }
        await repository.replaceRenewalsAcrossOrganizations(row.analysisId, { renewals, next }, recommendations);
        updated += 1;
      }
      if (page.length < pageSize) return { checked, updated };
      after = page.at(-1)!.auditId;
    }
  }

  /** Analyses a claimed audit and stores the result with the audit's figures and an activity row, in one transaction. */
  async run(audit: ClaimedAudit): Promise<AnalysisOutcome> {
    const organizationId = audit.organizationId;
    if (!organizationId) return { status: 'stale', auditId: audit.id };
    try {
      if (audit.attempts > MAX_ATTEMPTS) throw new Error(`the analysis stopped unexpectedly ${MAX_ATTEMPTS} times`);
      // Stored data may predate today's schema (imports, older versions): check before use.
      const stack: unknown = audit.stackData;
      if (!Value.Check(StackDataSchema, stack)) throw new Error('the stack data is not valid');
      const problems = stackProblems(stack, 'stackData');
      if (problems.length)
        throw new Error(`the stack data is not valid: ${problems[0]!.field} ${problems[0]!.message}`);
      const { currency, rates, timeZone, aiEnabled } = await this.currencyFor(organizationId, stack.currency);
      // With a model configured (AI_*) and not turned off, the analysis is narrated (services/ai.service.ts).
      const narrate = this.config.ai !== null && aiEnabled;
      // Usage measured by a connected identity provider replaces typed active seats.
      const measured = await new AppUsageRepository(this.database.db).list(organizationId);
      const { stack: measuredStack, used } = withMeasuredUsage(stack, measured, toolKey, new Date());
      const analysis = analyze({ stack: { ...measuredStack, currency }, today: todayIn(timeZone), rates });
      if (used.length > 0) analysis.costAnalysis.usage = used;

      await transaction(this.database.db, async (tx) => {
        const stored = await new AnalysisResultRepository(tx).create(organizationId, {
          auditId: audit.id,
          summary: analysis.summary,
          recommendations: analysis.recommendations,
          costAnalysis: analysis.costAnalysis,
          riskAssessment: analysis.riskAssessment,
        });
        const completed = await new AuditRepository(tx).completeAnalysis(organizationId, audit.id, audit.generation, {
          toolCount: analysis.summary.toolCount,
          totalMonthlyCost: (toCents(analysis.summary.totalMonthlyCost) / 100).toFixed(2),
          potentialMonthlySavings: (toCents(analysis.summary.potentialMonthlySavings) / 100).toFixed(2),
        });
        // A newer analysis was queued while this one ran: drop this result, the newer run will follow.
        if (!completed) throw new StaleRun();
        if (narrate && stored) await new AiNarrativeRepository(tx).queue(organizationId, stored.id, audit.id);
        await new CollaborationActivityRepository(tx).record(organizationId, {
          auditId: audit.id,
          userId: null,
          action: 'analysis_completed',
          metadata: {
            toolCount: analysis.summary.toolCount,
            potentialMonthlySavings: analysis.summary.potentialMonthlySavings,
            healthScore: analysis.summary.healthScore,
          },
        });
      });
      if (narrate) this.onNarrativeQueued();
      return { status: 'completed', auditId: audit.id, summary: analysis.summary };
    } catch (error) {
      if (error instanceof StaleRun) return { status: 'stale', auditId: audit.id };
      const reason = (error as Error).message;
      await new AuditRepository(this.database.db).failAnalysis(organizationId, audit.id, audit.generation, reason);
      return { status: 'failed', auditId: audit.id, reason };
    }
  }
}
