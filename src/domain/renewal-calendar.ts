/**
 * The organization's renewal calendar (issue #17 point 2): every upcoming renewal of the
 * tools in its latest audit and, for tools no audit lists, of the annual contracts its
 * connected spend shows; and which reminders are due today. Pure: the stack, the analysis's
 * figures and the spend lines in, dates out. Dates move with the calendar as the analysis's
 * do (`nextRenewal`: a passed date rolls forward by the billing cycle).
 */
import { toolKey } from './analysis/catalog.js';
import type { Recommendation } from './analysis/result.js';
import { dateOf, dayNumber, listedDate } from './analysis/rules/common.js';
import { nextRenewal } from './analysis/rules/renewals.js';
import type { StackData } from './analysis/stack.js';
import { fromCents, toCents } from './money.js';

export interface UpcomingRenewal {
  /** The tool as renewals and reminders are keyed (catalog aliases merged, lower case). */
  key: string;
  tool: string;
  vendor: string | null;
  /** Free text from the stack (often an email address); null for spend. */
  owner: string | null;
  source: 'audit' | 'spend';
  auditId: string | null;
  renewalDate: string;
  /** The last day to give notice (the notice period before the renewal), when one is known. */
  cancelBy: string | null;
  daysLeft: number;
  /** How often it renews: a monthly subscription is reminded of only where it has a notice period. */
  cycle: 'monthly' | 'annual';
  monthlyCost: number | null;
  currency: string;
  /** The latest analysis's recommendation for the tool, if any (the largest saving). */
  recommendation: Pick<Recommendation, 'type' | 'title' | 'estimatedMonthlySavings'> | null;
}

export interface LatestAudit {
  id: string;
  stack: StackData;
  /** The analysis's currency and its monthly cost per tool (converted), and its recommendations. */
  currency: string;
  byTool: { name: string; monthlyCost: number }[];
  recommendations: Recommendation[];
}

/** A software spend line with a billing period (a contract), as synced or imported. */
export interface SpendTerm {
  toolName: string;
  vendor: string | null;
  amount: number;
  currency: string;
  periodStart: string;
  periodEnd: string;
}

/** A contract of at least this many days is taken as annual: it renews when its period ends, then yearly. */
export const ANNUAL_TERM_DAYS = 300;

export function upcomingRenewals(input: {
  today: string;
  horizonDays: number;
  audit: LatestAudit | null;
  spend: SpendTerm[];
}): UpcomingRenewal[] {
  const today = dayNumber(input.today);
  const within = (date: string) => dayNumber(date) - today <= input.horizonDays;
  const found: UpcomingRenewal[] = [];
  const listed = new Set<string>();
  const audit = input.audit;
  if (audit) {
    const costs = new Map(audit.byTool.map((t) => [t.name, t.monthlyCost]));
    for (const tool of audit.stack.tools) {
      listed.add(toolKey(tool.name));
      const end = listedDate(tool);
      if (!end) continue;
      const date = nextRenewal(end, tool.billingCycle, tool.autoRenew, input.today);
      if (date === null || !within(date)) continue;
      const recommendation =
        audit.recommendations
          .filter((r) => r.tools.includes(tool.name) && r.type !== 'renewal')
          .sort((a, b) => b.estimatedMonthlySavings - a.estimatedMonthlySavings)[0] ?? null;
      found.push({
        key: toolKey(tool.name),
        tool: tool.name,
        vendor: tool.vendor ?? null,
        owner: tool.owner ?? null,
        source: 'audit',
        auditId: audit.id,
        renewalDate: date,
        cancelBy: tool.noticePeriodDays === undefined ? null : dateOf(dayNumber(date) - tool.noticePeriodDays),
        daysLeft: dayNumber(date) - today,
        cycle: tool.billingCycle === 'monthly' ? 'monthly' : 'annual',
        monthlyCost: costs.get(tool.name) ?? null,
        currency: audit.currency,
        recommendation: recommendation && {
          type: recommendation.type,
          title: recommendation.title,
          estimatedMonthlySavings: recommendation.estimatedMonthlySavings,
        },
      });
    }
  }
  // Spend: the latest annual term of each tool no audit lists, renewing when it ends (and a
  // year later each year, until a newer term is imported).
  const latest = new Map<string, SpendTerm>();
  for (const line of input.spend) {
    const key = toolKey(line.toolName);
    if (listed.has(key) || dayNumber(line.periodEnd) - dayNumber(line.periodStart) < ANNUAL_TERM_DAYS) continue;
    const seen = latest.get(key);
    if (!seen || line.periodEnd > seen.periodEnd) latest.set(key, line);
  }
  for (const [key, line] of latest) {
    const date = nextRenewal(line.periodEnd, 'annual', undefined, input.today);
    if (date === null || !within(date)) continue;
    found.push({
      key,
      tool: line.toolName,
      vendor: line.vendor,
      owner: null,
      source: 'spend',
      auditId: null,
      renewalDate: date,
      cancelBy: null,
      daysLeft: dayNumber(date) - today,
      cycle: 'annual',
      monthlyCost: fromCents(Math.round(toCents(line.amount) / 12)),
      currency: line.currency,
      recommendation: null,
    });
  }
  return found.sort((a, b) => a.renewalDate.localeCompare(b.renewalDate) || a.tool.localeCompare(b.tool));
}

export interface DueReminder {
  renewal: UpcomingRenewal;
  /** The cancel-by date while it is to come, else the renewal date. */
  dueDate: string;
  daysLeft: number;
  /** The lead time this reminder is for: the smallest one that has been reached. */
  leadDays: number;
  /**
   * Every lead time reached (this one and the larger ones): all are recorded when it goes out,
   * so a renewal first seen 5 days ahead sends one reminder, not one per lead time.
   */
  reachedLeads: number[];
}

/** A monthly subscription renews every month: only lead times shorter than a month apply to it. */
const MONTH_DAYS = 28;

/**
 * The reminders due today: per renewal, the lead times reached before its cancel-by date
 * (once that has passed, before the renewal itself: a separate reminder). A monthly
 * subscription without a notice period can be cancelled any day and is not reminded of;
 * with one, only lead times shorter than a month count (else every month would bring two).
 */
export function dueReminders(renewals: UpcomingRenewal[], leadDays: readonly number[], today: string): DueReminder[] {
  const due: DueReminder[] = [];
  const now = dayNumber(today);
  for (const renewal of renewals) {
    if (renewal.cycle === 'monthly' && renewal.cancelBy === null) continue;
    const dueDate =
      renewal.cancelBy !== null && dayNumber(renewal.cancelBy) >= now ? renewal.cancelBy : renewal.renewalDate;
    const daysLeft = dayNumber(dueDate) - now;
    if (daysLeft < 0) continue;
    const leads = renewal.cycle === 'monthly' ? leadDays.filter((lead) => lead < MONTH_DAYS) : leadDays;
    const reachedLeads = leads.filter((lead) => lead >= daysLeft).sort((a, b) => a - b);
    if (reachedLeads.length === 0) continue;
    due.push({ renewal, dueDate, daysLeft, leadDays: reachedLeads[0]!, reachedLeads });
  }
  return due;
}
