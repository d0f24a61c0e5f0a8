/**
 * The analysis engine: a pure function from a stack to its analysis. No I/O, no clock, no
 * randomness: `today` is an input, so the same input gives the same output. Money is
 * computed in integer cents and reported with two decimals. Every recommendation carries
 * the inputs and arithmetic behind its savings in `evidence`.
 *
 * The work is done by the rules in `rules/`, run in the order of `RULE_ORDER` over an
 * explicit running state (`rules/state.ts`); this file builds the first state, runs them and
 * assembles the answer.
 */
import { formatMoney, fromCents } from '../money.js';
import type { Analysis, Level, Recommendation, RecommendationType } from './result.js';
import { annualBilling } from './rules/annual-billing.js';
import { cancelUnused } from './rules/cancel-unused.js';
import { round2 } from './rules/common.js';
import { consolidate } from './rules/consolidate.js';
import { downgradePlan } from './rules/downgrade-plan.js';
import { removeIdleSeats } from './rules/idle-seats.js';
import { renegotiate } from './rules/renegotiate.js';
import { nextRenewals, renewals } from './rules/renewals.js';
import { risk } from './rules/risk.js';
import { LIST_PRICE_CURRENCY, startAnalysis, withOutcome, type Rule } from './rules/state.js';
import type { StackData } from './stack.js';

export type { Analysis, Level, Priority, Recommendation, RecommendationType, RiskFactor } from './result.js';
export { RULES } from './rules/common.js';

export interface AnalysisInput {
  stack: StackData;
  /** The day the analysis is for, 'YYYY-MM-DD' (renewals and notice periods count from it). */
  today: string;
  /** 1 unit of a tool's currency = rate units of the stack's currency. */
  rates?: Record<string, number>;
}

/**
 * The rules, in the order they run: the savings waterfall (consolidate → cancel unused →
 * remove idle seats → downgrade plan → annual billing → renegotiate), each saving rule on what
 * the earlier ones leave of each tool (retired, users moved, seats kept, the lower tier, the
 * cycle), so that no saving is counted twice and together they are exactly the bill before
 * minus the bill after; then renewals and risk, which read the stack as listed.
 */
export const RULE_ORDER: readonly Rule[] = Object.freeze([
  consolidate,
  cancelUnused,
  removeIdleSeats,
  downgradePlan,
  annualBilling,
  renegotiate,
  renewals,
  risk,
]);

/** The order of recommendations saving the same: by type, then by the tools they name. */
const inListOrder = (a: Recommendation, b: Recommendation): number =>
  a.type.localeCompare(b.type) || a.tools.join().localeCompare(b.tools.join());

/** The order the analysis lists recommendations in: largest saving first. */
export const recommendationOrder = (a: Recommendation, b: Recommendation): number =>
  Math.round(b.estimatedMonthlySavings * 100) - Math.round(a.estimatedMonthlySavings * 100) || inListOrder(a, b);

/** The recommendations that change the bill: the waterfall's steps. */
const WATERFALL: ReadonlySet<RecommendationType> = new Set([
  'consolidate',
  'cancel',
  'remove_unused_seats',
  'downgrade_plan',
  'annual_billing',
  'renegotiate',
]);

const SEVERITY_WEIGHT: Record<Level, number> = { low: 5, medium: 15, high: 25, critical: 40 };

export function analyze(input: AnalysisInput): Analysis {
  const start = startAnalysis(input.stack, input.today, input.rates);
  const { context } = start;
  let state = start.state;
  for (const rule of RULE_ORDER) state = withOutcome(state, rule(state, context));

  const { currency, totalCents } = context;
  const money = fromCents;
  const riskScore = Math.min(
    100,
    state.riskFactors.reduce((sum, f) => sum + SEVERITY_WEIGHT[f.severity], 0),
  );
  const riskLevel: Level = riskScore >= 75 ? 'critical' : riskScore >= 50 ? 'high' : riskScore >= 25 ? 'medium' : 'low';

  // The waterfall's steps in the order they were applied, each with the bill it leaves.
  let billCents = totalCents;
  let step = 0;
  const steps = state.findings.map((f) => {
    if (!WATERFALL.has(f.recommendation.type)) return f;
    billCents -= f.cents;
    step += 1;
    return {
      ...f,
      recommendation: {
        ...f.recommendation,
        evidence: { step, ...f.recommendation.evidence, monthlyCostAfter: money(billCents) },
      },
    };
  });
  const findings = [...steps].sort((a, b) => b.cents - a.cents || inListOrder(a.recommendation, b.recommendation));
  // Exactly the sum of the recommendations: the waterfall never saves more than the bill.
  const savingsCents = findings.reduce((sum, f) => sum + f.cents, 0);
  const costed = state.tools.filter((t) => t.cents !== null);
  const categories = new Map<string, { cents: number; count: number }>();
  for (const t of costed) {
    const c = categories.get(t.category) ?? { cents: 0, count: 0 };
    c.cents += t.cents!;
    c.count += 1;
    categories.set(t.category, c);
  }
  const toolCount = state.tools.length;
  const savingsShare = totalCents > 0 ? savingsCents / totalCents : 0;
  const healthScore = Math.max(0, Math.min(100, Math.round(100 - 60 * savingsShare - 0.4 * riskScore)));
  const employees = input.stack.employeeCount;
  const tools = toolCount === 1 ? '1 tool costs' : `${toolCount} tools cost`;
  const headline =
    toolCount === 0
      ? 'No tools listed yet: add the tools you pay for to see where money goes.'
      : savingsCents > 0
        ? `${tools} ${formatMoney(money(totalCents), currency)} a month; ${formatMoney(money(savingsCents), currency)} (${Math.round(savingsShare * 100)}%) could be saved.`
        : `${tools} ${formatMoney(money(totalCents), currency)} a month; no savings found.`;

  return {
    summary: {
      headline,
      toolCount,
      totalMonthlyCost: money(totalCents),
      totalAnnualCost: money(totalCents * 12),
      potentialMonthlySavings: money(savingsCents),
      healthScore,
    },
    recommendations: findings.map((f) => f.recommendation),
    costAnalysis: {
      currency,
      totalMonthlyCost: money(totalCents),
      byCategory: [...categories]
        .map(([category, c]) => ({
          category,
          monthlyCost: money(c.cents),
          toolCount: c.count,
          share: totalCents > 0 ? round2(c.cents / totalCents) : 0,
        }))
        .sort((a, b) => b.monthlyCost - a.monthlyCost || a.category.localeCompare(b.category)),
      byTool: costed
        .map((t) => ({ name: t.tool.name, category: t.category, monthlyCost: money(t.cents!) }))
        .sort((a, b) => b.monthlyCost - a.monthlyCost || a.name.localeCompare(b.name)),
      perEmployee: employees ? money(Math.round(totalCents / employees)) : null,
      renewalsNext90Days: [...state.renewals],
      nextRenewals: nextRenewals(state, context),
      missingRates: start.missingRates,
      listPrices: { currency: LIST_PRICE_CURRENCY, rate: context.usdRate },
      afterSavings: {
        monthlyCost: money(totalCents - savingsCents),
        tools: state.tools.map((t) => ({
          name: t.tool.name,
          seats: t.seats === null ? null : t.left.seats,
          activeSeats: t.left.activeSeats,
          monthlyCost: t.cents === null ? null : money(t.left.cents),
          retiredBy: t.left.retiredBy,
        })),
      },
    },
    riskAssessment: { score: riskScore, level: riskLevel, factors: [...state.riskFactors] },
  };
}
