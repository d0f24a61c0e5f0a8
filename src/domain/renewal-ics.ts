/**
 * The renewal calendar as iCalendar (RFC 5545, made with ical-generator): one all-day event
 * per renewal and one per cancel-by date. UIDs are stable (organization, tool, kind, date), so
 * a calendar that polls the feed updates an event rather than adding it again. No names of
 * people: the feed's URL ends up in calendar services, as a public link would. Pure.
 */
import ical from 'ical-generator';

import { formatMoney } from './money.js';
import type { UpcomingRenewal } from './renewal-calendar.js';

const day = (date: string) => new Date(`${date}T00:00:00Z`);

export function renewalCalendar(input: {
  organizationId: string;
  organizationName: string;
  renewals: UpcomingRenewal[];
  url: string;
  now: Date;
}): string {
  const calendar = ical({
    name: `${input.organizationName} — software renewals (StackAudit)`,
    prodId: { company: 'StackAudit', product: 'Renewals', language: 'EN' },
    // Calendars poll a feed; ask for twice a day (Outlook and Apple honour it, Google polls its own way).
    ttl: 12 * 60 * 60,
  });
  const uid = (r: UpcomingRenewal, kind: string, date: string) =>
    `${input.organizationId}-${r.key.replace(/[^a-z0-9]+/g, '-')}-${kind}-${date}@stackaudit`;
  for (const r of input.renewals) {
    const cost = r.monthlyCost === null ? null : `${formatMoney(r.monthlyCost, r.currency)} a month`;
    const details = [
      cost,
      r.recommendation ? `Recommendation: ${r.recommendation.title}` : null,
      `Source: ${r.source === 'audit' ? 'the latest audit' : 'connected spend'}`,
      input.url,
    ].filter((line): line is string => line !== null);
    calendar.createEvent({
      id: uid(r, 'renewal', r.renewalDate),
      start: day(r.renewalDate),
      allDay: true,
      stamp: input.now,
      summary: `${r.tool} renews${cost ? ` (${cost})` : ''}`,
      description: details.join('\n'),
      url: input.url,
    });
    if (r.cancelBy)
      calendar.createEvent({
        id: uid(r, 'cancel-by', r.cancelBy),
        start: day(r.cancelBy),
        allDay: true,
        stamp: input.now,
        summary: `Last day to cancel ${r.tool} (renews ${r.renewalDate})`,
        description: details.join('\n'),
        url: input.url,
      });
  }
  return calendar.toString();
}
