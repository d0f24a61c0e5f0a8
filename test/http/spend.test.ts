/**
 * Real spend over HTTP on both databases: card and bank statements (every fixture layout,
 * with software charges added in each bank's own format), manual cost lines, exchange
 * rates, the spend summary in the base currency, and the analysis converting with the rates.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { buildAppWithWorker } from '../harness/app.js';
import { call, signup, team, type Account } from '../harness/client.js';
import type {
  AuditDetail,
  AuditJson,
  ErrorBody,
  SpendSummary,
  StatementImport,
  ToolCostJson,
} from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import { externalFixture } from '../harness/fixtures.js';

/** A fixture export with rows appended in the same bank's format. */
const withRows = (fixture: string, ...rows: string[]) =>
  `${externalFixture(`bank_csv/${fixture}`).trimEnd()}\n${rows.join('\n')}\n`;

describeEachDatabase('spend: statements, tool costs, exchange rates', (get) => {
  let app: App;
  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database));
    await app.ready();
  });
  afterAll(() => app.close());

  const as = (who: Account) => ({ token: who.token });
  const importCsv = (who: Account, csv: string, query = '') =>
    call<StatementImport & ErrorBody>(app, 'POST', `/api/tool-costs/import${query}`, undefined, {
      ...as(who),
      raw: { payload: csv, contentType: 'text/csv' },
    });
  const costs = async (who: Account, query = '') =>
    (
      await call<{ items: ToolCostJson[]; nextCursor: string | null }>(
        app,
        'GET',
        `/api/tool-costs${query}`,
        undefined,
        as(who),
      )
    ).body;

  it('a card statement: software charges and refunds become cost lines, unknown charges wait for review; again adds nothing', async () => {
    const admin = await signup(app);
    const csv = withRows(
      'chase_credit_card_activity.csv',
      '04/01/2026,04/02/2026,SLACK T0123ABC SAN FRANCISCO,Software,Sale,-87.50,',
      '04/03/2026,04/03/2026,GOOGLE *GSUITE,Software,Sale,-14.40,',
      '04/05/2026,04/05/2026,ZOOM.US 888-799-9666,Software,Sale,-16.99,',
      '04/06/2026,04/07/2026,SLACK T0123ABC SAN FRANCISCO,Software,Return,8.75,',
    );
    const first = await importCsv(admin, csv);
    expect(first.status, first.raw).toBe(200);
    // The card payment (money in) is skipped; the two shops are kept for review, not dropped.
    expect(first.body).toMatchObject({ layout: 'chase_card', imported: 4, unreviewed: 2, skipped: 1, duplicates: 0 });
    expect(first.body.recognized).toEqual([
      { toolName: 'Slack', vendor: 'Salesforce', amount: 87.5, currency: 'USD', date: '2026-04-01' },
      { toolName: 'Google Workspace', vendor: 'Google', amount: 14.4, currency: 'USD', date: '2026-04-03' },
      { toolName: 'Zoom', vendor: 'Zoom Communications', amount: 16.99, currency: 'USD', date: '2026-04-05' },
      { toolName: 'Slack', vendor: 'Salesforce', amount: -8.75, currency: 'USD', date: '2026-04-06' },
    ]);
    expect(first.body.unrecognized).toEqual([
      { description: 'AMAZON MKTPL*2K4L9 AMZN.COM/BILL WA', amount: 23.45, date: '2026-03-01' },
      { description: 'KROGER #1234 CINCINNATI OH', amount: 88.1, date: '2026-03-14' },
    ]);
    const again = await importCsv(admin, csv);
    expect(again.body).toMatchObject({ imported: 0, unreviewed: 0, duplicates: 6, skipped: 1 });
    const lines = (await costs(admin, '?source=csv')).items;
    expect(lines.map((l) => [l.toolName, l.amount, l.currency, l.billingPeriodStart]).sort()).toEqual(
      [
        ['Google Workspace', 14.4, 'USD', '2026-04-03'],
        ['Slack', -8.75, 'USD', '2026-04-06'],
        ['Slack', 87.5, 'USD', '2026-04-01'],
        ['Zoom', 16.99, 'USD', '2026-04-05'],
      ].sort(),
    );
  });

  it('unknown charges wait for review; a decision covers the merchant now and in later imports', async () => {
    const t = await team(app);
    const outsider = await signup(app);
    const csv = withRows(
      'chase_credit_card_activity.csv',
      '04/01/2026,04/02/2026,ACME ANALYTICS 4411-889 SF,Software,Sale,-120.00,',
      '05/01/2026,05/02/2026,ACME ANALYTICS 5120-001 SF,Software,Sale,-120.00,',
      '05/03/2026,05/03/2026,0042 7781,Misc,Sale,-9.99,',
    );
    expect((await importCsv(t.admin, csv)).body).toMatchObject({ imported: 0, unreviewed: 5 });
    const waiting = async () => (await costs(t.viewer, '?review=unreviewed')).items;
    expect((await waiting()).map((l) => [l.toolName, l.amount, l.review]).sort()).toEqual(
      [
        ['ACME ANALYTICS 4411-889 SF', 120, 'unreviewed'],
        ['ACME ANALYTICS 5120-001 SF', 120, 'unreviewed'],
        ['0042 7781', 9.99, 'unreviewed'],
        ['AMAZON MKTPL*2K4L9 AMZN.COM/BILL WA', 23.45, 'unreviewed'],
        ['KROGER #1234 CINCINNATI OH', 88.1, 'unreviewed'],
      ].sort(),
    );
    // Not spend until someone says so: the cost lines and the summary leave them out.
    expect((await costs(t.viewer)).items).toEqual([]);
    const summary = () =>
      call<SpendSummary>(app, 'GET', '/api/tool-costs/summary', undefined, as(t.viewer)).then((a) => a.body);
    expect((await summary()).byTool).toEqual([]);

    const lineOf = async (prefix: string) => (await waiting()).find((l) => l.toolName.startsWith(prefix))!;
    const review = (id: string, body: unknown, who = t.member) =>
      call<{ decided: number; merchantKey: string } & ErrorBody>(
        app,
        'POST',
        `/api/tool-costs/${id}/review`,
        body,
        as(who),
      );
    const acme = await lineOf('ACME');
    expect((await review(acme.id, { decision: 'software' })).status).toBe(400); // which tool?
    expect((await review(acme.id, { decision: 'software', toolName: 'Acme Analytics' }, t.viewer)).status).toBe(403);
    expect((await review(acme.id, { decision: 'software', toolName: 'Acme Analytics' }, outsider)).status).toBe(404);
    const decided = await review(acme.id, { decision: 'software', toolName: 'Acme Analytics' });
    expect(decided.body).toEqual({ decided: 2, merchantKey: 'acme analytics sf' });
    expect((await review(acme.id, { decision: 'not_software' })).status).toBe(409); // already decided
    expect((await review((await lineOf('KROGER')).id, { decision: 'not_software' })).body.decided).toBe(1);
    // A charge with no merchant name to remember is decided on its own.
    expect((await review((await lineOf('0042')).id, { decision: 'not_software' })).body).toEqual({
      decided: 1,
      merchantKey: '',
    });
    expect((await waiting()).map((l) => l.toolName)).toEqual(['AMAZON MKTPL*2K4L9 AMZN.COM/BILL WA']);
    expect((await summary()).byTool).toEqual([expect.objectContaining({ toolName: 'Acme Analytics', total: 240 })]);

    // The next statement: the merchant's charges are software at once, the shop is left out.
    const next = withRows(
      'amex_activity_3col.csv',
      '06/01/2026,ACME ANALYTICS 7000-123 SF,120.00',
      '06/03/2026,KROGER #1234 CINCINNATI OH,40.00',
    );
    const later = await importCsv(t.admin, next);
    expect(later.body.recognized).toContainEqual(
      expect.objectContaining({ toolName: 'Acme Analytics', amount: 120, date: '2026-06-01' }),
    );
    expect(later.body.unrecognized.map((u) => u.description)).not.toContain('KROGER #1234 CINCINNATI OH');
    expect((await waiting()).map((l) => l.toolName)).not.toContain('KROGER #1234 CINCINNATI OH');
    // Another organization's decisions are its own.
    expect((await importCsv(outsider, csv)).body).toMatchObject({ imported: 0, unreviewed: 5 });
  });

  it("cost lines can be corrected and deleted; another organization's answer 404, a viewer 403", async () => {
    const t = await team(app);
    const outsider = await signup(app);
    const created = await call<{ toolCost: ToolCostJson }>(
      app,
      'POST',
      '/api/tool-costs',
      { toolName: 'Figmaa', amount: 45, billingPeriodStart: '2026-03-01' },
      as(t.member),
    );
    const id = created.body.toolCost.id;
    const patch = (body: unknown, who = t.member) =>
      call<{ toolCost: ToolCostJson } & ErrorBody>(app, 'PATCH', `/api/tool-costs/${id}`, body, as(who));
    const fixed = await patch({ toolName: 'Figma', amount: 54.5, currency: 'EUR' });
    expect(fixed.status, fixed.raw).toBe(200);
    expect(fixed.body.toolCost).toMatchObject({ id, toolName: 'Figma', amount: 54.5, currency: 'EUR' });
    expect((await costs(t.viewer)).items.map((l) => [l.toolName, l.amount])).toEqual([['Figma', 54.5]]);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ billingPeriodEnd: '2026-02-01' })).status).toBe(400); // before its start
    expect((await patch({ amount: 1 }, t.viewer)).status).toBe(403);
    expect((await patch({ amount: 1 }, outsider)).status).toBe(404);
    expect((await call(app, 'DELETE', `/api/tool-costs/${id}`, undefined, as(outsider))).status).toBe(404);
    expect((await call(app, 'DELETE', `/api/tool-costs/${id}`, undefined, as(t.viewer))).status).toBe(403);
    expect((await call(app, 'DELETE', `/api/tool-costs/${id}`, undefined, as(t.member))).status).toBe(204);
    expect((await call(app, 'DELETE', `/api/tool-costs/${id}`, undefined, as(t.member))).status).toBe(404);
    expect((await costs(t.viewer)).items).toEqual([]);
  });

  it("every bank's layout: its software charge recognised, in the row's currency (Wise as a multipart upload)", async () => {
    const admin = await signup(app);
    const cases: [string, string, string, number, string, string][] = [
      ['amex_activity_3col.csv', '04/10/2026,ATLASSIAN,80.00', 'amex', 80, 'USD', 'Atlassian'],
      [
        'revolut_account_statement.csv',
        'CARD_PAYMENT,Current,2025-03-01 10:00:00,2025-03-02 09:00:00,Notion,-10.00,0.00,CHF,COMPLETED,922.95',
        'revolut',
        10,
        'CHF',
        'Notion',
      ],
      [
        'schwab_checking_transactions.csv',
        '"03/01/2022","Posted","ACH","","GITHUB, INC.","$21.00","","$1.00"',
        'schwab',
        21,
        'USD',
        'GitHub',
      ],
    ];
    for (const [fixture, row, layout, amount, currency, tool] of cases) {
      const answer = await importCsv(admin, withRows(fixture, row));
      expect(answer.status, `${fixture}: ${answer.raw}`).toBe(200);
      expect(answer.body).toMatchObject({ layout, imported: 1, duplicates: 0 });
      expect(answer.body.recognized).toEqual([expect.objectContaining({ toolName: tool, amount, currency })]);
    }
    const wise = withRows(
      'wise_statement.csv',
      'CARD-3147855999,01-03-2025,-45.00,CHF,"Card transaction of 45.00 CHF issued by Figma",,3336.70,,,,,,,"Figma",1234,"John Doe",,,0.00,45.00',
    );
    const boundary = '----stackaudit-test-boundary';
    const form = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="wise.csv"',
      'Content-Type: text/csv',
      '',
      wise,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const upload = await call<StatementImport>(app, 'POST', '/api/tool-costs/import', undefined, {
      ...as(admin),
      raw: { payload: form, contentType: `multipart/form-data; boundary=${boundary}` },
    });
    expect(upload.status, upload.raw).toBe(200);
    // Wise's own rows (transfers, a coffee…) are kept for review when money went out, else skipped.
    expect(upload.body).toMatchObject({ layout: 'wise', imported: 1, unreviewed: 4, skipped: 1 });
    expect(upload.body.recognized).toEqual([
      { toolName: 'Figma', vendor: 'Figma', amount: 45, currency: 'CHF', date: '2025-03-01' },
    ]);
  });

  it('bad statements change nothing: rows named, an unknown layout asks for a mapping, which then imports it', async () => {
    const t = await team(app);
    const bad = await importCsv(t.member, 'Date,Description,Amount\n01/02/2026,SLACK,8.75\n13/45/2026,ZOOM,14.99\n');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    expect(bad.body.error.details).toEqual([{ row: 3, field: 'Date', message: '"13/45/2026" is not a date' }]);
    expect((await costs(t.admin)).items).toEqual([]);

    const odd = 'When,What,Charged\n2026-06-01,SLACK T0123ABC,8.75\n2026-06-02,BAKERY,3.20\n';
    const unknown = await importCsv(t.member, odd);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details?.[0]?.message).toMatch(/mapping/);
    const mapping = encodeURIComponent(
      JSON.stringify({ date: 'When', description: 'What', amount: 'Charged', spend: 'positive' }),
    );
    const mapped = await importCsv(t.member, odd, `?mapping=${mapping}&currency=EUR`);
    expect(mapped.status, mapped.raw).toBe(200);
    expect(mapped.body).toMatchObject({ layout: 'mapping', imported: 1, unreviewed: 1, skipped: 0 }); // the bakery waits for review
    expect(mapped.body.recognized[0]).toMatchObject({ toolName: 'Slack', amount: 8.75, currency: 'EUR' });

    const notJson = await importCsv(t.member, odd, '?mapping=%7Bdate');
    expect([notJson.status, notJson.body.error.details?.[0]?.field]).toEqual([400, 'querystring.mapping']);
    const wrongKey = await importCsv(t.member, odd, `?mapping=${encodeURIComponent('{"day":"When"}')}`);
    expect(wrongKey.status).toBe(400);
    const viewer = await importCsv(t.viewer, withRows('amex_activity_3col.csv', '04/10/2026,ATLASSIAN,80.00'));
    expect(viewer.status).toBe(403);
    const json = await call<ErrorBody>(app, 'POST', '/api/tool-costs/import', { csv: 'x' }, as(t.member));
    expect([json.status, json.body.error.code]).toEqual([415, 'unsupported_media_type']);
    expect((await costs(t.admin)).items).toHaveLength(1);
  });

  it('manual lines and the list: newest first in pages, filters by source and period, another organization sees none', async () => {
    const t = await team(app);
    const outsider = await signup(app);
    const add = (body: Record<string, unknown>, who = t.member) =>
      call<{ toolCost: ToolCostJson } & ErrorBody>(app, 'POST', '/api/tool-costs', body, as(who));
    for (let month = 1; month <= 5; month++) {
      const created = await add({ toolName: 'Figma', amount: 45, billingPeriodStart: `2026-0${month}-01` });
      expect(created.status, created.raw).toBe(201);
      expect(created.body.toolCost).toMatchObject({ source: 'manual', toolName: 'Figma', amount: 45, currency: 'USD' });
    }
    expect(
      (await add({ toolName: 'Figma', amount: -45, currency: 'EUR', billingPeriodStart: '2026-05-02' })).status,
    ).toBe(201);
    expect((await add({ toolName: '', amount: 1 })).status).toBe(400);
    expect((await add({ toolName: 'X', amount: 1, billingPeriodStart: '2026-02-30' })).status).toBe(400);
    expect(
      (await add({ toolName: 'X', amount: 1, billingPeriodStart: '2026-03-02', billingPeriodEnd: '2026-03-01' }))
        .status,
    ).toBe(400);
    expect((await add({ toolName: 'X', amount: 1, extra: true })).status).toBe(400);
    expect((await add({ toolName: 'X', amount: 1 }, t.viewer)).status).toBe(403);

    const first = await costs(t.viewer, '?limit=4');
    expect(first.items.map((l) => l.amount)).toEqual([-45, 45, 45, 45]);
    const second = await costs(t.viewer, `?limit=4&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items.map((l) => l.billingPeriodStart)).toEqual(['2026-02-01', '2026-01-01']);
    expect(second.nextCursor).toBeNull();
    expect((await costs(t.viewer, '?from=2026-03-01&to=2026-04-30')).items).toHaveLength(2);
    expect((await costs(t.viewer, '?source=csv')).items).toEqual([]);
    expect((await costs(outsider)).items).toEqual([]);
    expect((await call(app, 'GET', '/api/tool-costs?from=2026-13-01', undefined, as(t.viewer))).status).toBe(400);
    expect((await call(app, 'GET', '/api/tool-costs?to=2026-02-30', undefined, as(t.viewer))).status).toBe(400);
    const summary = await call(app, 'GET', '/api/tool-costs/summary?from=2026-02-29', undefined, as(t.viewer));
    expect(summary.status).toBe(400);
  });

  it('exchange rates: admins replace them; the base currency, duplicates and bad rates are refused; members read', async () => {
    const t = await team(app);
    const put = (rates: unknown, who = t.admin) =>
      call<{ baseCurrency: string; rates: { currency: string; rate: number }[] } & ErrorBody>(
        app,
        'PUT',
        '/api/organization/exchange-rates',
        { rates },
        as(who),
      );
    const saved = await put([
      { currency: 'EUR', rate: 1.08 },
      { currency: 'CHF', rate: 1.1234567891 },
    ]);
    expect(saved.status, saved.raw).toBe(200);
    expect(saved.body).toMatchObject({
      baseCurrency: 'USD',
      rates: [
        { currency: 'CHF', rate: 1.1234567891 },
        { currency: 'EUR', rate: 1.08 },
      ],
    });
    expect((await put([{ currency: 'USD', rate: 1 }])).body.error.details?.[0]).toMatchObject({
      field: 'body.rates.0.currency',
    });
    const twice = await put([
      { currency: 'EUR', rate: 1 },
      { currency: 'EUR', rate: 2 },
    ]);
    expect(twice.body.error.details?.[0]).toEqual({ field: 'body.rates.1.currency', message: 'is listed twice' });
    expect((await put([{ currency: 'EUR', rate: 0 }])).status).toBe(400);
    expect((await put([{ currency: 'euro', rate: 1 }])).status).toBe(400);
    expect((await put([{ currency: 'EUR', rate: 1 }], t.member)).status).toBe(403);
    const read = await call<{ rates: unknown[] }>(
      app,
      'GET',
      '/api/organization/exchange-rates',
      undefined,
      as(t.viewer),
    );
    expect(read.body.rates).toHaveLength(2); // the refused changes changed nothing
    expect((await put([])).body.rates).toEqual([]);
  });

  it('the summary: by tool and month in the base currency; a currency without a rate is reported, never summed', async () => {
    const admin = await signup(app);
    const add = (toolName: string, amount: number, currency: string, day: string) =>
      call(app, 'POST', '/api/tool-costs', { toolName, amount, currency, billingPeriodStart: day }, as(admin));
    await add('Slack', 100, 'USD', '2026-01-05');
    await add('Slack', 100, 'USD', '2026-02-05');
    await add('Notion', 50, 'EUR', '2026-01-10');
    await add('Figma', 40, 'CHF', '2026-02-10');
    const summary = () =>
      call<SpendSummary>(app, 'GET', '/api/tool-costs/summary?from=2026-01-01&to=2026-12-31', undefined, as(admin));
    const before = (await summary()).body;
    expect(before).toEqual({
      currency: 'USD',
      byTool: [
        {
          toolName: 'Slack',
          total: 200,
          months: [
            { month: '2026-01', amount: 100 },
            { month: '2026-02', amount: 100 },
          ],
        },
      ],
      byMonth: [
        { month: '2026-01', total: 100 },
        { month: '2026-02', total: 100 },
      ],
      missingRates: ['CHF', 'EUR'],
    });
    await call(app, 'PUT', '/api/organization/exchange-rates', { rates: [{ currency: 'EUR', rate: 1.1 }] }, as(admin));
    const after = (await summary()).body;
    expect(after.byTool).toEqual([
      {
        toolName: 'Slack',
        total: 200,
        months: [
          { month: '2026-01', amount: 100 },
          { month: '2026-02', amount: 100 },
        ],
      },
      { toolName: 'Notion', total: 55, months: [{ month: '2026-01', amount: 55 }] },
    ]);
    expect(after.byMonth).toEqual([
      { month: '2026-01', total: 155 },
      { month: '2026-02', total: 100 },
    ]);
    expect(after.missingRates).toEqual(['CHF']);
    const bad = await call(app, 'GET', '/api/tool-costs/summary?from=2026-05-01&to=2026-01-01', undefined, as(admin));
    expect(bad.status).toBe(400);
  });

  it("the analysis converts tools in another currency with the organization's rates, and says which it could not", async () => {
    const admin = await signup(app);
    const stack = {
      currency: 'USD',
      tools: [
        { name: 'Slack', monthlyCost: 100 },
        { name: 'Notion', monthlyCost: 100, currency: 'EUR' },
        { name: 'Figma', monthlyCost: 100, currency: 'CHF' },
      ],
    };
    await call(app, 'PUT', '/api/organization/exchange-rates', { rates: [{ currency: 'EUR', rate: 1.1 }] }, as(admin));
    const created = await call<{ audit: AuditJson }>(
      app,
      'POST',
      '/api/audits',
      { name: 'FX', stackData: stack },
      as(admin),
    );
    let analysis: AuditDetail['analysis'] = null;
    for (let i = 0; i < 100 && analysis === null; i++) {
      const detail = (await call<AuditDetail>(app, 'GET', `/api/audits/${created.body.audit.id}`, undefined, as(admin)))
        .body;
      if (detail.audit.status === 'completed') analysis = detail.analysis;
      else await new Promise((r) => setTimeout(r, 50));
    }
    // 100 USD + 100 EUR × 1.1; the CHF tool is left out and named.
    expect(analysis?.costAnalysis).toMatchObject({ totalMonthlyCost: 210, missingRates: ['CHF'] });
  });

  it("an audit without a currency is in the organization's base currency; list prices need its USD rate", async () => {
    const admin = await signup(app);
    const settings = { baseCurrency: 'EUR' };
    expect((await call(app, 'PATCH', '/api/organization', { settings }, as(admin))).status).toBe(200);
    // 16.20 EUR a seat: Slack Business+ (18 USD) at 0.90 EUR to the dollar.
    const stack = { tools: [{ name: 'Slack', monthlyCost: 162, billingCycle: 'monthly', seats: 10, activeSeats: 10 }] };
    const created = await call<{ audit: AuditJson }>(
      app,
      'POST',
      '/api/audits',
      { name: 'EUR', stackData: stack },
      as(admin),
    );
    const id = created.body.audit.id;
    const analysed = async (): Promise<NonNullable<AuditDetail['analysis']>> => {
      for (let i = 0; i < 100; i++) {
        const detail = (await call<AuditDetail>(app, 'GET', `/api/audits/${id}`, undefined, as(admin))).body;
        if (detail.audit.status === 'completed' && detail.analysis) return detail.analysis;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`audit ${id} was not analysed`);
    };
    const withoutRate = await analysed();
    expect(withoutRate.costAnalysis).toMatchObject({
      currency: 'EUR',
      totalMonthlyCost: 162,
      listPrices: { currency: 'USD', rate: null },
    });
    expect(withoutRate.recommendations.filter((r) => r.type === 'downgrade_plan')).toEqual([]);

    const rates = { rates: [{ currency: 'USD', rate: 0.9 }] };
    expect((await call(app, 'PUT', '/api/organization/exchange-rates', rates, as(admin))).status).toBe(200);
    expect((await call(app, 'POST', `/api/audits/${id}/analyze`, undefined, as(admin))).status).toBe(202);
    const withRate = await analysed();
    expect(withRate.costAnalysis.listPrices).toEqual({ currency: 'USD', rate: 0.9 });
    // Pro is 8.75 USD = 7.88 EUR a seat: 162 − 10 × 7.88 = 83.20 EUR.
    expect(withRate.recommendations.find((r) => r.type === 'downgrade_plan')?.estimatedMonthlySavings).toBe(83.2);
  });
});
