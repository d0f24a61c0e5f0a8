/**
 * Annual billing: a tool paid monthly where the catalog lists a lower annual price for the
 * tier paid for (or moved down to), else for its typical tier (USD stacks); the saving is
 * that discount on the cost left.
 * Reads: billing cycle, the tier and the cost left. Writes: nothing (the last saving rule).
 */
import { fromCents, scaleCents } from '../../money.js';
import { round2 } from './common.js';
import { recommend, type AnalysisContext, type AnalysisState, type Finding } from './state.js';

export function annualBilling(state: AnalysisState, context: AnalysisContext): { findings: Finding[] } {
  const findings: Finding[] = [];
  for (const t of state.tools) {
    const price = t.catalog?.price;
    if (t.left.retiredBy || t.tool.billingCycle !== 'monthly' || !price || context.currency !== 'USD') continue;
    if (t.cents === null || t.cents === 0) continue;
    const tier = t.left.tier;
    const monthly = tier ? tier.monthly : price.monthly;
    const annualMonthly = tier ? tier.annualMonthly : price.annualMonthly;
    if (monthly === null || annualMonthly === null) continue;
    const discount = 1 - annualMonthly / monthly;
    if (discount <= 0) continue;
    const base = t.left.cents;
    const savings = scaleCents(base, discount);
    if (savings <= 0) continue;
    findings.push(
      recommend(
        context,
        {
          type: 'annual_billing',
          title: `Switch ${t.tool.name} to annual billing`,
          detail: `${t.tool.name} ${tier?.name ?? price.tier} lists ${annualMonthly} a seat a month billed annually against ${monthly} monthly (${Math.round(discount * 100)}% less).`,
          tools: [t.tool.name],
          confidence: 0.6,
          evidence: {
            monthlyCost: fromCents(base),
            monthlyCostIs: base === t.cents ? 'as listed' : 'after the seat and tier changes above',
            tier: tier?.name ?? price.tier,
            listMonthly: monthly,
            listAnnualPerMonth: annualMonthly,
            discount: round2(discount),
            source: price.source,
            savings: `${fromCents(base)} × ${round2(discount)} = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
  }
  return { findings };
}
