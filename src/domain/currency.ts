/**
 * Currencies: an organization keeps exchange rates against its base currency (1 unit of a
 * currency = `rate` units of the base), edited by admins; nothing is fetched from the
 * network. An amount whose rate is missing is reported, never summed as if 1:1.
 */
import { scaleCents } from './money.js';

export type Rates = Readonly<Record<string, number>>;

/**
 * The same table seen from another currency: 1 unit of c = result[c] units of `target`.
 * Empty when the target is neither the base nor has a rate (nothing can be converted).
 */
export function ratesInto(target: string, base: string, rates: Rates): Record<string, number> {
  if (target === base) return { ...rates };
  const targetRate = rates[target];
  if (targetRate === undefined || targetRate <= 0) return {};
  const result: Record<string, number> = { [base]: 1 / targetRate };
  for (const [currency, rate] of Object.entries(rates)) {
    if (currency !== target) result[currency] = rate / targetRate;
  }
  return result;
}

/** Cents of `currency` in the base currency; null when no rate is known. */
export function toBaseCents(cents: number, currency: string, base: string, rates: Rates): number | null {
  if (currency === base) return cents;
  const rate = rates[currency];
  return rate === undefined ? null : scaleCents(cents, rate);
}
