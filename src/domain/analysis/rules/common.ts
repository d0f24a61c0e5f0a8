/** What several rules use: the thresholds they quote, list prices by billing cycle, calendar days. */
import type { TierFact } from '../catalog.js';
import type { Tool } from '../stack.js';

/** Thresholds, named so that the evidence can quote them. */
export const RULES = Object.freeze({
  renewalWindowDays: 90,
  cancelByWarningDays: 30,
  trialWarningDays: 14,
  ssoSeatThreshold: 25,
  vendorConcentrationShare: 0.4,
  renegotiateAbove: 1.2,
  /** A unit price within 3% of a tier's list price is taken to be that tier. */
  tierMatchTolerance: 0.03,
});

export type Cycle = 'monthly' | 'annual';

/** A tier's list price per seat per month on a billing cycle; null where it is not listed. */
export const listPrice = (tier: TierFact, cycle: Cycle): number | null =>
  cycle === 'monthly' ? tier.monthly : tier.annualMonthly;

/** Priced by the seat (the default): flat and usage pricing have no seats to remove or tiers to match. */
export const isPerSeat = (tool: Tool): boolean => tool.pricingModel !== 'flat' && tool.pricingModel !== 'usage';

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of a 'YYYY-MM-DD' day, and back. */
export const dayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
export const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * The date a tool's contract ends or renews, as listed: the contract's end where given, else
 * the renewal date. Every reader of a tool's renewal (the renewals rule, the calendar, what
 * pages show) starts from it.
 */
export const listedDate = (tool: { contractEndDate?: string; renewalDate?: string }): string | null =>
  tool.contractEndDate ?? tool.renewalDate ?? null;

/** Names as a sentence lists them: "A", "A and B", "A, B and C"; beyond `max`, "A, B, C and 4 more". */
export const andList = (names: readonly string[], max = Infinity): string => {
  if (names.length > max) return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
};
