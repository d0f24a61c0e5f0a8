/**
 * Savings verified later: a recommendation is accepted (who, when), and from then on the
 * books — the organization's software spend — say whether its saving was seen
 * (domain/savings-verification.ts does the arithmetic).
 */
import { transaction, type Database } from '../db/database.js';
import { findInCatalog } from '../domain/analysis/catalog.js';
import type { Recommendation } from '../domain/analysis/result.js';
import { toBaseCents } from '../domain/currency.js';
import { todayIn } from '../domain/days.js';
import { toCents } from '../domain/money.js';
import { readSettings } from '../domain/organization-settings.js';
import {
  BASELINE_MONTHS,
  monthPlus,
  recommendationKey,
  toolKey,
  verifySavings,
  type SavingsVerification,
  type Verification,
} from '../domain/savings-verification.js';
import { ConflictError, NotFoundError } from '../errors.js';
import {
  AcceptedRecommendationRepository,
  type AcceptedRecommendation,
} from '../repositories/accepted-recommendation.repository.js';
import { ExchangeRateRepository } from '../repositories/exchange-rate.repository.js';
import { ToolCostRepository } from '../repositories/tool-cost.repository.js';
import type { Actor } from './actor.js';
import { openAudit, openAuditWithAnalysis } from './audit-access.js';

/** The names a tool may have in the books, lower-cased: as typed, and the catalog's name and aliases. */
function spellings(tool: string): string[] {
  const entry = findInCatalog(tool);
  return [tool.trim().toLowerCase(), ...(entry ? [entry.name, ...entry.aliases].map((n) => n.toLowerCase()) : [])];
}

export interface AcceptanceView {
  acceptance: AcceptedRecommendation;
  /** How the books see it: its group (acceptances sharing a tool are verified together). */
  verification: Verification;
}

export interface SavingsOverview {
  currency: string;
  acceptances: AcceptanceView[];
  total: SavingsVerification['total'];
}

export class SavingsService {
  constructor(private readonly database: Database) {}

  /** Accepts a recommendation of the audit's latest analysis (edit access); 409 when accepted already. */
  async accept(actor: Actor, auditId: string, which: { type: string; tools: string[] }): Promise<AcceptanceView> {
    const opened = await openAuditWithAnalysis(this.database.db, actor, auditId, 'edit');
    const analysis = opened.analysis;
    const recommendations = analysis?.recommendations ? (JSON.parse(analysis.recommendations) as Recommendation[]) : [];
    const key = recommendationKey(which);
    const found = recommendations.find((r) => recommendationKey(r) === key);
    if (!found) throw new NotFoundError('recommendation');
    const currency = analysis?.costAnalysis
      ? ((JSON.parse(analysis.costAnalysis) as { currency?: string }).currency ?? 'USD')
      : 'USD';
    const created = await new AcceptedRecommendationRepository(this.database.db).create(actor.organization.id, {
      auditId,
      recommendationKey: key,
      type: found.type,
      title: found.title.slice(0, 500),
      tools: found.tools,
      expectedMonthlySavings: found.estimatedMonthlySavings.toFixed(2),
      currency,
      acceptedBy: actor.user.id,
    });
    if (!created) throw new ConflictError('This recommendation is accepted already.');
    const overview = await this.overview(actor);
    const view = overview.acceptances.find((a) => a.acceptance.id === created.id);
    // Withdrawn by someone else in the meantime.
    if (!view) throw new ConflictError('This acceptance was withdrawn meanwhile.');
    return view;
  }

  /** Withdraws an acceptance (edit access on its audit). */
  async withdraw(actor: Actor, auditId: string, acceptanceId: string): Promise<void> {
    await transaction(this.database.db, async (tx) => {
      await openAudit(tx, actor, auditId, 'edit');
      if (!(await new AcceptedRecommendationRepository(tx).delete(actor.organization.id, auditId, acceptanceId))) {
        throw new NotFoundError('acceptance');
      }
    });
  }

  /** The acceptances of one audit the caller may view, each with what the books show. */
  async forAudit(actor: Actor, auditId: string): Promise<SavingsOverview> {
    await openAudit(this.database.db, actor, auditId, 'view');
    const overview = await this.overview(actor);
    return { ...overview, acceptances: overview.acceptances.filter((a) => a.acceptance.auditId === auditId) };
  }

  /**
   * Every acceptance of the organization with what the books show, and the totals (the
   * dashboard): expected against seen, in the base currency. Acceptances are the
   * organization's decisions, read by every member (their audits' names are not shown).
   */
  async overview(actor: Actor, now = new Date()): Promise<SavingsOverview> {
    const organizationId = actor.organization.id;
    const settings = readSettings(actor.organization.settings);
    const base = settings.baseCurrency;
    const db = this.database.db;
    const [accepted, rates] = await Promise.all([
      new AcceptedRecommendationRepository(db).listVisible(organizationId, {
        userId: actor.user.id,
        role: actor.user.role,
      }),
      new ExchangeRateRepository(db).asTable(organizationId),
    ]);
    const currentMonth = todayIn(settings.timeZone, now).slice(0, 7);
    const acceptances = accepted.map((a) => ({
      id: a.id,
      key: a.recommendationKey,
      tools: a.tools,
      expectedCents: toBaseCents(toCents(a.expectedMonthlySavings), a.currency, base, rates),
      acceptedOn: todayIn(settings.timeZone, a.acceptedAt),
    }));
    let spend: { tool: string; month: string; cents: number }[] = [];
    let monthsWithSpend = new Set<string>();
    if (acceptances.length > 0) {
      const earliest = acceptances.map((a) => a.acceptedOn.slice(0, 7)).sort()[0]!;
      const from = `${monthPlus(earliest, -BASELINE_MONTHS)}-01`;
      // Every spelling the books may use: as typed, the catalog's name and its aliases.
      const names = [...new Set(acceptances.flatMap((a) => a.tools.flatMap(spellings)))];
      const costs = new ToolCostRepository(db);
      let rows;
      [rows, monthsWithSpend] = await Promise.all([
        costs.monthlySpendOfTools(organizationId, names, from, `${currentMonth}-01`),
        costs.monthsWithSpend(organizationId, from, `${currentMonth}-01`),
      ]);
      // Lines in a currency without a rate cannot be compared: left out (like the summary, which names them).
      spend = rows.flatMap((r) => {
        const cents = toBaseCents(toCents(r.total), r.currency, base, rates);
        return cents === null ? [] : [{ tool: toolKey(r.toolName), month: r.month, cents }];
      });
    }
    const verified = verifySavings(acceptances, spend, currentMonth, monthsWithSpend);
    const groupOf = new Map(verified.groups.flatMap((g) => g.acceptanceIds.map((id) => [id, g] as const)));
    return {
      currency: base,
      acceptances: accepted.map((acceptance) => ({ acceptance, verification: groupOf.get(acceptance.id)! })),
      total: verified.total,
    };
  }
}
