/**
 * The analysis engine: a pure function from a stack to its analysis. No I/O, no clock, no
 * randomness: `today` is an input, so the same input gives the same output. Money is
 * computed in integer cents and reported with two decimals. Every recommendation carries
 * the inputs and arithmetic behind its savings in `evidence`.
 */
import { fromCents, scaleCents, toCents } from '../money.js';
import { findInCatalog, OVERLAP_GROUPS, type CatalogEntry, type TierFact } from './catalog.js';
import type { StackData, Tool } from './stack.js';

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
    renewalsNext90Days: { name: string; date: string; cancelBy: string | null; monthlyCost: number }[];
    /** Currencies of tools that could not be converted (no rate given): left out of totals. */
    missingRates: string[];
  };
  riskAssessment: { score: number; level: Level; factors: RiskFactor[] };
}

export interface AnalysisInput {
  stack: StackData;
  /** The day the analysis is for, 'YYYY-MM-DD' (renewals and notice periods count from it). */
  today: string;
  /** 1 unit of a tool's currency = rate units of the stack's currency. */
  rates?: Record<string, number>;
}

/** Thresholds, named so that the evidence can quote them. */
export const RULES = Object.freeze({
  renewalWindowDays: 90,
  cancelByWarningDays: 30,
  trialWarningDays: 14,
  ssoSeatThreshold: 25,
  vendorConcentrationShare: 0.4,
  renegotiateAbove: 1.2,
  /** A unit price within 3% of a tier's list price is taken to be that tier. */
  tierMatchTolerance: 0.03,
});

interface Item {
  tool: Tool;
  index: number;
  catalog: CatalogEntry | null;
  category: string;
  vendor: string;
  /** Monthly cost in the stack's currency, cents; null when it could not be converted. */
  cents: number | null;
  seats: number | null;
  activeSeats: number | null;
  /** The catalog tier the unit price identifies (USD stacks, per-seat tools with a price ladder). */
  tier: TierMatch | null;
}

interface TierMatch {
  tiers: readonly TierFact[];
  index: number;
  cycle: 'monthly' | 'annual';
  unitCents: number;
}

const listPrice = (tier: TierFact, cycle: 'monthly' | 'annual'): number | null =>
  cycle === 'monthly' ? tier.monthly : tier.annualMonthly;

