/**
 * "Audit this spend" over generated tool totals: one row per tool whatever the spelling, the
 * monthly figures add back up to the spend of the window (converted where a rate exists, to
 * within the rounding of each row's average), nothing is counted twice or dropped silently.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { toCents } from '../../src/domain/money.js';
import { stackFromSpend, type ToolTotal } from '../../src/domain/spend-to-stack.js';

const WINDOW = { from: '2026-09-01', until: '2026-12-01', months: 3 };
const RATES = { EUR: 1.1, GBP: 1.25 };
const spelling = fc.constantFrom('Slack', 'slack', 'SLACK', 'Zoom', 'zoom', 'Acme Tool', 'acme tool', 'Homegrown');
const total = fc
  .record({
    name: spelling,
    currency: fc.constantFrom('USD', 'EUR', 'GBP', 'CHF', null),
    cents: fc.integer({ min: 1, max: 5_000_000 }),
  })
  .map(({ name, currency, cents }) => ({ name, currency, cents }));

it('one row per tool, and the rows add up to the window’s spend', () => {
  fc.assert(
    fc.property(fc.array(total, { maxLength: 30 }), (generated) => {
      // The repository answers one row per (tool, currency): merge the generated lines the same way.
      const grouped = new Map<string, ToolTotal & { cents: number }>();
      for (const g of generated) {
        const key = `${g.name.toLowerCase()}|${g.currency ?? ''}`;
        const row = grouped.get(key) ?? {
          toolKey: g.name.toLowerCase(),
          toolName: g.name,
          vendor: null,
          currency: g.currency,
          total: '0',
          cents: 0,
        };
        row.cents += g.cents;
        row.total = (row.cents / 100).toFixed(2);
        grouped.set(key, row);
      }
      const totals = [...grouped.values()];
      const tools = stackFromSpend(totals, WINDOW, 'USD', RATES);

      const keys = new Set(totals.map((t) => t.toolKey));
      expect(new Set(tools.map((t) => t.name.toLowerCase())).size).toBe(tools.length);
      expect(tools).toHaveLength(keys.size);

      // Spend in USD, EUR and GBP comes back (× months) within half a cent a row; CHF has no rate:
      // a tool only in CHF stays in CHF, CHF mixed with others is named in its notes.
      const rate = (c: string | null) => (c === null || c === 'USD' ? 1 : (RATES as Record<string, number>)[c]);
      for (const key of keys) {
        const lines = totals.filter((t) => t.toolKey === key);
        const tool = tools.find((t) => t.name.toLowerCase() === key)!;
        const onlyChf = lines.length === 1 && lines[0]!.currency === 'CHF';
        if (onlyChf) {
          expect(tool.currency).toBe('CHF');
          expect(Math.abs(toCents(tool.monthlyCost!) * 3 - lines[0]!.cents)).toBeLessThanOrEqual(2);
          continue;
        }
        expect(tool.currency).toBeUndefined();
        const expected = lines
          .filter((l) => l.currency !== 'CHF')
          .reduce((sum, l) => sum + Math.round(l.cents * rate(l.currency)!), 0);
        expect(Math.abs(toCents(tool.monthlyCost!) * 3 - expected)).toBeLessThanOrEqual(2);
        if (lines.some((l) => l.currency === 'CHF')) expect(tool.notes).toContain('CHF left out (no exchange rate)');
        expect(tool.monthlyCost).toBeGreaterThanOrEqual(0);
      }
    }),
    { seed: 2026, numRuns: 300 },
  );
});
