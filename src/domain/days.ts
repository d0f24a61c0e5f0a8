/** Calendar days as 'YYYY-MM-DD' strings (what a DATE column holds). */

/** True for a day that exists in the calendar: '2026-02-28' yes, '2026-02-30' no. */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