/** Recognise the tier a team pays for from its price per seat (within RULES.tierMatchTolerance). */
function matchTier(tool: Tool, catalog: CatalogEntry | null, cents: number | null, currency: string): TierMatch | null {
  const tiers = catalog?.price?.tiers;
  if (!tiers || currency !== 'USD' || cents === null || cents === 0 || !tool.seats) return null;
  if (tool.pricingModel === 'flat' || tool.pricingModel === 'usage') return null;
  const unitCents = Math.round(cents / tool.seats);
  const cycles = tool.billingCycle ? [tool.billingCycle] : (['monthly', 'annual'] as const);
  for (const cycle of cycles) {
    for (const [index, tier] of tiers.entries()) {
      const list = listPrice(tier, cycle);
      if (list === null) continue;
      const listCents = toCents(list);
      if (Math.abs(unitCents - listCents) <= listCents * RULES.tierMatchTolerance)
        return { tiers, index, cycle, unitCents };
    }
  }
  return null;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const round2 = (n: number): number => Math.round(n * 100) / 100;

function monthlyCents(tool: Tool): number {
  if (tool.monthlyCost !== undefined) return toCents(tool.monthlyCost);
  if (tool.annualCost !== undefined) return Math.round(toCents(tool.annualCost) / 12);
  return 0;
}

function prepare(input: AnalysisInput, currency: string, missing: Set<string>): Item[] {
  return input.stack.tools.map((tool, index) => {
    const catalog = findInCatalog(tool.name);
    let cents: number | null = monthlyCents(tool);
    const toolCurrency = tool.currency ?? currency;
    if (toolCurrency !== currency && cents !== 0) {
      const rate = input.rates?.[toolCurrency];
      if (rate === undefined) {
        missing.add(toolCurrency);
        cents = null;
      } else {
        cents = scaleCents(cents, rate);
      }
    }
    return {
      tool,
      index,
      catalog,
      category: tool.category?.trim() || catalog?.category || 'uncategorized',
      vendor: tool.vendor?.trim() || catalog?.vendor || tool.name,
      cents,
      seats: tool.seats ?? null,
      activeSeats: tool.activeSeats ?? null,
      tier: matchTier(tool, catalog, cents, currency),
    };
  });
}

/** How much a tool is used, to choose which of overlapping tools to keep. */
const usage = (item: Item): [number, number, number] => [item.activeSeats ?? -1, item.seats ?? -1, item.cents ?? 0];
function mostUsed(items: Item[]): Item {
  return [...items].sort((a, b) => {
    const [ua, ub] = [usage(a), usage(b)];
    for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return ub[i]! - ua[i]!;
    return a.index - b.index;
  })[0]!;
}

function priorityOf(savingsCents: number, totalCents: number): Priority {
  if (savingsCents >= 50_000 || (totalCents > 0 && savingsCents / totalCents >= 0.1)) return 'high';
  if (savingsCents >= 10_000 || (totalCents > 0 && savingsCents / totalCents >= 0.03)) return 'medium';
  return 'low';
}

// Categories where two tools almost always mean paying twice for one job.
const CONSOLIDATABLE = new Set([
  'communication',
  'video_conferencing',
  'project_management',
  'documentation',
  'file_storage',
  'design',
  'whiteboard',
  'office_suite',
  'code_hosting',
  'monitoring',
  'error_tracking',
  'incident_management',
  'crm',
  'customer_support',
  'email_marketing',
  'social_media',
  'seo',
  'analytics',
  'business_intelligence',
  'password_management',
  'identity',
  'device_management',
  'e_signature',
  'scheduling',
  'forms',
  'video_messaging',
  'meeting_notes',
  'accounting',
  'expenses',
  'payroll',
  'feature_flags',
]);

export function analyze(input: AnalysisInput): Analysis {
  const currency = input.stack.currency ?? 'USD';
  const missingRates = new Set<string>();
  const items = prepare(input, currency, missingRates);
  const today = dayNumber(input.today);
  const costed = items.filter((i) => i.cents !== null);
  const totalCents = costed.reduce((sum, i) => sum + i.cents!, 0);
  const recommendations: { rec: Recommendation; cents: number }[] = [];
  const add = (rec: Omit<Recommendation, 'estimatedMonthlySavings' | 'priority'>, cents: number, priority?: Priority) =>
    recommendations.push({
      rec: { ...rec, estimatedMonthlySavings: fromCents(cents), priority: priority ?? priorityOf(cents, totalCents) },
      cents,
    });
  const money = (cents: number) => fromCents(cents);

  // 1. Consolidation: known overlapping tools first, then other tools sharing a category.
  const removed = new Set<number>();
  const groups: { need: string; members: Item[]; reason: 'known_overlap' | 'same_category' }[] = [];
  for (const group of OVERLAP_GROUPS) {
    const members = items.filter((i) => i.catalog && group.tools.includes(i.catalog.name) && !removed.has(i.index));
    const distinct = new Set(members.map((m) => m.catalog!.name));
    if (distinct.size >= 2) {
      groups.push({ need: group.need, members, reason: 'known_overlap' });
      for (const m of members) removed.add(m.index);
    }
  }
  const byCategory = new Map<string, Item[]>();
  for (const item of items) {
    if (removed.has(item.index) || !CONSOLIDATABLE.has(item.category)) continue;
    byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item]);
  }
  for (const [category, members] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
    if (members.length >= 2) groups.push({ need: category.replace(/_/g, ' '), members, reason: 'same_category' });
  }
  const dropped = new Set<number>();
  for (const group of groups) {
    const keep = mostUsed(group.members);
    const others = group.members.filter((m) => m !== keep);
    const savings = others.reduce((sum, m) => sum + (m.cents ?? 0), 0);
    for (const m of others) dropped.add(m.index);
    add(
      {
        type: 'consolidate',
        title: `Consolidate ${group.need} on ${keep.tool.name}`,
        detail: `${group.members.map((m) => m.tool.name).join(', ')} do the same job. Keeping ${keep.tool.name} (the most used) and retiring ${others.map((m) => m.tool.name).join(', ')} saves their cost.`,
        tools: group.members.map((m) => m.tool.name),
        confidence: group.reason === 'known_overlap' ? 0.7 : 0.5,
        evidence: {
          reason: group.reason,
          need: group.need,
          keep: { name: keep.tool.name, activeSeats: keep.activeSeats, seats: keep.seats },
          retire: others.map((m) => ({ name: m.tool.name, monthlyCost: m.cents === null ? null : money(m.cents) })),
          savings: `${others.map((m) => money(m.cents ?? 0)).join(' + ')} = ${money(savings)}`,
        },
      },
      savings,
    );
  }

  // 2. Unused tools and idle seats (on tools that stay). Each later step counts its savings on
  // what the earlier ones leave (fewer seats, a cheaper tier), so that the savings add up.
  const keptSeats = new Map<number, number>();
  const remaining = new Map<number, number>();
  const seatsOf = (item: Item): number => keptSeats.get(item.index) ?? item.seats ?? 0;
  const costOf = (item: Item): number => remaining.get(item.index) ?? item.cents ?? 0;
  for (const item of items) {
    if (dropped.has(item.index) || item.seats === null || item.activeSeats === null) continue;
    if (item.tool.pricingModel === 'flat' || item.tool.pricingModel === 'usage') continue;
    const idle = item.seats - item.activeSeats;
    if (idle <= 0) continue;
    let unitCents: number | null = null;
    let unitSource: string;
    if (item.cents !== null && item.cents > 0 && item.seats > 0) {
      unitCents = Math.round(item.cents / item.seats);
      unitSource = 'monthly cost ÷ seats';
    } else if (item.catalog?.price && currency === 'USD') {
      const list = item.tool.billingCycle === 'annual' ? item.catalog.price.annualMonthly : item.catalog.price.monthly;
      unitCents = list === null ? null : toCents(list);
      unitSource = `catalog list price (${item.catalog.price.tier}, ${item.catalog.price.source})`;
    } else {
      unitSource = 'unknown';
    }
    if (item.activeSeats === 0) {
      const savings = item.cents ?? 0;
      add(
        {
          type: 'cancel',
          title: `Cancel ${item.tool.name}: nobody uses it`,
          detail: `${item.tool.name} has ${item.seats} paid seats and none in use.`,
          tools: [item.tool.name],
          confidence: 0.8,
          evidence: { seats: item.seats, activeSeats: 0, monthlyCost: money(savings), savings: money(savings) },
        },
        savings,
      );
      dropped.add(item.index);
      continue;
    }
    const savings = unitCents === null ? 0 : unitCents * idle;
    if (unitCents !== null) {
      keptSeats.set(item.index, item.activeSeats);
      if (item.cents !== null) remaining.set(item.index, Math.max(0, item.cents - savings));
    }
    add(
      {
        type: 'remove_unused_seats',
        title: `Remove ${idle} unused ${item.tool.name} seat${idle === 1 ? '' : 's'}`,
        detail: `${item.activeSeats} of ${item.seats} seats are in use.`,
        tools: [item.tool.name],
        confidence: unitCents === null ? 0.3 : 0.9,
        evidence: {
          seats: item.seats,
          activeSeats: item.activeSeats,
          idle,
          unitPrice: unitCents === null ? null : money(unitCents),
          unitPriceFrom: unitSource,
          savings: unitCents === null ? 'unit price unknown' : `${idle} × ${money(unitCents)} = ${money(savings)}`,
        },
      },
      savings,
    );
  }

  // 3. Paying well above the list price per seat (no tier of the catalog matches): renegotiate.
  for (const item of items) {
    const price = item.catalog?.price;
    if (dropped.has(item.index) || item.tier || !price || currency !== 'USD' || item.cents === null || !item.seats)
      continue;
    if (item.tool.pricingModel === 'flat' || item.tool.pricingModel === 'usage') continue;
    const cycle = item.tool.billingCycle === 'annual' ? 'annual' : 'monthly';
    // Against the dearest tier the catalog knows: paying for a higher tier is not overpaying.
    const known = (
      price.tiers ?? [{ name: price.tier, monthly: price.monthly, annualMonthly: price.annualMonthly, sso: null }]
    )
      .map((t) => ({ name: t.name, list: listPrice(t, cycle) }))
      .filter((t): t is { name: string; list: number } => t.list !== null);
    const top = known.at(-1);
    if (!top) continue;
    const unitCents = Math.round(item.cents / item.seats);
    const listCents = toCents(top.list);
    if (unitCents <= listCents * RULES.renegotiateAbove) continue;
    const seats = seatsOf(item);
    const savings = (unitCents - listCents) * seats;
    remaining.set(item.index, listCents * seats);
    add(
      {
        type: 'renegotiate',
        title: `Renegotiate ${item.tool.name}: above list price`,
        detail: `You pay ${money(unitCents)} a seat a month; the ${top.name} list price is ${top.list}.`,
        tools: [item.tool.name],
        confidence: 0.4,
        evidence: {
          seats,
          unitPrice: money(unitCents),
          listPrice: top.list,
          tier: top.name,
          billingCycle: cycle,
          source: price.source,
          savings: `(${money(unitCents)} − ${top.list}) × ${seats} = ${money(savings)}`,
        },
      },
      savings,
    );
  }

  // 4. Paying for a higher tier than the one below it: suggest checking whether the lower is
  // enough (not where it would take away SSO from a tool used by many).
  const downgraded = new Map<number, TierFact>();
  for (const item of items) {
    const match = item.tier;
    if (dropped.has(item.index) || !match || match.index === 0) continue;
    const current = match.tiers[match.index]!;
    const lower = match.tiers[match.index - 1]!;
    const lowerList = listPrice(lower, match.cycle);
    if (lowerList === null) continue;
    const seats = seatsOf(item);
    const losesSso = current.sso === true && lower.sso !== true;
    if (losesSso && seats >= RULES.ssoSeatThreshold) continue;
    const lowerCents = toCents(lowerList);
    const savings = (match.unitCents - lowerCents) * seats;
    if (savings <= 0) continue;
    downgraded.set(item.index, lower);
    remaining.set(item.index, lowerCents * seats);
    add(
      {
        type: 'downgrade_plan',
        title: `Check whether ${item.tool.name} ${lower.name} is enough`,
        detail: `You pay ${money(match.unitCents)} a seat a month, the ${current.name} price; ${lower.name} lists ${lowerList}. If the team does not use what ${current.name} adds${losesSso ? ' (SAML SSO among it)' : ''}, moving down saves the difference.`,
        tools: [item.tool.name],
        confidence: 0.4,
        evidence: {
          seats,
          unitPrice: money(match.unitCents),
          billingCycle: match.cycle,
          currentTier: { name: current.name, listPrice: listPrice(current, match.cycle), sso: current.sso },
          lowerTier: { name: lower.name, listPrice: lowerList, sso: lower.sso },
          source: item.catalog!.price!.source,
          savings: `(${money(match.unitCents)} − ${lowerList}) × ${seats} = ${money(savings)}`,
        },
      },
      savings,
    );
  }

  // 5. Paying monthly where the vendor discounts annual billing (catalog prices, USD only), on
  // the tier the team pays for (or moves down to), else the catalog's typical tier.
  for (const item of items) {
    const price = item.catalog?.price;
    if (dropped.has(item.index) || item.tool.billingCycle !== 'monthly' || !price || currency !== 'USD') continue;
    if (item.cents === null || item.cents === 0) continue;
    const tier: TierFact | undefined =
      downgraded.get(item.index) ?? (item.tier ? item.tier.tiers[item.tier.index] : undefined);
    const monthly = tier ? tier.monthly : price.monthly;
    const annualMonthly = tier ? tier.annualMonthly : price.annualMonthly;
    if (monthly === null || annualMonthly === null) continue;
    const discount = 1 - annualMonthly / monthly;
    if (discount <= 0) continue;
    const base = costOf(item);
    const savings = scaleCents(base, discount);
    if (savings <= 0) continue;
    add(
      {
        type: 'annual_billing',
        title: `Switch ${item.tool.name} to annual billing`,
        detail: `${item.tool.name} ${tier?.name ?? price.tier} lists ${annualMonthly} a seat a month billed annually against ${monthly} monthly (${Math.round(discount * 100)}% less).`,
        tools: [item.tool.name],
        confidence: 0.6,
        evidence: {
          monthlyCost: money(base),
          monthlyCostIs: base === item.cents ? 'as listed' : 'after the seat and tier changes above',
          tier: tier?.name ?? price.tier,
          listMonthly: monthly,
          listAnnualPerMonth: annualMonthly,
          discount: round2(discount),
          source: price.source,
          savings: `${money(base)} × ${round2(discount)} = ${money(savings)}`,
        },
      },
      savings,
    );
  }

  // 6. Renewals, cancel-by dates and trials.
  const renewals: Analysis['costAnalysis']['renewalsNext90Days'] = [];
  for (const item of items) {
    const end = item.tool.contractEndDate ?? item.tool.renewalDate;
    if (!end) continue;
    const endDay = dayNumber(end);
    if (endDay < today || endDay > today + RULES.renewalWindowDays) continue;
    const notice = item.tool.noticePeriodDays ?? 0;
    const cancelByDay = endDay - notice;
    const cancelBy = item.tool.noticePeriodDays === undefined ? null : dateOf(cancelByDay);
    renewals.push({ name: item.tool.name, date: end, cancelBy, monthlyCost: money(item.cents ?? 0) });
    const daysLeft = cancelByDay - today;
    if (daysLeft <= RULES.cancelByWarningDays) {
      add(
        {
          type: 'renewal',
          title:
            daysLeft < 0
              ? `${item.tool.name} renews on ${end}: the notice period has passed`
              : `Decide on ${item.tool.name} by ${dateOf(cancelByDay)}`,
          detail: `The contract ends on ${end}${item.tool.autoRenew === false ? '' : ' and renews automatically'}; notice period ${notice} days.`,
          tools: [item.tool.name],
          confidence: 1,
          evidence: {
            contractEnd: end,
            noticePeriodDays: notice,
            cancelBy: dateOf(cancelByDay),
            today: input.today,
            daysLeft,
          },
        },
        0,
        daysLeft <= 14 ? 'high' : 'medium',
      );
    }
  }
  renewals.sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));

  // 7. Risk.
  const factors: RiskFactor[] = [];
  // Without SSO: the vendor offers none, or the tier the team pays for does not include it.
  const paidTier = (i: Item): TierFact | null => (i.tier ? i.tier.tiers[i.tier.index]! : null);
  const noSso = items.filter(
    (i) =>
      (i.catalog?.sso.available === false || paidTier(i)?.sso === false) && (i.seats ?? 0) >= RULES.ssoSeatThreshold,
  );
  if (noSso.length) {
    const describe = (i: Item): string => {
      const tier = paidTier(i);
      if (!tier) return i.tool.name;
      return `${i.tool.name} (${tier.name}${i.catalog?.sso.tier ? `; SSO on ${i.catalog.sso.tier}` : ''})`;
    };
    factors.push({
      type: 'no_sso',
      severity: 'high',
      tools: noSso.map((i) => i.tool.name),
      detail: `Used by ${RULES.ssoSeatThreshold}+ people without single sign-on: ${noSso.map(describe).join(', ')}.`,
    });
    add(
      {
        type: 'security',
        title: 'Put widely used tools behind single sign-on',
        detail: `${noSso.map(describe).join(', ')} ${noSso.length === 1 ? 'has' : 'have'} ${RULES.ssoSeatThreshold}+ seats and no SSO on the plan paid for.`,
        tools: noSso.map((i) => i.tool.name),
        confidence: 0.7,
        evidence: {
          seatThreshold: RULES.ssoSeatThreshold,
          tools: noSso.map((i) => ({
            name: i.tool.name,
            seats: i.seats,
            tierPaidFor: paidTier(i)?.name ?? null,
            ssoOn: i.catalog?.sso.available ? i.catalog.sso.tier : null,
          })),
        },
      },
      0,
      'high',
    );
  }
  const noSoc2 = items.filter((i) => i.catalog?.soc2 === false);
  if (noSoc2.length) {
    factors.push({
      type: 'no_soc2',
      severity: 'medium',
      tools: noSoc2.map((i) => i.tool.name),
      detail: 'The vendor publishes no SOC 2 report.',
    });
  }
  const unknown = items.filter((i) => i.catalog === null);
  if (unknown.length) {
    factors.push({
      type: 'unknown_tools',
      severity: unknown.length >= 5 ? 'medium' : 'low',
      tools: unknown.map((i) => i.tool.name),
      detail: 'Not in the catalog: check who approved them and what data they hold (shadow IT).',
    });
  }
  const noOwner = items.filter((i) => !i.tool.owner?.trim());
  if (noOwner.length) {
    factors.push({
      type: 'no_owner',
      severity: noOwner.length > items.length / 2 ? 'medium' : 'low',
      tools: noOwner.map((i) => i.tool.name),
      detail: 'Nobody is named as owner: renewals and access reviews fall through.',
    });
  }
  const vendorCents = new Map<string, { cents: number; tools: string[] }>();
  for (const item of costed) {
    const v = vendorCents.get(item.vendor) ?? { cents: 0, tools: [] };
    v.cents += item.cents!;
    v.tools.push(item.tool.name);
    vendorCents.set(item.vendor, v);
  }
  if (totalCents > 0 && costed.length >= 3) {
    for (const [vendor, v] of [...vendorCents].sort(([a], [b]) => a.localeCompare(b))) {
      const share = v.cents / totalCents;
      if (share > RULES.vendorConcentrationShare) {
        factors.push({
          type: 'vendor_concentration',
          severity: share > 0.6 ? 'high' : 'medium',
          tools: v.tools,
          detail: `${Math.round(share * 100)}% of spend is with ${vendor}.`,
        });
      }
    }
  }
  const trials = items.filter((i) => {
    if (!i.tool.trialEndsAt) return false;
    const d = dayNumber(i.tool.trialEndsAt) - today;
    return d >= 0 && d <= RULES.trialWarningDays;
  });
  if (trials.length) {
    factors.push({
      type: 'trial_ending',
      severity: 'medium',
      tools: trials.map((i) => i.tool.name),
      detail: `Trials end within ${RULES.trialWarningDays} days and may turn into paid plans.`,
    });
  }
  const weights: Record<Level, number> = { low: 5, medium: 15, high: 25, critical: 40 };
  const riskScore = Math.min(
    100,
    factors.reduce((sum, f) => sum + weights[f.severity], 0),
  );
  const riskLevel: Level = riskScore >= 75 ? 'critical' : riskScore >= 50 ? 'high' : riskScore >= 25 ? 'medium' : 'low';

  // 8. Totals and summary.
  recommendations.sort(
    (a, b) =>
      b.cents - a.cents || a.rec.type.localeCompare(b.rec.type) || a.rec.tools.join().localeCompare(b.rec.tools.join()),
  );
  const savingsCents = Math.min(
    totalCents,
    recommendations.reduce((sum, r) => sum + r.cents, 0),
  );
  const categories = new Map<string, { cents: number; count: number }>();
  for (const item of costed) {
    const c = categories.get(item.category) ?? { cents: 0, count: 0 };
    c.cents += item.cents!;
    c.count += 1;
    categories.set(item.category, c);
  }
  const savingsShare = totalCents > 0 ? savingsCents / totalCents : 0;
  const healthScore = Math.max(0, Math.min(100, Math.round(100 - 60 * savingsShare - 0.4 * riskScore)));
  const employees = input.stack.employeeCount;
  const headline =
    items.length === 0
      ? 'No tools listed yet: add the tools you pay for to see where money goes.'
      : savingsCents > 0
        ? `${items.length} tool${items.length === 1 ? '' : 's'} cost ${money(totalCents).toFixed(2)} ${currency} a month; ${money(savingsCents).toFixed(2)} (${Math.round(savingsShare * 100)}%) could be saved.`
        : `${items.length} tool${items.length === 1 ? '' : 's'} cost ${money(totalCents).toFixed(2)} ${currency} a month; no savings found.`;

  return {
    summary: {
      headline,
      toolCount: items.length,
      totalMonthlyCost: money(totalCents),
      totalAnnualCost: money(totalCents * 12),
      potentialMonthlySavings: money(savingsCents),
      healthScore,
    },
    recommendations: recommendations.map((r) => r.rec),
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
        .map((i) => ({ name: i.tool.name, category: i.category, monthlyCost: money(i.cents!) }))
        .sort((a, b) => b.monthlyCost - a.monthlyCost || a.name.localeCompare(b.name)),
      perEmployee: employees ? money(Math.round(totalCents / employees)) : null,
      renewalsNext90Days: renewals,
      missingRates: [...missingRates].sort(),
    },
    riskAssessment: { score: riskScore, level: riskLevel, factors },
  };
}
