/**
 * Savings verified in the books: for each accepted recommendation, the spend on its tools in
 * the whole months after the month it was accepted, against the three whole months before.
 * Pure: the spend comes in as monthly totals in the base currency.
 *
 * Recommendations that share a tool are verified together (a group): the books show one
 * change of Slack's bill, not one per recommendation about Slack, so the seen saving is
 * counted once against the sum of what the group expected (the same recommendation accepted
 * twice, once). The baseline is the three whole months before the group's first acceptance;
 * "after" the whole months after its last one, and only months the organization has imported
 * spend for: a month not imported yet is not a month without spend.
 */
import { toolKey } from './analysis/catalog.js';

/** Whole months of spend before the acceptance that make its baseline. */
export const BASELINE_MONTHS = 3;
/** Whole months after the acceptance compared, at most (the latest ones). */
export const MAX_AFTER_MONTHS = 12;
/** The share of the expected saving that counts as seen. */
export const SEEN_SHARE = 0.8;

/** What identifies a recommendation across re-analyses: its type and its tools. */
export const recommendationKey = (r: { type: string; tools: readonly string[] }): string =>
  `${r.type}:${[...r.tools].sort().join('|')}`.slice(0, 600);

export { toolKey } from './analysis/catalog.js';

export interface Acceptance {
  id: string;
  /** `recommendationKey`: the same recommendation accepted on two audits is expected once. */
  key: string;
  tools: readonly string[];
  /** In the base currency, cents; null where the audit's currency has no rate to it. */
  expectedCents: number | null;
  /** 'YYYY-MM-DD', in the organization's calendar. */
  acceptedOn: string;
}

export interface MonthlySpend {
  /** `toolKey` of the line's tool. */
  tool: string;
  /** 'YYYY-MM'. */
  month: string;
  /** In the base currency. */
  cents: number;
}

export type VerificationStatus = 'waiting' | 'no_spend' | 'seen' | 'partly_seen' | 'not_seen';

export interface Verification {
  acceptanceIds: string[];
  tools: string[];
  baselineMonths: string[];
  afterMonths: string[];
  baselineMonthlyCents: number | null;
  afterMonthlyCents: number | null;
  expectedCents: number | null;
  seenCents: number | null;
  status: VerificationStatus;
}

export interface SavingsVerification {
  groups: Verification[];
  /** Everything accepted (where converted), what the measured groups expected, and what they saw. */
  total: { expectedCents: number; measuredExpectedCents: number; seenCents: number };
}

/** 'YYYY-MM' plus `n` months. */
export function monthPlus(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

const monthsFrom = (first: string, count: number) => Array.from({ length: count }, (_, i) => monthPlus(first, i));

/** Acceptances joined while they share a tool (union–find over their tools). */
function groupsOf(acceptances: readonly Acceptance[]): Acceptance[][] {
  const parent = acceptances.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  acceptances.forEach((a, i) => {
    for (const tool of a.tools.map(toolKey)) {
      const j = owner.get(tool);
      if (j === undefined) owner.set(tool, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Acceptance[]>();
  acceptances.forEach((a, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), a]));
  return [...groups.values()];
}

/**
 * Each group's saving seen in the books by `currentMonth` ('YYYY-MM', not yet over: it is
 * not counted), and the totals.
 */
export function verifySavings(
  acceptances: readonly Acceptance[],
  spend: readonly MonthlySpend[],
  currentMonth: string,
  /** 'YYYY-MM' of every month the organization has any software spend imported for. */
  monthsWithSpend: ReadonlySet<string>,
): SavingsVerification {
  const byToolMonth = new Map<string, number>();
  for (const s of spend)
    byToolMonth.set(`${s.tool}|${s.month}`, (byToolMonth.get(`${s.tool}|${s.month}`) ?? 0) + s.cents);
  const spent = (tools: string[], months: string[]) => {
    let cents = 0;
    let lines = false;
    for (const tool of tools) {
      for (const month of months) {
        const c = byToolMonth.get(`${tool}|${month}`);
        if (c !== undefined) {
          cents += c;
          lines = true;
        }
      }
    }
    return { cents, lines };
  };

  const groups = groupsOf(acceptances).map((members): Verification => {
    const tools = [...new Set(members.flatMap((m) => m.tools.map(toolKey)))].sort();
    const acceptedMonths = members.map((m) => m.acceptedOn.slice(0, 7)).sort();
    const baselineMonths = monthsFrom(monthPlus(acceptedMonths[0]!, -BASELINE_MONTHS), BASELINE_MONTHS);
    let afterMonths: string[] = [];
    for (let m = monthPlus(acceptedMonths.at(-1)!, 1); m < currentMonth; m = monthPlus(m, 1)) {
      if (monthsWithSpend.has(m)) afterMonths.push(m);
    }
    afterMonths = afterMonths.slice(-MAX_AFTER_MONTHS);
    const distinct = [...new Map(members.map((m) => [m.key, m])).values()];
    const expected = distinct.some((m) => m.expectedCents === null)
      ? null
      : distinct.reduce((sum, m) => sum + m.expectedCents!, 0);
    const base = {
      acceptanceIds: members.map((m) => m.id),
      tools,
      baselineMonths,
      afterMonths,
      expectedCents: expected,
    };
    const before = spent(tools, baselineMonths);
    if (!before.lines) {
      return { ...base, baselineMonthlyCents: null, afterMonthlyCents: null, seenCents: null, status: 'no_spend' };
    }
    const baselineMonthlyCents = Math.round(before.cents / BASELINE_MONTHS);
    if (afterMonths.length === 0) {
      return { ...base, baselineMonthlyCents, afterMonthlyCents: null, seenCents: null, status: 'waiting' };
    }
    const afterMonthlyCents = Math.round(spent(tools, afterMonths).cents / afterMonths.length);
    const seenCents = baselineMonthlyCents - afterMonthlyCents;
    const status: VerificationStatus =
      expected !== null && expected > 0 && seenCents >= SEEN_SHARE * expected
        ? 'seen'
        : seenCents > 0
          ? 'partly_seen'
          : 'not_seen';
    return { ...base, baselineMonthlyCents, afterMonthlyCents, seenCents, status };
  });

  const measured = groups.filter((g) => g.seenCents !== null);
  return {
    groups,
    total: {
      expectedCents: groups.reduce((sum, g) => sum + (g.expectedCents ?? 0), 0),
      measuredExpectedCents: measured.reduce((sum, g) => sum + (g.expectedCents ?? 0), 0),
      seenCents: measured.reduce((sum, g) => sum + g.seenCents!, 0),
    },
  };
}
