/**
 * Annual billing (after the seat and tier changes): a tool paid monthly where the catalog
 * lists a lower annual price for the tier paid for (or moved down to), else for its typical
 * tier; the saving is that discount on the cost left.
 * Reads: billing cycle, the tier and the cost left. Writes: the cycle left ('annual') and
 * the cost left.
 */
import { fromCents, scaleCents } from '../../money.js';
import { round2 } from './common.js';
import { leave, recommend, type Finding, type SavingRule } from './state.js';

export const annualBilling: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const tools = state.tools.map((t) => {
    const price = t.catalog?.price;
    if (t.left.retiredBy || t.tool.billingCycle !== 'monthly' || !price) return t;
    if (t.cents === null || t.cents === 0 || t.left.cents === 0) return t;
    const tier = t.left.tier;
    const monthly = tier ? tier.monthly : price.monthly;
    const annualMonthly = tier ? tier.annualMonthly : price.annualMonthly;
    if (monthly === null || annualMonthly === null) return t;
    // A ratio of two list prices: the same in any currency.
    const discount = 1 - annualMonthly / monthly;
    if (discount <= 0) return t;
    const base = t.left.cents;
    const savings = scaleCents(base, discount);
    if (savings <= 0) return t;
    findings.push(
      recommend(
        context,
        {
          type: 'annual_billing',
          title: `Switch ${t.tool.name} to annual billing`,
          detail: `${t.tool.name} ${tier?.name ?? price.tier} lists ${annualMonthly} USD a seat a month billed annually against ${monthly} monthly (${Math.round(discount * 100)}% less).`,
          tools: [t.tool.name],
          confidence: 0.6,
          evidence: {
            monthlyCost: fromCents(base),
            monthlyCostIs: base === t.cents ? 'as listed' : 'after the changes above',
            tier: tier?.name ?? price.tier,
            listMonthly: monthly,
            listAnnualPerMonth: annualMonthly,
            discount: round2(discount),
            source: price.source,
            savings: `${fromCents(base)} × (1 − ${annualMonthly} ÷ ${monthly}) = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
    return leave(t, { cycle: 'annual', cents: base - savings });
  });
  return { tools, findings };
};
