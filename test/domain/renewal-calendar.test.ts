/**
 * Which renewal reminders are due (#17 point 2), pure: the lead times reached before each
 * cancel-by date, then before the renewal itself once the cancel-by date has passed; monthly
 * subscriptions only where a notice period binds them, and only with leads under a month;
 * annual contracts from spend renew when their term ends, then yearly.
 */
import { describe, expect, it } from 'vitest';

import { dueReminders, upcomingRenewals, type UpcomingRenewal } from '../../src/domain/renewal-calendar.js';

const TODAY = '2026-12-01';
const renewal = (over: Partial<UpcomingRenewal>): UpcomingRenewal => ({
  key: 'zoom',
  tool: 'Zoom',
  vendor: null,
  owner: null,
  source: 'audit',
  auditId: 'audit_1',
  renewalDate: '2026-12-21',
  cancelBy: null,
  daysLeft: 20,
  cycle: 'annual',
  monthlyCost: 100,
  currency: 'USD',
  recommendation: null,
  ...over,
});
const due = (r: UpcomingRenewal, leads = [90, 30, 7]) =>
  dueReminders([r], leads, TODAY).map((d) => [d.dueDate, d.daysLeft, d.leadDays, d.reachedLeads]);

describe('reminders due', () => {
  it('before the cancel-by date: the smallest lead reached, with the larger ones recorded', () => {
    expect(due(renewal({ cancelBy: '2026-12-06' }))).toEqual([['2026-12-06', 5, 7, [7, 30, 90]]]);
    expect(due(renewal({ cancelBy: '2027-02-01', renewalDate: '2027-03-01' }))).toEqual([['2027-02-01', 62, 90, [90]]]);
    expect(due(renewal({ renewalDate: '2027-06-01' }))).toEqual([]);
  });

  it('once the cancel-by date has passed, before the renewal itself', () => {
    expect(due(renewal({ cancelBy: '2026-11-20', renewalDate: '2026-12-05' }))).toEqual([
      ['2026-12-05', 4, 7, [7, 30, 90]],
    ]);
  });

  it('monthly subscriptions: none without a notice period; with one, only leads under a month', () => {
    expect(due(renewal({ cycle: 'monthly', renewalDate: '2026-12-05' }))).toEqual([]);
    expect(due(renewal({ cycle: 'monthly', renewalDate: '2026-12-25', cancelBy: '2026-12-20' }))).toEqual([]);
    expect(due(renewal({ cycle: 'monthly', renewalDate: '2026-12-10', cancelBy: '2026-12-05' }))).toEqual([
      ['2026-12-05', 4, 7, [7]],
    ]);
  });

  it('no lead times, no reminders', () => {
    expect(due(renewal({ cancelBy: '2026-12-02' }), [])).toEqual([]);
  });
});

describe('renewals from spend', () => {
  it('an annual term renews when it ends, and a year later each year until a newer term comes', () => {
    const spend = (periodStart: string, periodEnd: string, toolName = 'Figma') => ({
      toolName,
      vendor: null,
      amount: 1200,
      currency: 'USD',
      periodStart,
      periodEnd,
    });
    const found = upcomingRenewals({
      today: TODAY,
      horizonDays: 400,
      audit: null,
      spend: [
        spend('2025-11-21', '2026-11-20'), // ended 11 days ago: renews next year
        spend('2026-01-15', '2027-01-14', 'Miro'),
        spend('2026-11-01', '2026-11-30', 'Linear'), // a month: not a contract
      ],
    });
    expect(found.map((r) => [r.tool, r.renewalDate, r.monthlyCost, r.source])).toEqual([
      ['Miro', '2027-01-14', 100, 'spend'],
      ['Figma', '2027-11-20', 100, 'spend'],
    ]);
  });
});
