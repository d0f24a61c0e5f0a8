/**
 * Which renewal reminders are due (#17 point 2), pure: the lead times reached before each
 * cancel-by date, then before the renewal itself once the cancel-by date has passed; monthly
 * subscriptions only where a notice period binds them, and only with leads under a month;
 * annual contracts from spend renew when their term ends, then yearly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { addDays } from '../../src/domain/days.js';

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

describe('reminders due, for any renewals and lead times (fast-check)', () => {
  it('at most one per renewal, never for a date passed, its lead reached and the smallest reached, monthly ones only with notice', () => {
    const day = fc.integer({ min: -40, max: 400 }).map((n) => addDays(TODAY, n));
    const arbitrary = fc.record({
      renewalDate: day,
      cancelBy: fc.option(day, { nil: null }),
      cycle: fc.constantFrom('monthly' as const, 'annual' as const),
    });
    fc.assert(
      fc.property(
        fc.array(arbitrary, { maxLength: 10 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 365 }), { maxLength: 6 }),
        (shapes, leads) => {
          const renewals = shapes.map((s, i) => renewal({ ...s, key: `tool-${i}`, tool: `Tool ${i}` }));
          const reminders = dueReminders(renewals, leads, TODAY);
          expect(new Set(reminders.map((r) => r.renewal.key)).size).toBe(reminders.length);
          for (const r of reminders) {
            expect(r.daysLeft).toBeGreaterThanOrEqual(0);
            expect(r.dueDate >= TODAY).toBe(true);
            expect([r.renewal.cancelBy, r.renewal.renewalDate]).toContain(r.dueDate);
            expect(leads).toContain(r.leadDays);
            expect(r.leadDays).toBeGreaterThanOrEqual(r.daysLeft);
            expect(r.reachedLeads[0]).toBe(r.leadDays);
            expect(r.reachedLeads.every((l) => l >= r.daysLeft && leads.includes(l))).toBe(true);
            if (r.renewal.cycle === 'monthly') {
              expect(r.renewal.cancelBy).not.toBeNull();
              expect(r.leadDays).toBeLessThan(28);
            }
          }
        },
      ),
      { seed: 20261201, numRuns: 500 },
    );
  });
});
