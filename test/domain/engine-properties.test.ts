/**
 * What a user relies on in every analysis, whatever the stack: the totals add up, the
 * savings are never negative, their total is exactly their sum and never more than the bill,
 * the waterfall leaves every user a seat and costs the bill minus the savings, the list is
 * sorted, every named tool is one of the stack's, the scores stay in 0–100. Checked over generated stacks
 * (test/domain/stack-arbitrary.ts) with a fixed seed, so a failure replays.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { analyze, type Analysis, type AnalysisInput } from '../../src/domain/analysis/engine.js';
import { toCents } from '../../src/domain/money.js';
import { analysisInput } from './stack-arbitrary.js';

const SEED = 1616;
const RUNS = 400;
const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const sumCents = (amounts: number[]): number => amounts.reduce((sum, a) => sum + toCents(a), 0);

function checkInvariants(input: AnalysisInput, a: Analysis): void {
  const { summary, costAnalysis, recommendations, riskAssessment } = a;
  const names = new Set(input.stack.tools.map((t) => t.name));
  const total = toCents(summary.totalMonthlyCost);

  expect(summary.toolCount).toBe(input.stack.tools.length);
  expect(costAnalysis.currency).toBe(input.stack.currency ?? 'USD');
  expect(costAnalysis.totalMonthlyCost).toBe(summary.totalMonthlyCost);
  expect(toCents(summary.totalAnnualCost)).toBe(12 * total);

  // The total is the sum of the tools, and of the categories; the shares make ~1.
  expect(sumCents(costAnalysis.byTool.map((t) => t.monthlyCost))).toBe(total);
  expect(sumCents(costAnalysis.byCategory.map((c) => c.monthlyCost))).toBe(total);
  expect(costAnalysis.byCategory.reduce((n, c) => n + c.toolCount, 0)).toBe(costAnalysis.byTool.length);
  const shares = costAnalysis.byCategory.reduce((sum, c) => sum + c.share, 0);
  if (total > 0) expect(Math.abs(shares - 1)).toBeLessThanOrEqual(0.005 * costAnalysis.byCategory.length + 1e-9);
  else expect(shares).toBe(0);
  for (const t of costAnalysis.byTool) expect(names.has(t.name)).toBe(true);

  // Savings: never negative, sorted, and the headline is exactly their sum, never more than the bill.
  const savings = recommendations.map((r) => r.estimatedMonthlySavings);
  for (const s of savings) expect(s).toBeGreaterThanOrEqual(0);
  expect(savings).toEqual([...savings].sort((x, y) => y - x));
  expect(toCents(summary.potentialMonthlySavings)).toBe(sumCents(savings));
  expect(toCents(summary.potentialMonthlySavings)).toBeLessThanOrEqual(total);

  // The waterfall: the stack left after every recommendation costs the bill minus the savings,
  // tool by tool; no tool keeps fewer seats than the people using it, and nobody who used a
  // tool is left without one (a retired tool's users are counted on the tool kept).
  const after = costAnalysis.afterSavings!;
  expect(after.tools.map((t) => t.name)).toEqual(input.stack.tools.map((t) => t.name));
  expect(sumCents(after.tools.map((t) => t.monthlyCost ?? 0))).toBe(total - toCents(summary.potentialMonthlySavings));
  expect(toCents(after.monthlyCost)).toBe(total - toCents(summary.potentialMonthlySavings));
  let usersBefore = 0;
  let usersAfter = 0;
  let usersKnown = true;
  for (const [i, t] of after.tools.entries()) {
    const listed = input.stack.tools[i]!;
    if (t.monthlyCost !== null) expect(t.monthlyCost).toBeGreaterThanOrEqual(0);
    if (t.retiredBy) {
      expect([t.seats ?? 0, t.activeSeats ?? 0, t.monthlyCost ?? 0]).toEqual([0, 0, 0]);
    } else if (t.seats !== null && t.activeSeats !== null) {
      expect(t.seats, `${t.name}: seats left ≥ people using it`).toBeGreaterThanOrEqual(t.activeSeats);
      expect(t.activeSeats).toBeGreaterThanOrEqual(listed.activeSeats ?? 0);
    }
    if (listed.activeSeats === undefined || (t.activeSeats === null && !t.retiredBy)) usersKnown = false;
    usersBefore += listed.activeSeats ?? 0;
    usersAfter += t.activeSeats ?? 0;
  }
  if (usersKnown) expect(usersAfter, 'every user still has a seat somewhere').toBe(usersBefore);
  // Each step of the waterfall quotes the bill it leaves: in step order, they go down by its saving.
  const stepped = recommendations
    .filter((r) => typeof r.evidence.step === 'number')
    .sort((x, y) => (x.evidence.step as number) - (y.evidence.step as number));
  expect(stepped.map((r) => r.evidence.step)).toEqual(stepped.map((_, i) => i + 1));
  let bill = total;
  for (const r of stepped) {
    bill -= toCents(r.estimatedMonthlySavings);
    expect(toCents(r.evidence.monthlyCostAfter as number)).toBe(bill);
  }
  expect(bill).toBe(total - toCents(summary.potentialMonthlySavings));
  for (const r of recommendations) {
    expect(r.tools.length).toBeGreaterThan(0);
    for (const name of r.tools) expect(names.has(name), `${r.type} names ${name}`).toBe(true);
    expect(r.confidence).toBeGreaterThanOrEqual(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
  }
  for (const f of riskAssessment.factors) for (const name of f.tools) expect(names.has(name)).toBe(true);

  // Scores in 0–100, and the level follows the risk score.
  for (const score of [summary.healthScore, riskAssessment.score]) {
    expect(Number.isInteger(score)).toBe(true);
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
  }
  const s = riskAssessment.score;
  expect(riskAssessment.level).toBe(s >= 75 ? 'critical' : s >= 50 ? 'high' : s >= 25 ? 'medium' : 'low');

  // Renewals: within the next 90 days, in date order, the cancel-by date not after the renewal.
  const today = dayNumber(input.today);
  const renewals = costAnalysis.renewalsNext90Days;
  expect(renewals.map((r) => r.date)).toEqual(renewals.map((r) => r.date).sort());
  for (const r of renewals) {
    expect(dayNumber(r.date) - today).toBeGreaterThanOrEqual(0);
    expect(dayNumber(r.date) - today).toBeLessThanOrEqual(90);
    if (r.cancelBy !== null) expect(r.cancelBy <= r.date).toBe(true);
  }
  // Each tool's next renewal, in the stack's order: none without a listed date, never in the
  // past, and every renewal of the next 90 days among them.
  const next = costAnalysis.nextRenewals!;
  expect(next.map((n) => n.name)).toEqual(input.stack.tools.map((t) => t.name));
  next.forEach((n, i) => {
    const tool = input.stack.tools[i]!;
    expect(n.listed).toBe(tool.contractEndDate ?? tool.renewalDate ?? null);
    if (n.listed === null) expect(n.date).toBeNull();
    if (n.date !== null) expect(dayNumber(n.date)).toBeGreaterThanOrEqual(today);
  });
  for (const r of renewals) expect(next).toContainEqual(expect.objectContaining({ name: r.name, date: r.date }));

  // A currency is reported missing only when a tool is in it and no rate was given.
  const currency = costAnalysis.currency;
  expect(costAnalysis.missingRates).toEqual([...new Set(costAnalysis.missingRates)].sort());
  for (const c of costAnalysis.missingRates) {
    expect(c).not.toBe(currency);
    expect(input.rates?.[c]).toBeUndefined();
    expect(input.stack.tools.some((t) => t.currency === c)).toBe(true);
  }
  expect(costAnalysis.perEmployee === null).toBe(!input.stack.employeeCount);
}

it('the totals add up; savings are a waterfall: summed exactly, bounded, never negative, every user kept; scores in 0–100', () => {
  fc.assert(
    fc.property(analysisInput(), (input) => {
      const before = structuredClone(input);
      const a = analyze(input);
      checkInvariants(input, a);
      // Pure: the input is left as it was, and the same input gives the same analysis.
      expect(input).toEqual(before);
      expect(analyze(input)).toEqual(a);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});
