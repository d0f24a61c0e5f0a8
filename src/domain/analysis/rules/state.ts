/**
 * The running state of an analysis: every rule reads it and answers what it found (a
 * `RuleOutcome`); the engine folds each outcome into the state the next rule reads. Nothing
 * else carries information between rules.
 *
 * A tool appears twice over: as the stack lists it (`tool`, `cents`, `seats`, … — facts no
 * rule changes) and as the rules so far leave it (`left`: retired or not, seats, the people
 * using it, cost, tier, billing cycle). A saving rule counts its savings on `left` and
 * leaves it as the bill would be after its change: the savings are a waterfall, each step
 * on what the steps before left, so that nothing is saved twice and the savings add up to
 * exactly the bill before minus the bill after.
 */
import { fromCents, scaleCents, toCents } from '../../money.js';
import { findInCatalog, type CatalogEntry, type TierFact } from '../catalog.js';
import type { Priority, Recommendation, RecommendationType, Renewal, RiskFactor } from '../result.js';
import type { StackData, Tool } from '../stack.js';
import { dayNumber, isPerSeat, listPrice, RULES, type Cycle } from './common.js';

/** What every rule may read and none changes. */
export interface AnalysisContext {
  /** The stack's currency: every `cents` below is in it. */
  readonly currency: string;
  /** The day of the analysis, 'YYYY-MM-DD', and as a day number (`common.dayNumber`). */
  readonly today: string;
  readonly todayDay: number;
  /** The stack's monthly cost in cents (tools that could be converted): priorities are relative to it. */
  readonly totalCents: number;
  /**
   * 1 USD in the stack's currency, to convert the catalog's list prices (which are in USD):
   * 1 for a USD stack, else the rate given for USD, else null (list prices are then not used).
   */
  readonly usdRate: number | null;
}

/** A catalog list price (USD a seat a month) in the stack's currency, cents; null without a USD rate. */
export function listCents(context: AnalysisContext, usd: number): number | null {
  return context.usdRate === null ? null : scaleCents(toCents(usd), context.usdRate);
}

/** The catalog tier a team pays for, recognised by its price per seat. */
export interface TierMatch {
  tiers: readonly TierFact[];
  index: number;
  cycle: Cycle;
  unitCents: number;
}

/** A tool as the rules see it. */
export interface ToolState {
  /** Its place in the stack (ties between tools break on it). */
  readonly index: number;
  readonly tool: Tool;
  readonly catalog: CatalogEntry | null;
  /** The stack's category, else the catalog's, else 'uncategorized'. */
  readonly category: string;
  readonly vendor: string;
  /** Monthly cost in the stack's currency, cents; null when it could not be converted. */
  readonly cents: number | null;
  readonly seats: number | null;
  readonly activeSeats: number | null;
  /** The catalog tier the unit price identifies (USD stacks, per-seat tools with a price ladder). */
  readonly tier: TierMatch | null;
  /** What the rules so far leave of the tool. */
  readonly left: Left;
}

export interface Left {
  /** The rule that retired the tool (later rules pass it by), or null while it stays. */
  readonly retiredBy: Extract<RecommendationType, 'consolidate' | 'cancel'> | null;
  /** Seats paid for: as listed (0 when unknown) until a rule removes or adds some. */
  readonly seats: number;
  /**
   * The people using it: its active seats as listed, plus those a consolidation moves onto
   * it; null when unknown (no seat is then idle).
   */
  readonly activeSeats: number | null;
  /** Monthly cost, cents: as listed (0 when unknown) until a rule lowers it. */
  readonly cents: number;
  /** The tier paid for: the one the price identifies until a rule moves it down. */
  readonly tier: TierFact | null;
  /** The billing cycle: as listed until annual billing is recommended. */
  readonly cycle: Cycle | null;
}

/** A recommendation with its savings in exact cents (the order of the list depends on them). */
export interface Finding {
  readonly recommendation: Recommendation;
  readonly cents: number;
}

