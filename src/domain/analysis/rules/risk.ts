/**
 * Risk factors of the stack as listed (retired tools included: they are still in use today):
 * 25+ seats without SSO on the plan paid for (also a recommendation), no SOC 2 Type II report, tools
 * not in the catalog, tools without an owner, spend concentrated on one vendor, trials ending.
 * Reads: the listed facts and the catalog's. Writes: nothing.
 */
import type { TierFact } from '../catalog.js';
import type { RiskFactor } from '../result.js';
import { andList, dayNumber, RULES } from './common.js';
import { recommend, type AnalysisContext, type AnalysisState, type Finding, type ToolState } from './state.js';

const paidTier = (t: ToolState): TierFact | null => (t.tier ? t.tier.tiers[t.tier.index]! : null);

/** Without SSO: the vendor offers none, or the tier the team pays for does not include it. */
function withoutSso(
  tools: readonly ToolState[],
  context: AnalysisContext,
): { factor: RiskFactor; finding: Finding } | null {
  const noSso = tools.filter(
    (t) =>
      (t.catalog?.sso.available === false || paidTier(t)?.sso === false) && (t.seats ?? 0) >= RULES.ssoSeatThreshold,
  );
  if (!noSso.length) return null;
  const describe = (t: ToolState): string => {
    const tier = paidTier(t);
    if (!tier) return t.tool.name;
    return `${t.tool.name} (${tier.name}${t.catalog?.sso.tier ? `; SSO on ${t.catalog.sso.tier}` : ''})`;
  };
  const factor: RiskFactor = {
    type: 'no_sso',
    severity: 'high',
    tools: noSso.map((t) => t.tool.name),
    detail: `Used by ${RULES.ssoSeatThreshold}+ people without single sign-on: ${noSso.map(describe).join(', ')}.`,
  };
  const finding = recommend(
    context,
    {
      type: 'security',
      title: 'Put widely used tools behind single sign-on',
      detail: `${noSso.map(describe).join(', ')} ${noSso.length === 1 ? 'has' : 'have'} ${RULES.ssoSeatThreshold}+ seats and no SSO on the plan paid for.`,
      tools: noSso.map((t) => t.tool.name),
      confidence: 0.7,
      evidence: {
        seatThreshold: RULES.ssoSeatThreshold,
        tools: noSso.map((t) => ({
          name: t.tool.name,
          seats: t.seats,
          tierPaidFor: paidTier(t)?.name ?? null,
          ssoOn: t.catalog?.sso.available ? t.catalog.sso.tier : null,
        })),
      },
    },
    0,
    'high',
  );
  return { factor, finding };
}

/** Vendors with more than RULES.vendorConcentrationShare of the spend (3+ costed tools), by name. */
function vendorConcentration(tools: readonly ToolState[], totalCents: number): RiskFactor[] {
  const costed = tools.filter((t) => t.cents !== null);
  if (totalCents <= 0 || costed.length < 3) return [];
  const byVendor = new Map<string, { cents: number; tools: string[] }>();
  for (const t of costed) {
    const v = byVendor.get(t.vendor) ?? { cents: 0, tools: [] };
    v.cents += t.cents!;
    v.tools.push(t.tool.name);
    byVendor.set(t.vendor, v);
  }
  const factors: RiskFactor[] = [];
  for (const [vendor, v] of [...byVendor].sort(([a], [b]) => a.localeCompare(b))) {
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
  return factors;
}

export function risk(
  state: AnalysisState,
  context: AnalysisContext,
): { riskFactors: RiskFactor[]; findings: Finding[] } {
  const tools = state.tools;
  const factors: RiskFactor[] = [];
  const findings: Finding[] = [];
  const sso = withoutSso(tools, context);
  if (sso) {
    factors.push(sso.factor);
    findings.push(sso.finding);
  }
  // Only where the catalog read the vendor's trust page and found no SOC 2 Type II report.
  const noSoc2 = tools.filter((t) => t.catalog?.attestations.soc2Type2 === false);
  if (noSoc2.length) {
    factors.push({
      type: 'no_soc2',
      severity: 'medium',
      tools: noSoc2.map((t) => t.tool.name),
      detail: `No SOC 2 Type II report published by the vendor of ${andList(
        noSoc2.map((t) => t.tool.name),
        5,
      )}.`,
    });
  }
  const unknown = tools.filter((t) => t.catalog === null);
  if (unknown.length) {
    factors.push({
      type: 'unknown_tools',
      severity: unknown.length >= 5 ? 'medium' : 'low',
      tools: unknown.map((t) => t.tool.name),
      detail: `Not in the catalog: ${andList(
        unknown.map((t) => t.tool.name),
        5,
      )} — check who approved ${unknown.length === 1 ? 'it' : 'them'} and what data ${unknown.length === 1 ? 'it holds' : 'they hold'} (shadow IT).`,
    });
  }
  const noOwner = tools.filter((t) => !t.tool.owner?.trim());
  if (noOwner.length) {
    factors.push({
      type: 'no_owner',
      severity: noOwner.length > tools.length / 2 ? 'medium' : 'low',
      tools: noOwner.map((t) => t.tool.name),
      detail: `No owner named for ${andList(
        noOwner.map((t) => t.tool.name),
        5,
      )}: renewals and access reviews fall through.`,
    });
  }
  factors.push(...vendorConcentration(tools, context.totalCents));
  const trials = tools.filter((t) => {
    if (!t.tool.trialEndsAt) return false;
    const d = dayNumber(t.tool.trialEndsAt) - context.todayDay;
    return d >= 0 && d <= RULES.trialWarningDays;
  });
  if (trials.length) {
    factors.push({
      type: 'trial_ending',
      severity: 'medium',
      tools: trials.map((t) => t.tool.name),
      detail: `Trials of ${andList(
        trials.map((t) => t.tool.name),
        5,
      )} end within ${RULES.trialWarningDays} days and may turn into paid plans.`,
    });
  }
  return { riskFactors: factors, findings };
}
