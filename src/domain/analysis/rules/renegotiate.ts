/**
 * Renegotiate (the waterfall's last step): a per-seat tool whose price per seat matches no
 * tier of the catalog's list and, after the changes above, is still more than
 * RULES.renegotiateAbove times the dearest tier listed on its billing cycle (paying for a
 * higher tier is not overpaying); the saving is what is left of its cost minus that list
 * price on the seats left.
 * Reads: the cost, seats and cycle left, the catalog's prices. Writes: the cost left (the
 * list price on those seats).
 */
import { fromCents } from '../../money.js';
import { isPerSeat, listPrice, RULES } from './common.js';
import { leave, listCents, recommend, type Finding, type SavingRule } from './state.js';

export const renegotiate: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const tools = state.tools.map((t) => {
    const price = t.catalog?.price;
    if (t.left.retiredBy || t.tier || !price || t.cents === null || !t.seats || !isPerSeat(t.tool)) return t;
    const seats = t.left.seats;
    if (seats === 0 || t.left.cents === 0) return t;
    const cycle = t.left.cycle === 'annual' ? 'annual' : 'monthly';
    // Against the dearest tier the catalog knows: paying for a higher tier is not overpaying.
    const known = (
      price.tiers ?? [{ name: price.tier, monthly: price.monthly, annualMonthly: price.annualMonthly, sso: null }]
    )
      .map((tier) => ({ name: tier.name, list: listPrice(tier, cycle) }))
      .filter((tier): tier is { name: string; list: number } => tier.list !== null);
    const top = known.at(-1);
    const topCents = top ? listCents(context, top.list) : null;
    if (!top || topCents === null) return t;
    const before = t.left.cents;
    const unitCents = Math.round(before / seats);
    if (unitCents <= topCents * RULES.renegotiateAbove) return t;
    const after = topCents * seats;
    const savings = before - after;
    if (savings <= 0) return t;
    findings.push(
      recommend(
        context,
        {
          type: 'renegotiate',
          title: `Renegotiate ${t.tool.name}: above list price`,
          detail: `You pay ${fromCents(unitCents)} a seat a month${before === t.cents ? '' : ' (after the changes above)'}; the ${top.name} list price is ${fromCents(topCents)}.`,
          tools: [t.tool.name],
          confidence: 0.4,
          evidence: {
            seats,
            unitPrice: fromCents(unitCents),
            listPrice: top.list,
            ...(context.usdRate === 1 ? {} : { listPriceConverted: fromCents(topCents), usdRate: context.usdRate }),
            tier: top.name,
            billingCycle: cycle,
            source: price.source,
            monthlyCost: fromCents(before),
            savings: `${fromCents(before)} − ${seats} × ${fromCents(topCents)} = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
    return leave(t, { cents: after });
  });
  return { tools, findings };
};