export interface AnalysisState {
  /** The stack's tools, in its order. */
  readonly tools: readonly ToolState[];
  /** In the order the rules found them; the engine sorts them at the end. */
  readonly findings: readonly Finding[];
  readonly renewals: readonly Renewal[];
  readonly riskFactors: readonly RiskFactor[];
}

/** What a rule answers: the tools as it leaves them (when it changes any), and what it found. */
export interface RuleOutcome {
  tools?: readonly ToolState[];
  findings?: readonly Finding[];
  renewals?: readonly Renewal[];
  riskFactors?: readonly RiskFactor[];
}

export type Rule = (state: AnalysisState, context: AnalysisContext) => RuleOutcome;

/** A rule that changes the stack: the tools as it leaves them, and the recommendations it makes. */
export type SavingRule = (
  state: AnalysisState,
  context: AnalysisContext,
) => { tools: readonly ToolState[]; findings: Finding[] };

/** The state the next rule reads: tools replaced, findings added after those before. */
export function withOutcome(state: AnalysisState, outcome: RuleOutcome): AnalysisState {
  return {
    tools: outcome.tools ?? state.tools,
    findings: outcome.findings?.length ? [...state.findings, ...outcome.findings] : state.findings,
    renewals: outcome.renewals?.length ? [...state.renewals, ...outcome.renewals] : state.renewals,
    riskFactors: outcome.riskFactors?.length ? [...state.riskFactors, ...outcome.riskFactors] : state.riskFactors,
  };
}

/** The tool with the changes a rule makes to what is left of it. */
export const leave = (tool: ToolState, changes: Partial<Left>): ToolState => ({
  ...tool,
  left: { ...tool.left, ...changes },
});

/** Retired: nothing of the tool is left to pay for, and nobody uses it any more. */
export const retire = (tool: ToolState, by: NonNullable<Left['retiredBy']>): ToolState =>
  leave(tool, { retiredBy: by, seats: 0, activeSeats: 0, cents: 0 });

function priorityOf(savingsCents: number, totalCents: number): Priority {
  if (savingsCents >= 50_000 || (totalCents > 0 && savingsCents / totalCents >= 0.1)) return 'high';
  if (savingsCents >= 10_000 || (totalCents > 0 && savingsCents / totalCents >= 0.03)) return 'medium';
  return 'low';
}

/** A recommendation saving `cents` a month; its priority follows the share of the total unless given. */
export function recommend(
  context: AnalysisContext,
  recommendation: Omit<Recommendation, 'estimatedMonthlySavings' | 'priority'>,
  cents: number,
  priority?: Priority,
): Finding {
  return {
    recommendation: {
      ...recommendation,
      estimatedMonthlySavings: fromCents(cents),
      priority: priority ?? priorityOf(cents, context.totalCents),
    },
    cents,
  };
}

/**
 * The seats left of a tool that stays and is priced by the seat, where some are idle (the
 * people using it, consolidated users included, fill seats first); else null.
 */
export function idleSeats(t: ToolState): { seats: number; activeSeats: number; idle: number } | null {
  const { seats, activeSeats } = t.left;
  if (t.left.retiredBy || t.seats === null || activeSeats === null || !isPerSeat(t.tool)) return null;
  const idle = seats - activeSeats;
  return idle > 0 ? { seats, activeSeats, idle } : null;
}

/**
 * The price of one more (or one fewer) seat of a tool, cents a month, and where it comes
 * from: what is left of its cost ÷ the seats left, else the catalog's list price on its
 * billing cycle (converted to the stack's currency), else unknown (so for a tool billed in a
 * currency that has no rate). `counted` says whether the
 * tool's cost is part of the stack's total: a saving is only counted on a cost that is.
 */
