/**
 * Audit reports over HTTP on both databases (#17 point 3): the PDF of the example audit (the
 * demo's 48-person stack) read back as text carries the headline numbers, the arithmetic,
 * the tools and the renewals; the CSV is the same report with formula-like text escaped;
 * access is the audit page's, and a public link offers the report without people's names.
 */
import Papa from 'papaparse';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { DEMO_STACK } from '../../src/cli/seed.js';
import type { App } from '../../src/http/app.js';
import { buildAppWithWorker } from '../harness/app.js';
import { analysedAudit, call, signup, team, type Account } from '../harness/client.js';
import type { ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

async function pdfText(body: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(body));
  const { text, totalPages } = await extractText(pdf, { mergePages: true });
  expect(totalPages).toBeGreaterThanOrEqual(1);
  return text.replace(/\s+/g, ' ');
}

/** Text without its spaces: a title the PDF wrapped ("single sign-⏎on") still matches. */
const squash = (text: string) => text.replace(/\s+/g, '');

describeEachDatabase('audit reports', (get) => {
  let app: App;
  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database));
  });
  afterAll(() => app.close());
  const as = (who: Account) => ({ token: who.token });

  const analysed = (who: Account, name: string, stackData: unknown) => analysedAudit(app, who, name, stackData);

  const download = (url: string, who?: Account) =>
    app.inject({ method: 'GET', url, headers: who ? { authorization: `Bearer ${who.token}` } : {} });

  it('the PDF of the example audit reads back with its headline numbers, arithmetic, tools and renewals', async () => {
    const t = await team(app);
    const detail = await analysed(t.admin, 'Q4 software stack', DEMO_STACK);
    const analysis = detail.analysis!;
    const answer = await download(`/api/audits/${detail.audit.id}/report.pdf`, t.viewer);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toBe('application/pdf');
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="Q4 software stack .*\.pdf"/);
    const body = answer.rawPayload;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(body);

    // The headline numbers, as the audit page shows them (the engine's, in USD).
    expect(analysis.summary.totalMonthlyCost).toBe(2112.65);
    expect(analysis.summary.potentialMonthlySavings).toBe(899.74);
    expect(text).toContain('Q4 software stack');
    expect(text).toContain(t.admin.organization.name);
    expect(text).toContain('Monthly cost $2,112.65');
    expect(text).toContain('Annual cost $25,351.80');
    expect(text).toContain('Potential savings a month $899.74');
    expect(text).toContain('Potential savings a year $10,796.88');
    expect(text).toContain('Monthly cost with every recommendation $1,212.91');
    expect(text).toContain('Cost per employee a month $44.01');
    // Every recommendation with its saving, and the waterfall's arithmetic.
    for (const r of analysis.recommendations) {
      expect(squash(text)).toContain(squash(r.title));
      expect(text).toContain(`$${r.estimatedMonthlySavings.toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    }
    expect(text).toContain('200 (Microsoft Teams) − 2 Slack seats × 8.75 = 182.5');
    // The tools (with their owners: a member's report) and the charts' labels.
    for (const tool of DEMO_STACK.tools) expect(text).toContain(tool.name);
    expect(text).toContain('owner: it@demo.stackaudit.ai');
    expect(text).toContain('Spend by category');
    expect(text).toContain('Cost by tool');
    for (const c of analysis.costAnalysis.byCategory) expect(text).toContain(c.category.replace(/_/g, ' '));
    for (const r of analysis.costAnalysis.renewalsNext90Days) expect(text).toContain(r.date);
  });

  it('the CSV is the same report, in sections, with text that would run as a formula escaped', async () => {
    const t = await team(app);
    const detail = await analysed(t.admin, '=HYPERLINK("http://evil.example","x")', {
      currency: 'USD',
      tools: [
        { name: '=1+2', monthlyCost: 100, seats: 10, activeSeats: 2, owner: '@attacker' },
        { name: '+SUM(A1)', monthlyCost: 50, notes: 'x' },
        { name: '-2+3', monthlyCost: 25 },
        { name: 'Slack', monthlyCost: 437.5, seats: 50, activeSeats: 47 },
      ],
    });
    const answer = await download(`/api/audits/${detail.audit.id}/report.csv`, t.admin);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toMatch(/filename=".*\.csv"/);
    expect(answer.body.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(answer.body.slice(1), { skipEmptyLines: true }).data;
    // No cell begins with = + - or @ (a spreadsheet would run it): user text is quoted with '.
    for (const row of rows) for (const cell of row) expect(cell, JSON.stringify(row)).not.toMatch(/^[=+\-@]/);
    const cells = rows.flat();
    expect(cells).toEqual(expect.arrayContaining(["'=1+2", "'+SUM(A1)", "'-2+3", "'@attacker"]));
    expect(cells).toContain(`'=HYPERLINK("http://evil.example","x")`);
    // The sections and the headline figures as numbers.
    const section = (title: string) => {
      const at = rows.findIndex((r) => r.length === 1 && r[0] === title);
      expect(at, title).toBeGreaterThanOrEqual(0);
      const header = rows[at + 1]!;
      const body: Record<string, string>[] = [];
      for (let i = at + 2; i < rows.length && rows[i]!.length === header.length; i++)
        body.push(Object.fromEntries(header.map((h, j) => [h, rows[i]![j]!])));
      return body;
    };
    const summary = new Map(section('Summary').map((r) => [r.Item, r.Value]));
    expect(summary.get('Monthly cost')).toBe(String(detail.analysis!.summary.totalMonthlyCost));
    expect(summary.get('Potential savings a month')).toBe(String(detail.analysis!.summary.potentialMonthlySavings));
    expect(summary.get('Currency')).toBe('USD');
    const recommendations = section('Recommendations');
    expect(recommendations.map((r) => Number(r['Saves a month (USD)']))).toEqual(
      detail.analysis!.recommendations.map((r) => r.estimatedMonthlySavings),
    );
    expect(section('Tools').map((r) => r.Tool)).toEqual(["'=1+2", "'+SUM(A1)", "'-2+3", 'Slack']);
  });

  it('access is the audit page’s: members who may view, 404 for others; a public link offers it without names', async () => {
    const t = await team(app);
    const outsider = await signup(app);
    const detail = await analysed(t.admin, 'Shared stack', DEMO_STACK);
    const id = detail.audit.id;
    expect((await download(`/api/audits/${id}/report.pdf`)).statusCode).toBe(401);
    const foreign = await call<ErrorBody>(app, 'GET', `/api/audits/${id}/report.csv`, undefined, as(outsider));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect((await download(`/api/audits/aud_${'0'.repeat(26)}/report.pdf`, t.admin)).statusCode).toBe(404);
    // Private: the viewer may no longer see it, nor its report.
    expect((await call(app, 'PUT', `/api/audits/${id}/share`, { visibility: 'private' }, as(t.admin))).status).toBe(
      200,
    );
    expect((await download(`/api/audits/${id}/report.pdf`, t.viewer)).statusCode).toBe(404);
    // Public: anyone with the link gets the report, without the owners' names.
    const shared = await call<{ shareToken: string }>(
      app,
      'PUT',
      `/api/audits/${id}/share`,
      { visibility: 'public' },
      as(t.admin),
    );
    const token = shared.body.shareToken;
    const pdf = await download(`/api/shared/${token}/report.pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('Potential savings a month $899.74');
    expect(text).not.toContain('demo.stackaudit.ai');
    expect(text).not.toContain(t.admin.organization.name);
    const csv = await download(`/api/shared/${token}/report.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('demo.stackaudit.ai');
    expect((await download(`/api/shared/${'x'.repeat(30)}/report.pdf`)).statusCode).toBe(404);
    // Back to private: the link no longer answers.
    await call(app, 'PUT', `/api/audits/${id}/share`, { visibility: 'organization' }, as(t.admin));
    expect((await download(`/api/shared/${token}/report.pdf`)).statusCode).toBe(404);
  });
});
