/** What the analysis engine answers (`analyze`): the types the API stores and the web app reads. */
import type { UsageUsed } from '../app-usage.js';
import { listedDate } from './rules/common.js';

export type RecommendationType =
  | 'consolidate'
  | 'remove_unused_seats'
  | 'downgrade_plan'
  | 'annual_billing'
  | 'renegotiate'
  | 'cancel'
  | 'security'
  | 'renewal';
export type Level = 'low' | 'medium' | 'high' | 'critical';
export type Priority = 'high' | 'medium' | 'low';

export interface Recommendation {
  type: RecommendationType;
  title: string;
  detail: string;
  tools: string[];
  estimatedMonthlySavings: number;
  priority: Priority;
  confidence: number;
  evidence: Record<string, unknown>;
}

export interface RiskFactor {
  type: string;
  severity: Level;
  tools: string[];
  detail: string;
}

export interface Renewal {
  name: string;
  date: string;
  cancelBy: string | null;
  monthlyCost: number;
}

export interface Analysis {
  summary: {
    headline: string;
    toolCount: number;
    totalMonthlyCost: number;
    totalAnnualCost: number;
    potentialMonthlySavings: number;
    healthScore: number;
  };
  recommendations: Recommendation[];
  costAnalysis: {
    currency: string;
    totalMonthlyCost: number;
    byCategory: { category: string; monthlyCost: number; toolCount: number; share: number }[];
    byTool: { name: string; category: string; monthlyCost: number }[];
    perEmployee: number | null;
    renewalsNext90Days: Renewal[];
    /** Currencies of tools that could not be converted (no rate given): left out of totals. */
    missingRates: string[];
    /**
     * The catalog's list prices are in `currency` (USD); `rate` is 1 of it in the stack's
     * currency, null where no rate is given (the rules that need list prices then do not run).
     * Absent from analyses stored before it existed.
     */
    listPrices?: { currency: string; rate: number | null };
    /**
     * The stack as it would be with every recommendation applied (the end of the savings
     * waterfall): `monthlyCost` is the total minus the savings. Absent from older analyses.
     */
    /**
     * Tools whose active seats came from a connected identity provider instead of the typed
     * figure (domain/app-usage.ts `withMeasuredUsage`). Absent from older analyses.
     */
    usage?: UsageUsed[];
    /**
     * Each tool's next renewal, in the stack's order: its listed date (the contract's end, else
     * the renewal date) while it is to come, else rolled forward by the billing cycle; null
     * where none is listed or the contract ends without renewing. Kept current by the hourly
     * refresh, as the renewals are. `listed` is the date the tool listed (so that a stack
     * edited since is not shown another date's renewal). Absent from older analyses.
     */
    nextRenewals?: { name: string; listed: string | null; date: string | null }[];
    afterSavings?: {
      monthlyCost: number;
      tools: {
        name: string;
        seats: number | null;
        activeSeats: number | null;
        monthlyCost: number | null;
        retiredBy: 'consolidate' | 'cancel' | null;
      }[];
    };
  };
  riskAssessment: { score: number; level: Level; factors: RiskFactor[] };
}

/**
 * The renewal date to show for the stack's tool at `index`: the analysis's next renewal of it
 * (a passed date rolled forward, kept current by the hourly refresh) where the analysis read
 * this tool with this date, else the date as listed (a stack edited since its analysis, an
 * analysis stored before `nextRenewals`). The web app's list of tools does the same.
 */
export function renewalShown(
  tool: { name: string; contractEndDate?: string; renewalDate?: string },
  index: number,
  analysis: { costAnalysis: Pick<Analysis['costAnalysis'], 'nextRenewals'> } | null | undefined,
): string | null {
  const listed = listedDate(tool);
  const kept = analysis?.costAnalysis.nextRenewals?.[index];
  return kept && kept.name === tool.name && kept.listed === listed ? kept.date : listed;
}