export function seatPrice(
  t: ToolState,
  context: AnalysisContext,
): { cents: number | null; from: string; counted: boolean } {
  if (t.cents !== null && t.cents > 0 && t.left.cents > 0 && t.left.seats > 0) {
    return { cents: Math.round(t.left.cents / t.left.seats), from: 'monthly cost ÷ seats', counted: true };
  }
  const price = t.catalog?.price;
  // A tool billed in a currency with no rate: what it costs in the stack's currency is not known.
  if (price && t.cents !== null) {
    const list = t.left.cycle === 'annual' ? price.annualMonthly : price.monthly;
    const cents = list === null ? null : listCents(context, list);
    if (cents !== null) return { cents, from: `catalog list price (${price.tier}, ${price.source})`, counted: false };
  }
  return { cents: null, from: 'unknown', counted: false };
}

/** Recognise the tier a team pays for from its price per seat (within RULES.tierMatchTolerance). */
function matchTier(
  tool: Tool,
  catalog: CatalogEntry | null,
  cents: number | null,
  usdRate: number | null,
): TierMatch | null {
  const tiers = catalog?.price?.tiers;
  if (!tiers || usdRate === null || cents === null || cents === 0 || !tool.seats) return null;
  if (!isPerSeat(tool)) return null;
  const unitCents = Math.round(cents / tool.seats);
  const cycles = tool.billingCycle ? [tool.billingCycle] : (['monthly', 'annual'] as const);
  for (const cycle of cycles) {
    for (const [index, tier] of tiers.entries()) {
      const list = listPrice(tier, cycle);
      if (list === null) continue;
      const listCents = scaleCents(toCents(list), usdRate);
      if (Math.abs(unitCents - listCents) <= listCents * RULES.tierMatchTolerance)
        return { tiers, index, cycle, unitCents };
    }
  }
  return null;
}

function monthlyCents(tool: Tool): number {
  if (tool.monthlyCost !== undefined) return toCents(tool.monthlyCost);
  if (tool.annualCost !== undefined) return Math.round(toCents(tool.annualCost) / 12);
  return 0;
}

export interface AnalysisStart {
  context: AnalysisContext;
  state: AnalysisState;
  /** Currencies of tools that could not be converted (no rate given), sorted. */
  missingRates: string[];
}

/** The currency of the catalog's list prices. */
export const LIST_PRICE_CURRENCY = 'USD';

/**
 * The tools as the rules first see them: costs in the stack's currency (converted with
 * `rates`; null where a rate is missing), catalog entry, category, vendor, tier paid for.
 */
export function startAnalysis(
  stack: StackData,
  today: string,
  rates: Record<string, number> | undefined,
): AnalysisStart {
  const currency = stack.currency ?? 'USD';
  const usdRate = currency === LIST_PRICE_CURRENCY ? 1 : (rates?.[LIST_PRICE_CURRENCY] ?? null);
  const missing = new Set<string>();
  const tools = stack.tools.map((tool, index): ToolState => {
    const catalog = findInCatalog(tool.name);
    let cents: number | null = monthlyCents(tool);
    const toolCurrency = tool.currency ?? currency;
    if (toolCurrency !== currency && cents !== 0) {
      const rate = rates?.[toolCurrency];
      if (rate === undefined) {
        missing.add(toolCurrency);
        cents = null;
      } else {
        cents = scaleCents(cents, rate);
      }
    }
    const tier = matchTier(tool, catalog, cents, usdRate);
    return {
      index,
      tool,
      catalog,
      category: tool.category?.trim() || catalog?.category || 'uncategorized',
      vendor: tool.vendor?.trim() || catalog?.vendor || tool.name,
      cents,
      seats: tool.seats ?? null,
      activeSeats: tool.activeSeats ?? null,
      tier,
      left: {
        retiredBy: null,
        seats: tool.seats ?? 0,
        activeSeats: tool.activeSeats ?? null,
        cents: cents ?? 0,
        tier: tier ? tier.tiers[tier.index]! : null,
        cycle: tier?.cycle ?? tool.billingCycle ?? null,
      },
    };
  });
  const totalCents = tools.reduce((sum, t) => sum + (t.cents ?? 0), 0);
  return {
    context: { currency, today, todayDay: dayNumber(today), totalCents, usdRate },
    state: { tools, findings: [], renewals: [], riskFactors: [] },
    missingRates: [...missing].sort(),
  };
}
