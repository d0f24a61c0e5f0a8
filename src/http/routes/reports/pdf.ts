/**
 * The report as PDF (pdfkit): the summary, the charts the audit page shows (spend by
 * category, cost by tool), the recommendations with their arithmetic, the savings step by
 * step, renewals, risks and the tool list. Text is set in DejaVu Sans (embedded, subset by
 * pdfkit), which has the signs the engine's arithmetic uses (− × →) and most alphabets; the
 * PDF's standard fonts have none of those.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import PDFDocument from 'pdfkit';

import { formatMoney } from '../../../domain/money.js';
import type { AuditReport } from '../../../domain/reports/audit-report.js';
import { afterText } from '../../../domain/reports/report-csv.js';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** Read once, on the first report (not at start: most servers never make one). */
function loadFonts() {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#bc4c00', '#57606a'];
const MUTED = '#57606a';
const MARGIN = 48;

type Doc = PDFKit.PDFDocument;
type Align = 'left' | 'right';
interface Column {
  header: string;
  width: number;
  align?: Align;
}

const moneyFormat = (currency: string) => (n: number | null) => (n === null ? '—' : formatMoney(n, currency));

const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;
const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;

function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function heading(doc: Doc, text: string) {
  ensureRoom(doc, 60);
  doc.moveDown(0.8).font('bold').fontSize(14).fillColor('black').text(text, MARGIN, doc.y);
  doc.moveDown(0.3).font('regular').fontSize(9);
}

function paragraph(doc: Doc, text: string, color = 'black') {
  doc
    .font('regular')
    .fontSize(9)
    .fillColor(color)
    .text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.fillColor('black');
}

/** A table that breaks across pages, repeating its header. */
function table(doc: Doc, columns: Column[], rows: string[][]) {
  const pad = 3;
  const drawRow = (cells: string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(8.5);
    const height =
      Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i]!.width - 2 * pad }))) + 2 * pad;
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      if (font === 'regular')
        drawRow(
          columns.map((c) => c.header),
          'bold',
        );
      doc.font(font).fontSize(8.5);
    }
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const col = columns[i]!;
      doc.text(cell, x + pad, top + pad, { width: col.width - 2 * pad, align: col.align ?? 'left' });
      x += col.width;
    });
    doc
      .moveTo(MARGIN, top + height)
      .lineTo(x, top + height)
      .lineWidth(0.4)
      .strokeColor(font === 'bold' ? '#8c959f' : '#d0d7de')
      .stroke();
    doc.x = MARGIN;
    doc.y = top + height;
  };
  drawRow(
    columns.map((c) => c.header),
    'bold',
  );
  for (const row of rows) drawRow(row, 'regular');
  doc.x = MARGIN;
}

/** A pie of shares with its legend beside it (the audit page's "Spend by category"). */
function pie(doc: Doc, slices: { label: string; value: number; text: string }[]) {
  const total = slices.reduce((sum, s) => sum + s.value, 0);
  if (total <= 0) return;
  const r = 70;
  const legendRows = slices.length * 14;
  ensureRoom(doc, Math.max(2 * r, legendRows) + 10);
  const top = doc.y + 4;
  const cx = MARGIN + r;
  const cy = top + r;
  let angle = -Math.PI / 2;
  slices.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const sweep = (s.value / total) * 2 * Math.PI;
    if (sweep >= 2 * Math.PI - 1e-9) doc.circle(cx, cy, r).fill(color);
    else if (sweep > 0) {
      const [x1, y1] = [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
      const [x2, y2] = [cx + r * Math.cos(angle + sweep), cy + r * Math.sin(angle + sweep)];
      doc.path(`M ${cx} ${cy} L ${x1} ${y1} A ${r} ${r} 0 ${sweep > Math.PI ? 1 : 0} 1 ${x2} ${y2} Z`).fill(color);
    }
    angle += sweep;
  });
  const lx = MARGIN + 2 * r + 24;
  slices.forEach((s, i) => {
    const y = top + i * 14;
    doc.rect(lx, y + 1, 8, 8).fill(PALETTE[i % PALETTE.length]);
    doc
      .fillColor('black')
      .font('regular')
      .fontSize(8.5)
      .text(`${s.label}  ${s.text}`, lx + 14, y, { width: 300 });
  });
  doc.x = MARGIN;
  doc.y = top + Math.max(2 * r, legendRows) + 8;
}

