/**
 * The audit list and the audit page are written by PostgreSQL (src/db/json-text.ts,
 * src/repositories/audit-json.ts). For any audit (any name and error text, any status, null
 * or not, timestamps with microseconds from 1970 to 2199, any amount a DECIMAL(12,2) holds, NaN too, with or without an analysis),
 * what PostgreSQL writes parses to exactly what the JavaScript presenter makes of the same
 * row: on both databases, in the list and on the page.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { presentAnalysis, presentAudit } from '../../src/http/routes/audits/presenter.js';
import { AccessRepository } from '../../src/repositories/access.repository.js';
import { AnalysisResultRepository } from '../../src/repositories/analysis-result.repository.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { describeEachDatabase } from '../harness/databases.js';
import { makeTenant } from '../harness/factories.js';

/** Texts JSON writers could get wrong, then anything fast-check makes of full Unicode (PostgreSQL text holds no U+0000). */
const text = fc
  .oneof(
    fc.constantFrom(
      '',
      ' ',
      '"',
      '\\',
      '\\"',
      ',"error":null',
      '</script>',
      '\u0001\u001f\u007f',
      '\t\n\r',
      'ü ✓ 日本 🎉',
    ),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
  )
  .map((s) => s.replaceAll('\u0000', ''));

/** An instant with microseconds, as PostgreSQL may hold one (a JS Date keeps the milliseconds). */
const instant = fc
  .tuple(
    fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([date, micros]) => date.toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`));

/** Any amount of a DECIMAL(12,2), as text: NaN too, which the column takes and JSON cannot hold. */
const amount = fc.oneof(
  fc.bigInt({ min: -9_999_999_999_99n, max: 9_999_999_999_99n }).map((cents) => {
    const sign = cents < 0n ? '-' : '';
    const abs = cents < 0n ? -cents : cents;
    return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  }),
  fc.constant('NaN'),
);

/** What JSON makes of an amount as drizzle reads it (a string): a number, NaN as null. */
const asJson = (value: string | null): unknown => JSON.parse(JSON.stringify(value === null ? null : Number(value)));

const auditRow = fc.record({
  name: text.map((s) => s.slice(0, 255)),
  status: fc.constantFrom(null, 'pending', 'analyzing', 'completed', 'failed'),
  error: fc.option(text, { nil: null }),
  createdAt: instant,
  updatedAt: instant,
  completedAt: fc.option(instant, { nil: null }),
  toolCount: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
  totalMonthlyCost: fc.option(amount, { nil: null }),
  potentialMonthlySavings: fc.option(amount, { nil: null }),
  stackData: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: null }),
});

const document = fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: null });
/** The audit's latest analysis, if it has one: documents of any JSON (or none). */
const analysisRow = fc.option(
  fc.record({
    createdAt: instant,
    summary: document,
    recommendations: document,
    costAnalysis: document,
    riskAssessment: document,
  }),
  { nil: null },
);

/** A document as JSON carries it (-0 as 0). */
const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describeEachDatabase('audits written as JSON by PostgreSQL', (current) => {
  it('the list and the page say of any audit what the presenter says of its row', async () => {
    const db = current().database.db;
    const { organization, admin } = await makeTenant(db);
    const audits = new AuditRepository(db);
    const access = new AccessRepository(db);
    await fc.assert(
      fc.asyncProperty(auditRow, analysisRow, async (row, analysis) => {
        // Each run alone in the organization: a run that failed leaves nothing for the next
        // (fast-check's shrinking reruns it).
        await db.execute(sql`DELETE FROM audits WHERE organization_id = ${organization.id}`);
        const { id } = await audits.create({
          organizationId: organization.id,
          userId: admin.id,
          name: 'x',
          stackData: null,
        });
        await db.execute(sql`UPDATE audits SET name = ${row.name}, status = ${row.status}, error = ${row.error},
          created_at = ${row.createdAt}::timestamptz, updated_at = ${row.updatedAt}::timestamptz,
          completed_at = ${row.completedAt}::timestamptz, tool_count = ${row.toolCount},
          total_monthly_cost = ${row.totalMonthlyCost}::numeric, potential_monthly_savings = ${row.potentialMonthlySavings}::numeric,
          stack_data = ${row.stackData === null ? null : JSON.stringify(row.stackData)}::jsonb
          WHERE id = ${id}`);
        if (analysis) {
          const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
          await db.execute(sql`INSERT INTO analysis_results (id, audit_id, created_at, summary, recommendations, cost_analysis, risk_assessment)
            VALUES (${`analysis_${id}`}, ${id}, ${analysis.createdAt}::timestamptz, ${json(analysis.summary)}::jsonb,
              ${json(analysis.recommendations)}::jsonb, ${json(analysis.costAnalysis)}::jsonb, ${json(analysis.riskAssessment)}::jsonb)`);
        }
        // The reference: the row as drizzle maps it, through the JavaScript presenter.
        const stored = (await audits.findById(organization.id, id))!;
        const presented = presentAudit(stored);

        const listed = (
          JSON.parse((await audits.listPage(organization.id, { limit: 100 })).items) as { id: string }[]
        ).find((item) => item.id === id);
        expect(listed).toStrictEqual(
          strip({
            ...presented,
            toolCount: stored.toolCount,
            totalMonthlyCost: asJson(stored.totalMonthlyCost),
            potentialMonthlySavings: asJson(stored.potentialMonthlySavings),
          }),
        );

        const page = JSON.parse((await access.auditPage(organization.id, id, admin))!.json!) as {
          audit: unknown;
          analysis: unknown;
        };
        // The stack as generated, through JSON (which writes -0 as 0): drizzle parses a jsonb
        // string that looks like JSON once more (its "0" reads as 0), so its row is no
        // reference for this one field.
        expect(page.audit).toStrictEqual(strip({ ...presented, stackData: throughJson(row.stackData) }));
        // The analysis as presentAnalysis writes the stored row, its documents as generated.
        const [latest] = await new AnalysisResultRepository(db).listForAudit(organization.id, id);
        expect(page.analysis).toStrictEqual(
          latest && analysis
            ? {
                ...presentAnalysis(latest),
                summary: throughJson(analysis.summary),
                recommendations: throughJson(analysis.recommendations),
                costAnalysis: throughJson(analysis.costAnalysis),
                riskAssessment: throughJson(analysis.riskAssessment),
              }
            : null,
        );
      }),
      { numRuns: 60 },
    );
  });
});

/** The object as JSON carries it: undefined fields left out. */
function strip(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
