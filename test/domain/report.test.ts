/**
 * The audit report's model and its CSV (#17 point 3), over generated stacks (fast-check): the
 * CSV reads back to the report's figures, every tool is listed once in the order given, the
 * report's recommendations add up to its headline, and no cell a spreadsheet would run as a
 * formula survives unescaped, whatever the names people type.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { expect, it } from 'vitest';

import { analyze } from '../../src/domain/analysis/engine.js';
import { buildAuditReport } from '../../src/domain/reports/audit-report.js';
import { auditReportCsv } from '../../src/domain/reports/report-csv.js';
import { analysisInput } from './stack-arbitrary.js';

const SEED = Number(process.env.FAST_CHECK_SEED ?? 20261201);
const FORMULA = /^[=+\-@\t\r]/;
/** What papaparse's escapeFormulae makes of a text cell. */
const escaped = (text: string) => (FORMULA.test(text) ? `'${text}` : text);

function sections(csv: string): Map<string, Record<string, string>[]> {
  const rows = Papa.parse<string[]>(csv, { skipEmptyLines: 'greedy' }).data;
  const out = new Map<string, Record<string, string>[]>();
  for (let i = 0; i < rows.length;) {
    const title = rows[i]![0]!;
    const header = rows[i + 1]!;
    const body: Record<string, string>[] = [];
    let j = i + 2;
    for (; j < rows.length && rows[j]!.length === header.length; j++)
      body.push(Object.fromEntries(header.map((h, k) => [h, rows[j]![k]!])));
    out.set(title, body);
    i = j;
  }
  return out;
}

const hostileName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.constantFrom(
    '=1+1',
    '+A1',
    '-2',
    '@SUM(A1)',
    '\t=x',
    '=HYPERLINK("http://x","y")',
    'a,b',
    'say "hi"',
    'two\nlines',
  ),
);

it('the CSV reads back to the report: figures, every tool once in order, formula-like text escaped', () => {
  fc.assert(
    fc.property(analysisInput(), fc.array(hostileName, { maxLength: 5 }), (input, extra) => {
      const stack = { ...input.stack, tools: [...input.stack.tools, ...extra.map((name) => ({ name, owner: name }))] };
      const analysis = analyze({ ...input, stack });
      const report = buildAuditReport({
        organizationName: extra[0] ?? 'Acme',
        audit: { name: extra[1] ?? 'Q4', status: 'completed', completedAt: new Date('2026-12-01T10:00:00Z') },
        stack,
        analysis,
        includePeople: true,
        now: new Date('2026-12-01T12:00:00Z'),
      });
      // The report's recommendations are the analysis's, and add up to its headline.
      const sum = report.recommendations.reduce((c, r) => c + Math.round(r.monthlySavings * 100), 0);
      expect(sum).toBe(Math.round(report.summary!.potentialMonthlySavings * 100));

      const csv = auditReportCsv(report);
      const rows = Papa.parse<string[]>(csv, { skipEmptyLines: 'greedy' }).data;
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(FORMULA);
      const parts = sections(csv);
      const summary = new Map(parts.get('Summary')!.map((r) => [r.Item, r.Value]));
      expect(summary.get('Organization')).toBe(escaped(report.organization!));
      expect(Number(summary.get('Monthly cost'))).toBe(analysis.summary.totalMonthlyCost);
      expect(Number(summary.get('Potential savings a month'))).toBe(analysis.summary.potentialMonthlySavings);
      const tools = parts.get('Tools')!;
      expect(tools.map((t) => t.Tool)).toEqual(stack.tools.map((t) => escaped(t.name)));
      expect(tools.map((t) => t.Owner)).toEqual(stack.tools.map((t) => (t.owner ? escaped(t.owner) : '')));
      const recommendations = parts.get('Recommendations')!;
      expect(recommendations.map((r) => Number(r[`Saves a month (${report.currency})`]))).toEqual(
        analysis.recommendations.map((r) => r.estimatedMonthlySavings),
      );
      expect(parts.get('Renewals in the next 90 days')!.length).toBe(analysis.costAnalysis.renewalsNext90Days.length);
    }),
    { seed: SEED, numRuns: 150 },
  );
});

it('a report made from a public link names nobody; one without an analysis lists the tools and says why', () => {
  const stack = { tools: [{ name: 'Slack', owner: 'ada@example.com', monthlyCost: 10 }] };
  const input = {
    organizationName: 'Acme',
    audit: { name: 'Q4', status: 'pending', completedAt: null },
    stack,
    analysis: null,
    now: new Date('2026-12-01T00:00:00Z'),
  };
  const shared = buildAuditReport({ ...input, includePeople: false });
  expect(shared.tools[0]).toMatchObject({ name: 'Slack', owner: null, monthlyCost: 10, after: null });
  expect(auditReportCsv(shared)).not.toContain('ada@example.com');
  expect(shared.summary).toBeNull();
  expect(shared.organization).toBeNull();
  expect(shared.notes).toEqual(['No analysis has completed for this audit yet: the report lists the tools only.']);
  expect(buildAuditReport({ ...input, includePeople: true }).tools[0]!.owner).toBe('ada@example.com');
});

it("a tool's renewal is the next one the analysis keeps (a passed date rolled forward), else the date as listed", () => {
  const stack = {
    tools: [
      { name: 'Slack', monthlyCost: 10, billingCycle: 'monthly' as const, renewalDate: '2026-03-01', owner: 'it' },
      { name: 'Zoom', monthlyCost: 5, contractEndDate: '2027-02-01', renewalDate: '2026-02-01', owner: 'it' },
    ],
  };
  const input = {
    organizationName: 'Acme',
    audit: { name: 'Q4', status: 'completed', completedAt: null },
    stack,
    now: new Date('2026-12-01T00:00:00Z'),
    includePeople: true,
  };
  const analysis = analyze({ stack, today: '2026-12-01' });
  expect(buildAuditReport({ ...input, analysis }).tools.map((t) => t.renewalDate)).toEqual([
    '2026-12-01',
    '2027-02-01',
  ]);
  // Without an analysis, the dates as typed, the contract's end first (as the analysis reads them).
  expect(buildAuditReport({ ...input, analysis: null }).tools.map((t) => t.renewalDate)).toEqual([
    '2026-03-01',
    '2027-02-01',
  ]);
  // An analysis of the stack before Slack's date was changed, or before its tools were reordered,
  // does not lend its date: the date as typed now.
  const edited = { tools: [{ ...stack.tools[0]!, renewalDate: '2026-12-20' }, stack.tools[1]!] };
  expect(buildAuditReport({ ...input, stack: edited, analysis }).tools.map((t) => t.renewalDate)).toEqual([
    '2026-12-20',
    '2027-02-01',
  ]);
  const reordered = { tools: [stack.tools[1]!, stack.tools[0]!] };
  expect(buildAuditReport({ ...input, stack: reordered, analysis }).tools.map((t) => t.renewalDate)).toEqual([
    '2027-02-01',
    '2026-03-01',
  ]);
});
