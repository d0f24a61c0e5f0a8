/**
 * The report as CSV: one file, a titled table per part (summary, recommendations, tools,
 * renewals, risks), a blank line between them, so it opens as is in a spreadsheet.
 *
 * A cell a user typed (a tool's name, an owner, a note) that begins with `=`, `+`, `-`, `@`,
 * a tab or a carriage return would run as a formula when the file is opened; papaparse's
 * `escapeFormulae` puts a `'` before such text (numbers stay numbers). Its own pattern for
 * `true` (`/^[=+\-@\t\r].*$/`) misses text with a line break in it (`.` stops at the break,
 * and `$` is then not the end): the property test found `=1+1` followed by a second line
 * left as it was, so the pattern is given here, anchored at the start only.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
import Papa from 'papaparse';

import type { AuditReport, ReportTool } from './audit-report.js';

type Cell = string | number | null;

/** What the recommendations do to a tool, in words (the figures have their own columns). */
export function afterText(after: ReportTool['after']): string | null {
  if (!after) return null;
  if (after.retiredBy === 'cancel') return 'cancelled';
  if (after.retiredBy === 'consolidate') return 'retired (consolidated)';
  return 'kept';
}

function table(title: string, header: string[], rows: Cell[][]): string {
  return Papa.unparse([[title], header, ...rows], { escapeFormulae: FORMULA_START, newline: '\r\n' });
}

export function auditReportCsv(report: AuditReport): string {
  const { summary, currency } = report;
  const parts: string[] = [];
  parts.push(
    table(
      'Summary',
      ['Item', 'Value'],
      [
        ...(report.organization === null ? [] : ([['Organization', report.organization]] as Cell[][])),
        ['Audit', report.audit.name],
        ['Status', report.audit.status],
        ['Analysed at', report.audit.analysedAt],
        ['Report made on', report.generatedOn],
        ['Currency', currency],
        ...(summary
          ? ([
              ['Tools', summary.toolCount],
              ['Monthly cost', summary.totalMonthlyCost],
              ['Annual cost', summary.totalAnnualCost],
              ['Potential savings a month', summary.potentialMonthlySavings],
              ['Potential savings a year', summary.potentialAnnualSavings],
              ['Monthly cost with every recommendation', summary.monthlyCostAfterSavings],
              ['Cost per employee a month', summary.perEmployee],
              ['Health score', summary.healthScore],
              ['Risk level', summary.riskLevel],
            ] as Cell[][])
          : []),
        ...report.notes.map((n): Cell[] => ['Note', n]),
      ],
    ),
  );
  parts.push(
    table(
      'Recommendations',
      [
        'Rank',
        'Step',
        'Type',
        'Recommendation',
        'Tools',
        `Saves a month (${currency})`,
        `Saves a year (${currency})`,
        'Arithmetic',
        `Monthly cost after (${currency})`,
        'Priority',
        'Confidence',
        'Detail',
      ],
      report.recommendations.map((r) => [
        r.rank,
        r.step,
        r.type,
        r.title,
        r.tools.join('; '),
        r.monthlySavings,
        r.annualSavings,
        r.arithmetic,
        r.monthlyCostAfter,
        r.priority,
        r.confidence,
        r.detail,
      ]),
    ),
  );
  parts.push(
    table(
      'Tools',
      [
        'Tool',
        'Vendor',
        'Category',
        'Owner',
        'Seats',
        'Active seats',
        'Active seats measured by',
        'Monthly cost',
        'Currency',
        'Billing',
        'Renews',
        'After the recommendations',
        `Monthly cost after (${currency})`,
        'Seats after',
      ],
      report.tools.map((t) => [
        t.name,
        t.vendor,
        t.category,
        t.owner,
        t.seats,
        t.activeSeats,
        t.activeSeatsMeasured
          ? `${t.activeSeatsMeasured.provider} (${t.activeSeatsMeasured.active30} in 30 days, ${t.activeSeatsMeasured.active90} in 90; synced ${t.activeSeatsMeasured.syncedOn})`
          : null,
        t.monthlyCost,
        t.currency,
        t.billingCycle,
        t.renewalDate,
        afterText(t.after),
        t.after?.retiredBy ? 0 : (t.after?.monthlyCost ?? null),
        t.after?.retiredBy ? 0 : (t.after?.seats ?? null),
      ]),
    ),
  );
  parts.push(
    table(
      'Renewals in the next 90 days',
      ['Tool', 'Renews on', 'Cancel by', `Monthly cost (${currency})`],
      report.renewals.map((r) => [r.name, r.date, r.cancelBy, r.monthlyCost]),
    ),
  );
  parts.push(
    table(
      'Risks',
      ['Severity', 'Type', 'Tools', 'Detail'],
      report.risks.map((f) => [f.severity, f.type, f.tools.join('; '), f.detail]),
    ),
  );
  return `${parts.join('\r\n\r\n')}\r\n`;
}
