/**
 * An audit as a report (issue #17 point 3): what the PDF and the CSV say, in one model, so the
 * two cannot disagree. Pure: the audit, its stack and its analysis in, rows out. Every figure
 * is the engine's, in the analysis's currency (the organization's base currency unless the
 * audit names its own); nothing is recomputed here except the twelfths of annual prices the
 * tool list shows, as the audit page does.
 */
import {
  renewalShown,
  type Analysis,
  type Level,
  type Recommendation,
  type Renewal,
  type RiskFactor,
} from '../analysis/result.js';
import type { StackData, Tool } from '../analysis/stack.js';
import { fromCents, toCents } from '../money.js';

export interface ReportRecommendation {
  /** 1 for the largest saving, as the audit page lists them. */
  rank: number;
  /** The step of the savings waterfall it was counted at (null: not a saving, e.g. security). */
  step: number | null;
  type: Recommendation['type'];
  title: string;
  detail: string;
  tools: string[];
  monthlySavings: number;
  annualSavings: number;
  /** The engine's arithmetic, e.g. `200 (Microsoft Teams) − 2 Slack seats × 8.75 = 182.5`. */
  arithmetic: string | null;
  monthlyCostAfter: number | null;
  priority: Recommendation['priority'];
  confidence: number;
}

export interface ReportTool {
  name: string;
  vendor: string | null;
  category: string | null;
  /** Null on a public link: people's names are not shown there. */
  owner: string | null;
  seats: number | null;
  /** The active seats the analysis used: measured by an identity provider where one knows the tool, else as typed. */
  activeSeats: number | null;
  /** Where measured: the provider and the day of its sync (`okta, 2026-12-01`); null: as typed. */
  activeSeatsMeasured: { provider: string; syncedOn: string; active30: number; active90: number } | null;
  /** As listed (an annual price as its twelfth), in the tool's own currency. */
  monthlyCost: number | null;
  currency: string;
  billingCycle: string | null;
  renewalDate: string | null;
  /**
   * What the recommendations leave of it (the end of the savings waterfall), in the report's
   * currency; null where the analysis is of another version of the stack, or absent.
   */
  after: { retiredBy: 'consolidate' | 'cancel' | null; monthlyCost: number | null; seats: number | null } | null;
}

export interface AuditReport {
  /** Null on a public link (the public view does not name the organization either). */
  organization: string | null;
  audit: { name: string; status: string; analysedAt: string | null };
  /** The day the report was made (UTC), YYYY-MM-DD. */
  generatedOn: string;
  currency: string;
  /** The engine's summary, with the figures the report adds to it. */
  summary:
    | (Analysis['summary'] & {
        potentialAnnualSavings: number;
        monthlyCostAfterSavings: number;
        perEmployee: number | null;
        riskLevel: Level;
      })
    | null;
  recommendations: ReportRecommendation[];
  byCategory: Analysis['costAnalysis']['byCategory'];
  byTool: Analysis['costAnalysis']['byTool'];
  renewals: Renewal[];
  risks: RiskFactor[];
  tools: ReportTool[];
  /** What the reader must know to read the figures right (rates missing, list prices unused). */
  notes: string[];
}

export interface AuditReportInput {
  organizationName: string;
  audit: { name: string; status: string | null; completedAt: Date | null };
  stack: StackData | null;
  analysis: Analysis | null;
  /** Owners' names are left out of reports made from a public link. */
  includePeople: boolean;
  now: Date;
}

const annual = (monthly: number) => fromCents(toCents(monthly) * 12);

function monthlyOf(tool: Tool): number | null {
  if (tool.monthlyCost !== undefined) return tool.monthlyCost;
  return tool.annualCost === undefined ? null : fromCents(Math.round(toCents(tool.annualCost) / 12));
}

