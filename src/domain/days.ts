/** Calendar days as 'YYYY-MM-DD' strings (what a DATE column holds). */

/**
 * True for a day that exists in the calendar: '2026-02-28' yes, '2026-02-30' no. Year 0000
 * is not one: JavaScript's calendar has a year 0, PostgreSQL's DATE does not (1 BC comes
 * before AD 1) and refuses it.
 */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The first moment of the current calendar month, UTC: monthly limits count from it. */
export function startOfMonthUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The Monday (UTC) that starts the week of `now`, 'YYYY-MM-DD'. */
export function weekStart(now: Date): string {
  const day = now.getUTCDay(); // 0 = Sunday
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((day + 6) % 7)));
  return monday.toISOString().slice(0, 10);
}

/** True for a time zone the runtime knows by its IANA name ('Europe/Paris', 'UTC'). */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day it is at `now` in `timeZone`, 'YYYY-MM-DD' (an unknown zone counts as UTC). */
export function todayIn(timeZone: string, now = new Date()): string {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
}

/** 'YYYY-MM-DD' plus `months` calendar months, the day kept or clamped to the month's last (Jan 31 + 1 → Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** `date` (YYYY-MM-DD) moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Seconds from `now` to the next midnight in `timeZone` (when a daily allowance there comes back). */
export function secondsUntilNextDayIn(timeZone: string, now = new Date()): number {
  const tomorrow = addDays(todayIn(timeZone, now), 1);
  // The zone's offset now: its wall-clock time read as if it were UTC, minus now.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: isTimeZone(timeZone) ? timeZone : 'UTC',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(now)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = wall - Math.floor(now.getTime() / 1000) * 1000;
  return Math.max(1, Math.ceil((Date.parse(`${tomorrow}T00:00:00Z`) - offset - now.getTime()) / 1000));
}
