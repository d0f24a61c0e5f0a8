/**
 * Renegotiate: a per-seat tool whose price per seat matches no tier of the catalog's list and
 * is more than RULES.renegotiateAbove times the dearest tier listed (paying for a higher tier
 * is not overpaying); the saving is the difference on the seats left.
 * Reads: cost and seats as listed, the catalog's prices (USD stacks), the seats left. Writes:
 * the cost left (the list price on those seats).
 */
import { fromCents, toCents } from '../../money.js';
import { isPerSeat, listPrice, RULES } from './common.js';
import { leave, recommend, type Finding, type SavingRule } from './state.js';

export const renegotiate: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const tools = state.tools.map((t) => {
    const price = t.catalog?.price;
    if (t.left.retiredBy || t.tier || !price || context.currency !== 'USD' || t.cents === null || !t.seats) return t;
    if (!isPerSeat(t.tool)) return t;
    const cycle = t.tool.billingCycle === 'annual' ? 'annual' : 'monthly';
    // Against the dearest tier the catalog knows: paying for a higher tier is not overpaying.
    const known = (
      price.tiers ?? [{ name: price.tier, monthly: price.monthly, annualMonthly: price.annualMonthly, sso: null }]
    )
      .map((tier) => ({ name: tier.name, list: listPrice(tier, cycle) }))
      .filter((tier): tier is { name: string; list: number } => tier.list !== null);
    const top = known.at(-1);
    if (!top) return t;
    const unitCents = Math.round(t.cents / t.seats);
    const listCents = toCents(top.list);
    if (unitCents <= listCents * RULES.renegotiateAbove) return t;
    const seats = t.left.seats;
    const savings = (unitCents - listCents) * seats;
    findings.push(
      recommend(
        context,
        {
          type: 'renegotiate',
          title: `Renegotiate ${t.tool.name}: above list price`,
          detail: `You pay ${fromCents(unitCents)} a seat a month; the ${top.name} list price is ${top.list}.`,
          tools: [t.tool.name],
          confidence: 0.4,
          evidence: {
            seats,
            unitPrice: fromCents(unitCents),
            listPrice: top.list,
            tier: top.name,
            billingCycle: cycle,
            source: price.source,
            savings: `(${fromCents(unitCents)} − ${top.list}) × ${seats} = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
    return leave(t, { cents: listCents * seats });
  });
  return { tools, findings };
};
