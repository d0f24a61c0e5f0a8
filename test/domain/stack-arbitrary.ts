/**
 * Generated stacks for property tests of the analysis engine (fast-check). They lean towards
 * what makes the rules fire: catalog tools with price ladders and overlaps, unit prices on
 * (or near) a listed tier, idle seats, 25+ seats, dates around `today`, other currencies.
 */
import fc from 'fast-check';

import { CATALOG, findInCatalog, OVERLAP_GROUPS } from '../../src/domain/analysis/catalog.js';
import type { AnalysisInput } from '../../src/domain/analysis/engine.js';
import type { StackData, Tool } from '../../src/domain/analysis/stack.js';

const DAY_MS = 86_400_000;
const dayOf = (base: string, offset: number): string =>
  new Date(Date.parse(`${base}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);
const cents = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((c) => c / 100);

const PRICED = CATALOG.filter((e) => e.price).map((e) => e.name);
const OVERLAPPING = [...new Set(OVERLAP_GROUPS.flatMap((g) => g.tools))];
const ALIASES = CATALOG.flatMap((e) => e.aliases);
const CATEGORIES = [...new Set(CATALOG.map((e) => e.category))];
/** Every listed (tool, tier, billing cycle) with its price per seat per month. */
const TIER_PRICES = CATALOG.flatMap((e) =>
  (e.price?.tiers ?? []).flatMap((t) => [
    ...(t.monthly === null ? [] : [{ name: e.name, unit: t.monthly, cycle: 'monthly' as const }]),
    ...(t.annualMonthly === null ? [] : [{ name: e.name, unit: t.annualMonthly, cycle: 'annual' as const }]),
  ]),
);

const toolName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PRICED) },
  { weight: 3, arbitrary: fc.constantFrom(...OVERLAPPING) },
  { weight: 1, arbitrary: fc.constantFrom(...ALIASES) },
  { weight: 1, arbitrary: fc.constantFrom('Acme Chat', 'Homegrown', 'Mystery App', 'Shady Scraper') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
);

/** A cost for the tool: none, any amount, or a unit price on (or just off) one of its catalog tiers. */
function costOf(name: string, seats: number | undefined): fc.Arbitrary<Partial<Tool>> {
  const tiers = findInCatalog(name)?.price?.tiers ?? [];
  const listed = tiers.flatMap((t) => [
    ...(t.monthly === null ? [] : [{ unit: t.monthly, annual: false }]),
    ...(t.annualMonthly === null ? [] : [{ unit: t.annualMonthly, annual: true }]),
  ]);
  const options: fc.Arbitrary<Partial<Tool>>[] = [
    fc.constant({}),
    fc.constant({ monthlyCost: 0 }),
    cents(5000).map((monthlyCost) => ({ monthlyCost })),
    cents(60_000).map((annualCost) => ({ annualCost })),
    fc.record({ monthlyCost: cents(2000), annualCost: cents(20_000) }),
  ];
  if (listed.length && seats) {
    const onTier = fc
      .tuple(fc.constantFrom(...listed), fc.constantFrom(1, 1, 1, 0.98, 1.02, 0.95, 1.05, 1.3, 2))
      .map(([{ unit, annual }, drift]) => {
        const monthly = Math.round(unit * drift * seats * 100) / 100;
        return annual ? { annualCost: Math.round(monthly * 1200) / 100 } : { monthlyCost: monthly };
      });
    options.push(onTier, onTier, onTier);
  }
  return fc.oneof(...options);
}

function toolArbitrary(today: string, valid: boolean): fc.Arbitrary<Tool> {
  const offset = (min: number, max: number) => fc.integer({ min, max }).map((d) => dayOf(today, d));
  return fc
    .record(
      {
        name: toolName,
        vendor: fc.oneof(fc.constantFrom('Microsoft', 'Google', 'Atlassian', '', ' '), fc.string({ maxLength: 8 })),
        category: fc.oneof(
          fc.constantFrom(...CATEGORIES),
          fc.constantFrom('', ' ', 'uncategorized'),
          fc.string({ maxLength: 8 }),
        ),
        currency: fc.constantFrom('USD', 'USD', 'EUR', 'GBP'),
        billingCycle: fc.constantFrom('monthly' as const, 'annual' as const),
        pricingModel: fc.constantFrom('per_seat' as const, 'per_seat' as const, 'flat' as const, 'usage' as const),
        // Either side of RULES.ssoSeatThreshold (25), and now and then none or many.
        seats: fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: 1, max: 24 }) },
          { weight: 2, arbitrary: fc.integer({ min: 25, max: 60 }) },
          { weight: 1, arbitrary: fc.integer({ min: 0, max: 500 }) },
        ),
        /** Percent of the seats in use (over 100 only for `valid: false`). */
        activeShare: fc.oneof(
          fc.constant(0),
          fc.constant(100),
          fc.integer({ min: 0, max: 100 }),
          fc.integer({ min: 0, max: 300 }),
        ),
        renewalDate: offset(-40, 200),
        contractEndDate: offset(-40, 200),
        autoRenew: fc.boolean(),
        noticePeriodDays: fc.integer({ min: 0, max: 120 }),
        trialEndsAt: offset(-5, 30),
        owner: fc.constantFrom('it@example.com', '', '  ', 'ops'),
      },
      { requiredKeys: ['name'] },
    )
    .chain(({ activeShare, ...tool }) => {
      const fixed: Tool = { ...tool };
      if (activeShare !== undefined && (fixed.seats !== undefined || !valid)) {
        const active = Math.round(((fixed.seats ?? 10) * activeShare) / 100);
        fixed.activeSeats = valid ? Math.min(active, fixed.seats ?? 0) : active;
      }
      return costOf(fixed.name, fixed.seats).map((cost) => ({ ...fixed, ...cost }));
    });
}

/** A per-seat USD tool paying exactly a listed tier's price: what the tier rules act on. */
function onTierArbitrary(): fc.Arbitrary<Tool> {
  return fc
    .record({
      price: fc.constantFrom(...TIER_PRICES),
      seats: fc.integer({ min: 1, max: 60 }),
      activeShare: fc.integer({ min: 0, max: 100 }),
      owner: fc.constantFrom('it@example.com', ''),
    })
    .map(({ price, seats, activeShare, owner }): Tool => {
      const monthly = Math.round(price.unit * seats * 100) / 100;
      return {
        name: price.name,
        billingCycle: price.cycle,
        ...(price.cycle === 'annual' ? { annualCost: Math.round(monthly * 1200) / 100 } : { monthlyCost: monthly }),
        seats,
        activeSeats: Math.round((seats * activeShare) / 100),
        owner,
      };
    });
}

/** An analysis input: a stack, the day it is analysed on, and (sometimes) exchange rates. */
export function analysisInput({ valid = true, maxTools = 25 } = {}): fc.Arbitrary<AnalysisInput> {
  return fc.integer({ min: 0, max: 3 * 365 }).chain((d) => {
    const today = dayOf('2024-01-01', d);
    const tool = fc.oneof(
      { weight: 4, arbitrary: toolArbitrary(today, valid) },
      { weight: 1, arbitrary: onTierArbitrary() },
    );
    const stack: fc.Arbitrary<StackData> = fc.record(
      {
        currency: fc.constantFrom('USD', 'USD', 'EUR'),
        employeeCount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2000 })),
        // Small stacks too: in large ones consolidation retires most catalog tools first.
        tools: fc.oneof(fc.array(tool, { maxLength: 4 }), fc.array(tool, { maxLength: maxTools })),
      },
      { requiredKeys: ['tools'] },
    );
    const rates = fc.option(
      fc.record(
        { EUR: fc.double({ min: 0.5, max: 2, noNaN: true }), GBP: fc.double({ min: 0.5, max: 2, noNaN: true }) },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    );
    return fc.record({ stack, today: fc.constant(today), rates });
  });
}
