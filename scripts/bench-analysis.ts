/**
 * How long the analysis engine takes for 10, 100 and 1,000 tools (target: under 50 ms for
 * 1,000 on the 2-core machine). A benchmark, not a test: it reports, it asserts nothing.
 * Run: npm run bench:analysis
 */
import { CATALOG } from '../src/domain/analysis/catalog.js';
import { analyze } from '../src/domain/analysis/engine.js';
import type { StackData } from '../src/domain/analysis/stack.js';

function stackOf(size: number): StackData {
  return {
    currency: 'USD',
    employeeCount: 500,
    tools: Array.from({ length: size }, (_, i) => {
      const entry = CATALOG[i % CATALOG.length]!;
      const seats = 5 + (i % 50);
      return {
        name: i < CATALOG.length ? entry.name : `${entry.name} ${i}`,
        monthlyCost: 10 + ((i * 37) % 900),
        billingCycle: i % 3 === 0 ? 'annual' : 'monthly',
        seats,
        activeSeats: seats - (i % 7),
        renewalDate: `2026-${String(1 + (i % 12)).padStart(2, '0')}-15`,
        noticePeriodDays: 30,
        ...(i % 4 ? { owner: 'it@example.com' } : {}),
      };
    }),
  };
}

const RUNS = 30;
console.log(`analysis engine, median of ${RUNS} runs (after 5 warm-up runs), Node ${process.version}`);
for (const size of [10, 100, 1000]) {
  const stack = stackOf(size);
  for (let i = 0; i < 5; i++) analyze({ stack, today: '2026-01-01' });
  const times: number[] = [];
  let recommendations = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    recommendations = analyze({ stack, today: '2026-01-01' }).recommendations.length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)]!;
  const p95 = times[Math.floor(RUNS * 0.95)]!;
  console.log(
    `${String(size).padStart(5)} tools: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, ${recommendations} recommendations`,
  );
}
