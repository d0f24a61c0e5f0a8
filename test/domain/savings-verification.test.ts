/**
 * Savings verified in the books, by hand and over generated acceptances: the windows are
 * whole months around the acceptance, recommendations sharing a tool are one group (seen
 * once), and the totals are the sums of the groups.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { monthPlus, verifySavings, type MonthlySpend } from '../../src/domain/savings-verification.js';

const monthsOf = (spend: MonthlySpend[]) => new Set(spend.map((s) => s.month));
const spendOf = (tool: string, months: Record<string, number>): MonthlySpend[] =>
  Object.entries(months).map(([month, cents]) => ({ tool, month, cents }));

describe('savings verified in the books', () => {
  it('three whole months before against the whole months after; seen at 80% of the expected', () => {
    const spend = [
      ...spendOf('microsoft teams', { '2026-06': 20_000, '2026-07': 20_000, '2026-08': 20_000, '2026-10': 0 }),
      ...spendOf('slack', {
        '2026-06': 43_750,
        '2026-07': 43_750,
        '2026-08': 43_750,
        '2026-10': 45_500,
        '2026-11': 45_500,
      }),
    ];
    const result = verifySavings(
      [{ id: 'a', key: 'k', tools: ['Slack', 'MS Teams'], expectedCents: 18_250, acceptedOn: '2026-09-15' }],
      spend,
      '2026-12',
      monthsOf(spend),
    );
    const [group] = result.groups;
    // 637.50 a month before; 455 after (Teams gone, Slack up 2 seats): 182.50 seen of 182.50.
    expect(group).toMatchObject({
      tools: ['microsoft teams', 'slack'],
      baselineMonths: ['2026-06', '2026-07', '2026-08'],
      afterMonths: ['2026-10', '2026-11'],
      baselineMonthlyCents: 63_750,
      afterMonthlyCents: 45_500,
      seenCents: 18_250,
      status: 'seen',
    });
    expect(result.total).toEqual({ expectedCents: 18_250, measuredExpectedCents: 18_250, seenCents: 18_250 });
  });

  it('waiting until a whole month has passed; no spend before means nothing to compare', () => {
    const spend = spendOf('slack', { '2026-10': 10_000, '2026-11': 10_000 });
    const result = verifySavings(
      [
        { id: 'new', key: 'a', tools: ['Slack'], expectedCents: 1_000, acceptedOn: '2026-12-01' },
        { id: 'zoom', key: 'b', tools: ['Zoom'], expectedCents: 500, acceptedOn: '2026-09-01' },
      ],
      spend,
      '2026-12',
      monthsOf(spend),
    );
    expect(result.groups.map((g) => [g.acceptanceIds, g.status])).toEqual([
      [['new'], 'waiting'],
      [['zoom'], 'no_spend'],
    ]);
    expect(result.total).toEqual({ expectedCents: 1_500, measuredExpectedCents: 0, seenCents: 0 });
  });

  it('a month not imported yet is not a month without spend; the same recommendation accepted twice is expected once', () => {
    const before = spendOf('slack', { '2026-06': 10_000, '2026-07': 10_000, '2026-08': 10_000 });
    const twice = [
      { id: 'a', key: 'remove_unused_seats:Slack', tools: ['Slack'], expectedCents: 2_000, acceptedOn: '2026-09-10' },
      { id: 'b', key: 'remove_unused_seats:Slack', tools: ['slack'], expectedCents: 2_000, acceptedOn: '2026-09-20' },
    ];
    // The books stop at September: October and November are not "no spend".
    const waiting = verifySavings(twice, before, '2026-12', new Set(['2026-06', '2026-07', '2026-08', '2026-09']));
    expect(waiting.groups[0]).toMatchObject({ status: 'waiting', afterMonths: [], expectedCents: 2_000 });
    const after = [...before, ...spendOf('slack', { '2026-10': 8_000, '2026-11': 8_000 })];
    const seen = verifySavings(twice, after, '2026-12', monthsOf(after));
    expect(seen.groups[0]).toMatchObject({ status: 'seen', seenCents: 2_000, expectedCents: 2_000 });
  });

  it('recommendations sharing a tool are verified once, together: before the first, after the last', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            tools: fc.uniqueArray(fc.constantFrom('Slack', 'Zoom', 'Notion', 'Jira', 'Asana'), {
              minLength: 1,
              maxLength: 3,
            }),
            expectedCents: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
            offset: fc.integer({ min: 0, max: 10 }),
          }),
          { maxLength: 8 },
        ),
        fc.array(
          fc.record({
            tool: fc.constantFrom('slack', 'zoom', 'notion', 'jira', 'asana'),
            offset: fc.integer({ min: 0, max: 16 }),
            cents: fc.integer({ min: -5_000, max: 100_000 }),
          }),
          { maxLength: 60 },
        ),
        (raw, rawSpend) => {
          const acceptances = raw.map((a, i) => ({
            id: `acc${i}`,
            key: `key${i}`,
            tools: a.tools,
            expectedCents: a.expectedCents,
            acceptedOn: `${monthPlus('2026-01', a.offset)}-10`,
          }));
          const spend = rawSpend.map((s) => ({ tool: s.tool, month: monthPlus('2025-10', s.offset), cents: s.cents }));
          const imported = monthsOf(spend);
          const { groups, total } = verifySavings(acceptances, spend, '2027-02', imported);
          // Every acceptance is in exactly one group, and groups share no tool.
          expect(groups.flatMap((g) => g.acceptanceIds).sort()).toEqual(acceptances.map((a) => a.id).sort());
          const tools = groups.flatMap((g) => g.tools);
          expect(new Set(tools).size).toBe(tools.length);
          // The totals are the sums of the groups: nothing seen twice.
          const measured = groups.filter((g) => g.seenCents !== null);
          expect(total.seenCents).toBe(measured.reduce((s, g) => s + g.seenCents!, 0));
          expect(total.measuredExpectedCents).toBe(measured.reduce((s, g) => s + (g.expectedCents ?? 0), 0));
          for (const g of groups) {
            expect(g.baselineMonths).toHaveLength(3);
            const last = acceptances
              .filter((a) => g.acceptanceIds.includes(a.id))
              .map((a) => a.acceptedOn.slice(0, 7))
              .sort()
              .at(-1)!;
            for (const m of g.afterMonths) expect(m > last && m < '2027-02' && imported.has(m)).toBe(true);
            if (g.seenCents !== null) expect(g.seenCents).toBe(g.baselineMonthlyCents! - g.afterMonthlyCents!);
            if (g.status === 'seen') expect(g.seenCents!).toBeGreaterThanOrEqual(0.8 * g.expectedCents!);
          }
        },
      ),
      { seed: 77, numRuns: 300 },
    );
  });
});
