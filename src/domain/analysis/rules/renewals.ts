/**
 * Renewals: every tool (retired or not: the contract still ends) whose contract ends or
 * renews within RULES.renewalWindowDays, with the cancel-by date its notice period gives; a
 * recommendation where that date is within RULES.cancelByWarningDays (or has passed).
 * Reads: the listed dates, notice period and cost. Writes: nothing.
 */
import { fromCents } from '../../money.js';
import type { Renewal } from '../result.js';
import { dateOf, dayNumber, RULES } from './common.js';
import { recommend, type AnalysisContext, type AnalysisState, type Finding } from './state.js';

export function renewals(state: AnalysisState, context: AnalysisContext): { renewals: Renewal[]; findings: Finding[] } {
  const found: Renewal[] = [];
  const findings: Finding[] = [];
  const today = context.todayDay;
  for (const t of state.tools) {
    const end = t.tool.contractEndDate ?? t.tool.renewalDate;
    if (!end) continue;
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
          detail: `The contract ends on ${end}${t.tool.autoRenew === false ? '' : ' and renews automatically'}; notice period ${notice} days.`,
          tools: [t.tool.name],
          confidence: 1,
          evidence: {
            contractEnd: end,
            noticePeriodDays: notice,
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
