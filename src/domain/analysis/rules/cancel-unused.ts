/**
 * Cancel: a tool that stays, priced by the seat, with paid seats and none in use; the
 * saving is its whole cost.
 * Reads: seats, active seats, cost. Writes: retires it ('cancel').
 */
import { fromCents } from '../../money.js';
import { idleSeats, recommend, retire, type Finding, type SavingRule } from './state.js';

export const cancelUnused: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const tools = state.tools.map((t) => {
    const seats = idleSeats(t);
    if (seats?.activeSeats !== 0) return t;
    const savings = t.left.cents;
    findings.push(
      recommend(
        context,
        {
          type: 'cancel',
          title: `Cancel ${t.tool.name}: nobody uses it`,
          detail: `${t.tool.name} has ${seats.seats} paid seats and none in use.`,
          tools: [t.tool.name],
          confidence: 0.8,
          evidence: {
            seats: seats.seats,
            activeSeats: 0,
            monthlyCost: fromCents(savings),
            savings: fromCents(savings),
          },
        },
        savings,
      ),
    );
    return retire(t, 'cancel');
  });
  return { tools, findings };
};