function recommendationsOf(analysis: Analysis): ReportRecommendation[] {
  return analysis.recommendations.map((r, i) => {
    const { step, savings, monthlyCostAfter } = r.evidence;
    return {
      rank: i + 1,
      step: typeof step === 'number' ? step : null,
      type: r.type,
      title: r.title,
      detail: r.detail,
      tools: r.tools,
      monthlySavings: r.estimatedMonthlySavings,
      annualSavings: annual(r.estimatedMonthlySavings),
      arithmetic: typeof savings === 'string' ? savings : null,
      monthlyCostAfter: typeof monthlyCostAfter === 'number' ? monthlyCostAfter : null,
      priority: r.priority,
      confidence: r.confidence,
    };
  });
}

function toolsOf(input: AuditReportInput, currency: string): ReportTool[] {
  const after = input.analysis?.costAnalysis.afterSavings?.tools;
  const measured = new Map((input.analysis?.costAnalysis.usage ?? []).map((u) => [u.tool, u]));
  return (input.stack?.tools ?? []).map((t, i) => {
    const usage = measured.get(t.name);
    // The analysis may be of an earlier version of the stack (a re-analysis under way):
    // what it leaves is shown only where it is of the same tool.
    const left = after?.[i]?.name === t.name ? after[i] : undefined;
    return {
      name: t.name,
      vendor: t.vendor ?? null,
      category: t.category ?? null,
      owner: input.includePeople ? (t.owner ?? null) : null,
      seats: t.seats ?? null,
      activeSeats: usage ? usage.activeSeats : (t.activeSeats ?? null),
      activeSeatsMeasured: usage
        ? {
            provider: usage.provider,
            syncedOn: usage.syncedAt.slice(0, 10),
            active30: usage.active30,
            active90: usage.active90,
          }
        : null,
      monthlyCost: monthlyOf(t),
      currency: t.currency ?? currency,
      billingCycle: t.billingCycle ?? null,
      renewalDate: renewalShown(t, i, input.analysis),
      after: left ? { retiredBy: left.retiredBy, monthlyCost: left.monthlyCost, seats: left.seats } : null,
    };
  });
}

function notesOf(analysis: Analysis | null, currency: string): string[] {
  if (!analysis) return ['No analysis has completed for this audit yet: the report lists the tools only.'];
  const notes: string[] = [];
  const { listPrices, missingRates } = analysis.costAnalysis;
  if (listPrices?.rate === null)
    notes.push(
      `No ${listPrices.currency} rate for ${currency} in the exchange rates: the checks that compare with list prices did not run.`,
    );
  if (missingRates.length > 0) notes.push(`Left out of the totals, no exchange rate: ${missingRates.join(', ')}.`);
  return notes;
}

export function buildAuditReport(input: AuditReportInput): AuditReport {
  const { analysis } = input;
  const currency = analysis?.costAnalysis.currency ?? input.stack?.currency ?? 'USD';
  const s = analysis?.summary;
  return {
    organization: input.includePeople ? input.organizationName : null,
    audit: {
      name: input.audit.name,
      status: input.audit.status ?? 'pending',
      analysedAt: input.audit.completedAt?.toISOString() ?? null,
    },
    generatedOn: input.now.toISOString().slice(0, 10),
    currency,
    summary:
      analysis && s
        ? {
            ...s,
            potentialAnnualSavings: annual(s.potentialMonthlySavings),
            monthlyCostAfterSavings:
              analysis.costAnalysis.afterSavings?.monthlyCost ??
              fromCents(toCents(s.totalMonthlyCost) - toCents(s.potentialMonthlySavings)),
            perEmployee: analysis.costAnalysis.perEmployee,
            riskLevel: analysis.riskAssessment.level,
          }
        : null,
    recommendations: analysis ? recommendationsOf(analysis) : [],
    byCategory: analysis?.costAnalysis.byCategory ?? [],
    byTool: analysis?.costAnalysis.byTool ?? [],
    renewals: [...(analysis?.costAnalysis.renewalsNext90Days ?? [])].sort((a, b) => a.date.localeCompare(b.date)),
    risks: analysis?.riskAssessment.factors ?? [],
    tools: toolsOf(input, currency),
    notes: notesOf(analysis, currency),
  };
}