/** Horizontal bars, largest first (the audit page's "Cost by tool"). */
function bars(doc: Doc, items: { label: string; value: number; text: string }[]) {
  const max = Math.max(...items.map((i) => i.value), 0);
  if (max <= 0) return;
  const labelWidth = 130;
  const barWidth = contentWidth(doc) - labelWidth - 90;
  for (const item of items) {
    ensureRoom(doc, 14);
    const y = doc.y;
    doc.fillColor('black').font('regular').fontSize(8.5);
    doc.text(item.label, MARGIN, y, { width: labelWidth - 6, ellipsis: true, lineBreak: false, height: 12 });
    doc.rect(MARGIN + labelWidth, y + 1, Math.max(1, (item.value / max) * barWidth), 9).fill(PALETTE[0]);
    doc
      .fillColor('black')
      .text(item.text, MARGIN + labelWidth + barWidth + 6, y, { width: 84, align: 'right', lineBreak: false });
    doc.x = MARGIN;
    doc.y = y + 14;
  }
}

const BY_TOOL_SHOWN = 15;

export function auditReportPdf(report: AuditReport): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const money = moneyFormat(report.currency);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `${report.audit.name} — StackAudit report`,
      ...(report.organization ? { Author: report.organization } : {}),
      Creator: 'StackAudit',
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const width = contentWidth(doc);

  doc.font('bold').fontSize(20).text(report.audit.name, { width });
  paragraph(
    doc,
    `${report.organization ? `${report.organization} · ` : ''}software stack audit · report of ${report.generatedOn}` +
      (report.audit.analysedAt ? ` · analysed ${report.audit.analysedAt.slice(0, 10)}` : '') +
      ` · amounts in ${report.currency}`,
    MUTED,
  );

  const s = report.summary;
  if (s) {
    doc.moveDown(0.6);
    paragraph(doc, s.headline);
    heading(doc, 'Summary');
    table(
      doc,
      [
        { header: 'Figure', width: width * 0.6 },
        { header: 'Value', width: width * 0.4, align: 'right' },
      ],
      [
        ['Tools', String(s.toolCount)],
        ['Monthly cost', money(s.totalMonthlyCost)],
        ['Annual cost', money(s.totalAnnualCost)],
        ['Potential savings a month', money(s.potentialMonthlySavings)],
        ['Potential savings a year', money(s.potentialAnnualSavings)],
        ['Monthly cost with every recommendation', money(s.monthlyCostAfterSavings)],
        ...(s.perEmployee === null ? [] : [['Cost per employee a month', money(s.perEmployee)]]),
        ['Health score', `${s.healthScore} / 100`],
        ['Risk level', s.riskLevel],
      ],
    );
  }
  if (report.notes.length > 0) {
    doc.moveDown(0.5);
    for (const note of report.notes) paragraph(doc, note, MUTED);
  }

  if (report.byCategory.length > 0) {
    heading(doc, 'Spend by category');
    pie(
      doc,
      report.byCategory.map((c) => ({
        label: c.category.replace(/_/g, ' '),
        value: c.monthlyCost,
        text: `${money(c.monthlyCost)} (${Math.round(c.share * 100)}%)`,
      })),
    );
  }
  if (report.byTool.length > 0) {
    heading(doc, 'Cost by tool (a month)');
    const shown = [...report.byTool].sort((a, b) => b.monthlyCost - a.monthlyCost).slice(0, BY_TOOL_SHOWN);
    bars(
      doc,
      shown.map((t) => ({ label: t.name, value: t.monthlyCost, text: money(t.monthlyCost) })),
    );
    if (report.byTool.length > BY_TOOL_SHOWN)
      paragraph(
        doc,
        `The ${BY_TOOL_SHOWN} largest of ${report.byTool.length}; every tool is in the list below.`,
        MUTED,
      );
  }

  if (s) {
    heading(doc, 'Recommendations');
    if (report.recommendations.length === 0) paragraph(doc, 'Nothing to change: no savings found in this stack.');
    else
      table(
        doc,
        [
          { header: '#', width: 22 },
          { header: 'Recommendation', width: width * 0.42 - 22 },
          { header: 'How it is counted', width: width * 0.38 },
          { header: 'Saves a month', width: width * 0.2, align: 'right' },
        ],
        report.recommendations.map((r) => [
          String(r.rank),
          `${r.title}\n${r.detail}`,
          r.arithmetic ?? '—',
          money(r.monthlySavings),
        ]),
      );

    const steps = report.recommendations.filter((r) => r.step !== null).sort((a, b) => a.step! - b.step!);
    if (steps.length > 0) {
      heading(doc, 'Savings, step by step');
      paragraph(
        doc,
        'Each recommendation is counted on what the ones before it leave, so none is counted twice.',
        MUTED,
      );
      doc.moveDown(0.3);
      table(
        doc,
        [
          { header: 'Step', width: width * 0.6 },
          { header: 'Saves a month', width: width * 0.2, align: 'right' },
          { header: 'Monthly cost after', width: width * 0.2, align: 'right' },
        ],
        [
          ['Today', '', money(s.totalMonthlyCost)],
          ...steps.map((r) => [`${r.step}. ${r.title}`, money(r.monthlySavings), money(r.monthlyCostAfter)]),
          ['With every step', money(s.potentialMonthlySavings), money(s.monthlyCostAfterSavings)],
        ],
      );
    }

    heading(doc, 'Renewals in the next 90 days');
    if (report.renewals.length === 0) paragraph(doc, 'No renewal in the next 90 days.');
    else
      table(
        doc,
        [
          { header: 'Tool', width: width * 0.4 },
          { header: 'Renews on', width: width * 0.2 },
          { header: 'Cancel by', width: width * 0.2 },
          { header: 'A month', width: width * 0.2, align: 'right' },
        ],
        report.renewals.map((r) => [r.name, r.date, r.cancelBy ?? '—', money(r.monthlyCost)]),
      );

    if (report.risks.length > 0) {
      heading(doc, 'Risks');
      table(
        doc,
        [
          { header: 'Severity', width: 70 },
          { header: 'Risk', width: width - 70 },
        ],
        report.risks.map((f) => [f.severity, f.detail]),
      );
    }
  }

  heading(doc, 'Tools');
  if (report.tools.length === 0) paragraph(doc, 'No tools listed.');
  else
    table(
      doc,
      [
        { header: 'Tool', width: width * 0.24 },
        { header: 'Monthly cost', width: width * 0.15, align: 'right' },
        { header: 'Seats', width: width * 0.09, align: 'right' },
        { header: 'Active', width: width * 0.09, align: 'right' },
        { header: 'Renews', width: width * 0.15 },
        { header: 'After the recommendations', width: width * 0.28 },
      ],
      report.tools.map((t) => [
        [t.name, t.vendor && t.vendor !== t.name ? t.vendor : null, t.owner ? `owner: ${t.owner}` : null]
          .filter(Boolean)
          .join('\n'),
        t.monthlyCost === null
          ? '—'
          : t.currency === report.currency
            ? money(t.monthlyCost)
            : moneyFormat(t.currency)(t.monthlyCost),
        t.seats === null ? '—' : String(t.seats),
        t.activeSeats === null
          ? '—'
          : t.activeSeatsMeasured
            ? `${t.activeSeats}\n(${t.activeSeatsMeasured.provider}, ${t.activeSeatsMeasured.syncedOn})`
            : String(t.activeSeats),
        t.renewalDate ?? '—',
        !t.after
          ? '—'
          : t.after.retiredBy
            ? afterText(t.after)!
            : [money(t.after.monthlyCost), t.after.seats === null ? null : `${t.after.seats} seats`]
                .filter(Boolean)
                .join(' · '),
      ]),
    );

  // Page numbers, once every page exists.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page: the footer lifts it first.
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(`${report.audit.name} · page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN + 14, {
        width,
        align: 'right',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
