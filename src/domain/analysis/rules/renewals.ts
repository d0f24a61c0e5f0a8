/**
 * Renewals: every tool (retired or not: the contract still ends) whose contract ends or
 * renews within RULES.renewalWindowDays, with the cancel-by date its notice period gives; a
 * recommendation where that date is within RULES.cancelByWarningDays (or has passed). A
 * date that has passed is rolled forward by the billing cycle (a year where none is given) to
 * the next renewal, unless the contract does not renew (`autoRenew: false`): a stack typed a
 * year ago still shows what renews next. An hourly job (`refresh-renewals`) recomputes them for
 * each organization's today.
 * Reads: the listed dates, billing cycle, notice period and cost. Writes: nothing.
 */
import { fromCents } from '../../money.js';
import type { Renewal } from '../result.js';
import { addMonths } from '../../days.js';
import { dateOf, dayNumber, listedDate, RULES, type Cycle } from './common.js';
import { recommend, type AnalysisContext, type AnalysisState, type Finding } from './state.js';

/**
 * The renewal on or after `today` of a contract that ends (or renews) on `end`: `end` itself
 * while it is to come, else the first date a whole number of cycles later; null for a
 * contract that has ended and does not renew.
 */
export function nextRenewal(end: string, cycle: Cycle | undefined, autoRenew: boolean | undefined, today: string) {
  if (end >= today) return end;
  if (autoRenew === false) return null;
  const step = cycle === 'monthly' ? 1 : 12;
  const [ey, em] = end.split('-').map(Number) as [number, number];
  const [ty, tm] = today.split('-').map(Number) as [number, number];
  // The cycles that bring `end` to today's month (at least one), then one more if still before today.
  let cycles = Math.max(1, Math.floor(((ty - ey) * 12 + (tm - em)) / step));
  let next = addMonths(end, cycles * step);
  while (next < today) next = addMonths(end, ++cycles * step);
  return next;
}

/** Each tool's next renewal (nextRenewal of its listed date), in the stack's order, with the date it was listed as. */
export function nextRenewals(
  state: AnalysisState,
  context: AnalysisContext,
): { name: string; listed: string | null; date: string | null }[] {
  return state.tools.map((t) => {
    const listed = listedDate(t.tool);
    return {
      name: t.tool.name,
      listed,
      date: listed ? nextRenewal(listed, t.tool.billingCycle, t.tool.autoRenew, context.today) : null,
    };
  });
}

export function renewals(state: AnalysisState, context: AnalysisContext): { renewals: Renewal[]; findings: Finding[] } {
  const found: Renewal[] = [];
  const findings: Finding[] = [];
  const today = context.todayDay;
  for (const t of state.tools) {
    const listed = listedDate(t.tool);
    if (!listed) continue;
    const end = nextRenewal(listed, t.tool.billingCycle, t.tool.autoRenew, context.today);
    if (end === null) continue;
    const endDay = dayNumber(end);
    if (endDay < today || endDay > today + RULES.renewalWindowDays) continue;
    const notice = t.tool.noticePeriodDays ?? 0;
    const cancelByDay = endDay - notice;
    const cancelBy = t.tool.noticePeriodDays === undefined ? null : dateOf(cancelByDay);
    found.push({ name: t.tool.name, date: end, cancelBy, monthlyCost: fromCents(t.cents ?? 0) });
    const daysLeft = cancelByDay - today;
    if (daysLeft > RULES.cancelByWarningDays) continue;
    findings.push(
      recommend(
        context,
        {
          type: 'renewal',
          title:
            daysLeft < 0
              ? `${t.tool.name} renews on ${end}: the notice period has passed`
              : `Decide on ${t.tool.name} by ${dateOf(cancelByDay)}`,
          detail: `The contract ends on ${end}${t.tool.autoRenew === false ? '' : ' and renews automatically'}${
            t.tool.noticePeriodDays === undefined ? '' : `; notice period ${notice} day${notice === 1 ? '' : 's'}`
          }.`,
          tools: [t.tool.name],
          confidence: 1,
          evidence: {
            contractEnd: end,
            ...(end === listed ? {} : { listedDate: listed, rolledForwardBy: t.tool.billingCycle ?? 'annual' }),
            // None given: nothing to cancel by but the renewal itself.
            noticePeriodDays: t.tool.noticePeriodDays ?? null,
            cancelBy: dateOf(cancelByDay),
            today: context.today,
            daysLeft,
          },
        },
        0,
        daysLeft <= 14 ? 'high' : 'medium',
      ),
    );
  }
  found.sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
  return { renewals: found, findings };
}
