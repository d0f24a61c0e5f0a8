/**
 * Money as integer cents: sums of cents are exact, sums of floats are not. Amounts enter
 * as numbers or decimal strings and leave as numbers with two decimal places.
 */

/** The largest amount a DECIMAL(12,2) column holds: beyond it PostgreSQL refuses the value. */
export const MAX_AMOUNT = 9_999_999_999.99;

/** Whole cents of an amount (rounded half away from zero). */
export function toCents(amount: number | string): number {
  const value = typeof amount === 'string' ? Number(amount) : amount;
  if (!Number.isFinite(value)) throw new RangeError(`not an amount: ${String(amount)}`);
  return Math.sign(value) * Math.round(Math.abs(value) * 100 + Number.EPSILON * 100);
}

/** Cents back to a decimal amount, e.g. 123456 → 1234.56. */
export const fromCents = (cents: number): number => Math.round(cents) / 100;

/** cents × ratio, rounded to whole cents (for shares, discounts, unit prices). */
export const scaleCents = (cents: number, ratio: number): number => Math.round(cents * ratio);

/**
 * An amount as people read it in reports, emails and calendars: `$1,234.50`, `€12.00`; a code
 * Intl does not know is written after the number (`12.00 XTS`).
 */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}
