/**
 * Remove idle seats (after consolidation and cancelling): on a tool that stays and someone
 * uses, the seats left beyond the people using it (those moved onto it by a consolidation
 * included). The saving is that share of what is left of its cost: idle × (cost left ÷ seats
 * left). Where the stack gives no cost for the tool, the catalog's list price tells roughly
 * what the seats are worth, but nothing is counted: the bill it would come off is not known.
 * Reads: seats and people using them, the cost left. Writes: the seats left (those in use)
 * and the cost left.
 */
import { fromCents } from '../../money.js';
import { idleSeats, leave, recommend, seatPrice, type Finding, type SavingRule } from './state.js';

export const removeIdleSeats: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const tools = state.tools.map((t) => {
    const found = idleSeats(t);
    // None in use: the tool is cancelled (cancel-unused.ts), not thinned.
    if (!found || found.activeSeats === 0) return t;
    const { seats, activeSeats, idle } = found;
    const unit = seatPrice(t, context);
    const counted = unit.counted;
    const savings = counted ? Math.round((t.left.cents * idle) / seats) : 0;
    const estimate = !counted && unit.cents !== null ? unit.cents * idle : null;
    findings.push(
      recommend(
        context,
        {
          type: 'remove_unused_seats',
          title: `Remove ${idle} unused ${t.tool.name} seat${idle === 1 ? '' : 's'}`,
          detail:
            `${activeSeats} of ${seats} seats are in use.` +
            (estimate === null
              ? ''
              : ` At the list price that is about ${fromCents(estimate)} a month; not counted in the total, as the stack gives no cost for ${t.tool.name}.`),
          tools: [t.tool.name],
          confidence: counted ? 0.9 : 0.3,
          evidence: {
            seats,
            activeSeats,
            idle,
            unitPrice: unit.cents === null ? null : fromCents(unit.cents),
            unitPriceFrom: unit.from,
            ...(counted
              ? { monthlyCost: fromCents(t.left.cents) }
              : { estimatedAtListPrice: estimate === null ? null : fromCents(estimate) }),
            savings: counted
              ? `${idle} × (${fromCents(t.left.cents)} ÷ ${seats}) = ${fromCents(savings)}`
              : 'not counted: the tool has no cost in the stack',
          },
        },
        savings,
      ),
    );
    return leave(t, { seats: activeSeats, cents: t.left.cents - savings });
  });
  return { tools, findings };
};
