/** Renewals in date order, counted from the organization's today: on the audit page and the dashboard. */
import type { Analysis } from '../api/types';
import { daysBetween, inDays, money } from '../format';

/**
 * Renewals in date order, each with the last day to cancel (from the notice period), counted
 * from `today` (the organization's, as the renewals page counts).
 */
export function RenewalTimeline({
  renewals,
  currency,
  today,
}: {
  renewals: Analysis['costAnalysis']['renewalsNext90Days'];
  currency: string;
  today: string;
}) {
  if (renewals.length === 0) return <p className="muted">No renewal in the next 90 days.</p>;
  const daysFromToday = (day: string) => daysBetween(today, day);
  const sorted = [...renewals].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <ol className="timeline" aria-label="Renewal timeline">
      {sorted.map((r) => {
        const cancelIn = r.cancelBy ? daysFromToday(r.cancelBy) : null;
        return (
          <li key={`${r.name}-${r.date}`}>
            <time dateTime={r.date}>{r.date}</time> <strong>{r.name}</strong> renews {inDays(daysFromToday(r.date))} ·{' '}
            {money(r.monthlyCost, currency)} a month
            {r.cancelBy && (
              <div className={cancelIn !== null && cancelIn < 14 ? 'field-error' : 'muted'}>
                Cancel by <time dateTime={r.cancelBy}>{r.cancelBy}</time> ({inDays(cancelIn!)})
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
