/**
 * Remove idle seats: on a tool that stays and someone uses, the seats beyond those in use,
 * at the unit price the stack gives (monthly cost ÷ seats), else the catalog's list price
 * (USD stacks), else an unknown amount (a recommendation saving 0, low confidence).
 * Reads: seats, active seats, cost, catalog price. Writes: the seats left (those in use) and
 * the cost left, where the unit price is known.
 */
import { fromCents, toCents } from '../../money.js';
import { idleSeats, leave, recommend, type Finding, type SavingRule, type ToolState } from './state.js';

/** The price of one seat a month, cents, and where it comes from. */
function unitPrice(t: ToolState, seats: number, currency: string): { cents: number | null; from: string } {
  if (t.cents !== null && t.cents > 0 && seats > 0) {
    return { cents: Math.round(t.cents / seats), from: 'monthly cost ÷ seats' };
  }
  const price = t.catalog?.price;
  if (price && currency === 'USD') {
    const list = t.tool.billingCycle === 'annual' ? price.annualMonthly : price.monthly;
    return { cents: list === null ? null : toCents(list), from: `catalog list price (${price.tier}, ${price.source})` };
  }
  return { cents: null, from: 'unknown' };
}

export const removeIdleSeats: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const tools = state.tools.map((t) => {
    const found = idleSeats(t);
    // None in use: the tool is cancelled (cancel-unused.ts), not thinned.
    if (!found || found.activeSeats === 0) return t;
    const { seats, activeSeats, idle } = found;
    const unit = unitPrice(t, seats, context.currency);
    const savings = unit.cents === null ? 0 : unit.cents * idle;
    findings.push(
      recommend(
        context,
        {
          type: 'remove_unused_seats',
          title: `Remove ${idle} unused ${t.tool.name} seat${idle === 1 ? '' : 's'}`,
          detail: `${activeSeats} of ${seats} seats are in use.`,
          tools: [t.tool.name],
          confidence: unit.cents === null ? 0.3 : 0.9,
          evidence: {
            seats,
            activeSeats,
            idle,
            unitPrice: unit.cents === null ? null : fromCents(unit.cents),
            unitPriceFrom: unit.from,
            savings:
              unit.cents === null ? 'unit price unknown' : `${idle} × ${fromCents(unit.cents)} = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
    if (unit.cents === null) return t;
    return leave(t, {
      seats: activeSeats,
      ...(t.cents !== null ? { cents: Math.max(0, t.cents - savings) } : {}),
    });
  });
  return { tools, findings };
};
