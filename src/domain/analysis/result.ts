/** What the analysis engine answers (`analyze`): the types the API stores and the web app reads. */

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
  };
  riskAssessment: { score: number; level: Level; factors: RiskFactor[] };
}
