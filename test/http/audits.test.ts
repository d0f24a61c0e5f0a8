import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { AuditDetailSchema, AuditListItemSchema, AuditListSchema } from '../../src/http/routes/audits/contract.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { OrganizationRepository } from '../../src/repositories/organization.repository.js';
import { ToolCostRepository } from '../../src/repositories/tool-cost.repository.js';
import { buildAppWithWorker } from '../harness/app.js';
import { call, signup, team, type Account } from '../harness/client.js';
import type { StackData } from '../../src/http/routes/audits/contract.js';
import type { AuditDetail, AuditJson, AuditListItemJson, ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// The audit page's answer is written by PostgreSQL (db/json-text.ts), not serialised from its schema:
// every test that reads one checks it against the schema the OpenAPI document publishes.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const conforms = ajv.compile(AuditDetailSchema);
// So is the list's (PostgreSQL writes its items): checked against its schema too.
// Nothing more than the schema says, in the answer or in any item.
const listConforms = ajv.compile({
  ...AuditListSchema,
  additionalProperties: false,
  properties: {
    ...AuditListSchema.properties,
    items: { ...AuditListSchema.properties.items, items: { ...AuditListItemSchema, additionalProperties: false } },
  },
});
function auditListConforms(body: unknown): void {
  expect(listConforms(body), JSON.stringify(listConforms.errors)).toBe(true);
}
function auditDetailConforms(body: AuditDetail): void {
  expect(conforms(body), JSON.stringify(conforms.errors)).toBe(true);
  // Nothing but the documented fields (a spliced answer is not filtered by a serialiser).
  const documented = (schema: { properties: object }) => Object.keys(schema.properties);
  expect(documented(AuditDetailSchema)).toEqual(expect.arrayContaining(Object.keys(body)));
  expect(documented(AuditDetailSchema.properties.audit)).toEqual(expect.arrayContaining(Object.keys(body.audit)));
  if (body.analysis)
    expect(documented(AuditDetailSchema.properties.analysis as unknown as { properties: object })).toEqual(
      expect.arrayContaining(Object.keys(body.analysis)),
    );
}

const STACK = {
  currency: 'USD',
  employeeCount: 40,
  tools: [
    {
      name: 'Slack',
      vendor: 'Salesforce',
      category: 'communication',
      monthlyCost: 350,
      billingCycle: 'monthly',
      seats: 50,
      activeSeats: 31,
      renewalDate: '2030-09-01',
      owner: 'ops@example.com',
    },
    { name: 'Microsoft Teams', monthlyCost: 120, seats: 20, activeSeats: 4, owner: 'it@example.com' },
    { name: 'Asana', monthlyCost: 300, seats: 12, activeSeats: 2, owner: 'pm@example.com' },
  ],
};

describeEachDatabase('audits API', (get) => {
  let app: App;
  let t: Awaited<ReturnType<typeof team>>;
  let outsider: Account;

  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database));
    await app.ready();
    const admin = await signup(app);
    await new OrganizationRepository(get().database.db).setPlan(admin.organization.id, 'business');
    t = await team(app, admin);
    outsider = await signup(app);
  });
  afterAll(() => app.close());

  const as = (who: Account) => ({ token: who.token });
  const create = (who: Account, body: unknown) => call<{ audit: AuditJson }>(app, 'POST', '/api/audits', body, as(who));
  async function completed(who: Account, id: string): Promise<AuditDetail> {
    for (let i = 0; i < 100; i++) {
      const answer = await call<AuditDetail>(app, 'GET', `/api/audits/${id}`, undefined, as(who));
      expect(answer.status).toBe(200);
      auditDetailConforms(answer.body);
      if (answer.body.audit.status === 'completed' || answer.body.audit.status === 'failed') return answer.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`audit ${id} did not complete`);
  }

  it('create → pending at once, then completed with the analysis the engine computes', async () => {
    const created = await create(t.member, { name: 'Q1 stack', stackData: STACK });
    expect(created.status).toBe(201);
    expect(created.body.audit).toMatchObject({ name: 'Q1 stack', status: 'pending', stackData: STACK });
    const detail = await completed(t.member, created.body.audit.id);
    expect(detail.audit.status).toBe('completed');
    expect(detail.audit.stackData).toEqual(STACK);
    const analysis = detail.analysis!;
    expect(analysis.summary).toMatchObject({ toolCount: 3, totalMonthlyCost: 770 });
    // The savings waterfall. Teams overlaps Slack: its 4 users fit in Slack's 19 idle seats, so
    // retiring it saves its 120. Slack then has 15 idle seats at 350/50 = 7.00 (105); it is paid
    // monthly where the catalog lists 7.25 annually against 8.75, counted on the 245 left
    // (245 × (1 − 7.25/8.75) = 42). Asana: 10 idle at 25 (250), and 25 a seat is Advanced billed
    // annually, so Starter (10.99) is suggested for the 2 seats kept (50 − 2 × 10.99 = 28.02).
    const byType = Object.fromEntries(
      analysis.recommendations.map((r) => [`${r.type}:${r.tools[0]}`, r.estimatedMonthlySavings]),
    );
    expect(byType).toEqual({
      'consolidate:Slack': 120,
      'remove_unused_seats:Slack': 105,
      'remove_unused_seats:Asana': 250,
      'annual_billing:Slack': 42,
      'downgrade_plan:Asana': 28.02,
    });
    // Exactly their sum.
    expect(analysis.summary.potentialMonthlySavings).toBe(545.02);
    expect(analysis.costAnalysis).toMatchObject({ currency: 'USD', perEmployee: 19.25 });
    expect(analysis.recommendations[0]?.estimatedMonthlySavings).toBe(250);
  });

  it('the list: newest first, cursor pages, no stackData, totals once analysed', async () => {
    const org = await signup(app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await create(org, { name: `A${i}`, stackData: { tools: [{ name: 'Zoom', monthlyCost: 10 * (i + 1) }] } })).body
          .audit.id,
      );
    for (const id of ids) await completed(org, id);
    const first = await call<{ items: AuditListItemJson[]; nextCursor: string | null }>(
      app,
      'GET',
      '/api/audits?limit=2',
      undefined,
      as(org),
    );
    expect(first.body.items.map((a) => a.name)).toEqual(['A4', 'A3']);
    auditListConforms(first.body);
    // A list row's fields, and nothing else (no stack data; no error unless the analysis failed).
    expect(Object.keys(first.body.items[0]!).sort()).toEqual(
      [
        'completedAt',
        'createdAt',
        'id',
        'name',
        'organizationId',
        'potentialMonthlySavings',
        'status',
        'toolCount',
        'totalMonthlyCost',
        'updatedAt',
        'userId',
      ].sort(),
    );
    expect(first.body.items[0]).toMatchObject({ toolCount: 1, totalMonthlyCost: 50, potentialMonthlySavings: 0 });
    const second = await call<{ items: AuditListItemJson[]; nextCursor: string | null }>(
      app,
      'GET',
      `/api/audits?limit=2&cursor=${first.body.nextCursor}`,
      undefined,
      as(org),
    );
    expect(second.body.items.map((a) => a.name)).toEqual(['A2', 'A1']);
    auditListConforms(second.body);
    const third = await call<{ items: AuditListItemJson[]; nextCursor: string | null }>(
      app,
      'GET',
      `/api/audits?limit=2&cursor=${second.body.nextCursor}`,
      undefined,
      as(org),
    );
    expect(third.body.items.map((a) => a.name)).toEqual(['A0']);
    auditListConforms(third.body);
    expect(third.body.nextCursor).toBeNull();
    const done = await call<{ items: AuditListItemJson[] }>(
      app,
      'GET',
      '/api/audits?status=completed&limit=100',
      undefined,
      as(org),
    );
    expect(done.body.items).toHaveLength(5);
    expect((await call(app, 'GET', '/api/audits?status=bogus', undefined, as(org))).status).toBe(400);
    expect((await call(app, 'GET', '/api/audits?limit=0', undefined, as(org))).status).toBe(400);
  });

  it('roles: viewers cannot create or edit; members edit their own; admins everything; other organizations get 404', async () => {
    const mine = (await create(t.member, { name: 'Member audit', stackData: { tools: [] } })).body.audit.id;
    expect((await create(t.viewer, { name: 'x', stackData: { tools: [] } })).status).toBe(403);
    // The caller's level comes with the audit, so a client offers only what they may do.
    const seen = await call<{ access: string }>(app, 'GET', `/api/audits/${mine}`, undefined, as(t.viewer));
    expect([seen.status, seen.body.access]).toEqual([200, 'comment']);
    expect(
      (await call<{ access: string }>(app, 'GET', `/api/audits/${mine}`, undefined, as(t.admin))).body.access,
    ).toBe('manage');
    expect((await call(app, 'PATCH', `/api/audits/${mine}`, { name: 'Viewer edit' }, as(t.viewer))).status).toBe(403);
    const other = await t.join('member', 'Other Member');
    expect((await call(app, 'PATCH', `/api/audits/${mine}`, { name: 'Not yours' }, as(other))).status).toBe(403);
    expect((await call(app, 'DELETE', `/api/audits/${mine}`, undefined, as(other))).status).toBe(403);
    expect((await call(app, 'POST', `/api/audits/${mine}/analyze`, undefined, as(other))).status).toBe(403);
    expect(
      (await call<{ audit: AuditJson }>(app, 'PATCH', `/api/audits/${mine}`, { name: 'Renamed' }, as(t.member))).body
        .audit.name,
    ).toBe('Renamed');
    expect(
      (await call<{ audit: AuditJson }>(app, 'PATCH', `/api/audits/${mine}`, { name: 'By admin' }, as(t.admin))).status,
    ).toBe(200);
    for (const [method, url] of [
      ['GET', `/api/audits/${mine}`],
      ['PATCH', `/api/audits/${mine}`],
      ['DELETE', `/api/audits/${mine}`],
      ['POST', `/api/audits/${mine}/analyze`],
      ['GET', `/api/audits/${mine}/diff`],
    ] as const) {
      const answer = await call<ErrorBody>(
        app,
        method,
        url,
        method === 'PATCH' ? { name: 'x' } : undefined,
        as(outsider),
      );
      expect(answer.status, `${method} ${url}`).toBe(404);
    }
    expect(
      (
        await call<{ items: AuditListItemJson[] }>(app, 'GET', '/api/audits?limit=100', undefined, as(outsider))
      ).body.items.map((a) => a.id),
    ).not.toContain(mine);
    expect((await call(app, 'GET', '/api/audits', undefined, {})).status).toBe(401);
    expect((await call(app, 'DELETE', `/api/audits/${mine}`, undefined, as(t.member))).status).toBe(204);
    expect((await call(app, 'GET', `/api/audits/${mine}`, undefined, as(t.member))).status).toBe(404);
    expect((await call(app, 'GET', '/api/audits/not%20an%20id', undefined, as(t.member))).status).toBe(404);
  });

  it('bad input is a 400 (or 413) naming the field, and stores nothing', async () => {
    const org = await signup(app);
    const cases: [unknown, string][] = [
      [{ stackData: { tools: [] } }, 'body.name'],
      [{ name: 'x', stackData: { tools: [{ vendor: 'no name' }] } }, 'body.stackData.tools.0.name'],
      [{ name: 'x', stackData: { tools: [{ name: 'A', monthlyCost: -1 }] } }, 'body.stackData.tools.0.monthlyCost'],
      [{ name: 'x', stackData: { tools: [{ name: 'A', seats: 1.5 }] } }, 'body.stackData.tools.0.seats'],
      [
        { name: 'x', stackData: { tools: [{ name: 'A', seats: 2, activeSeats: 3 }] } },
        'body.stackData.tools.0.activeSeats',
      ],
      [
        { name: 'x', stackData: { tools: [{ name: 'A', renewalDate: '01/09/2025' }] } },
        'body.stackData.tools.0.renewalDate',
      ],
      [
        { name: 'x', stackData: { tools: [{ name: 'A', renewalDate: '2025-02-30' }] } },
        'body.stackData.tools.0.renewalDate',
      ],
      [{ name: 'x', stackData: { currency: 'dollars', tools: [] } }, 'body.stackData.currency'],
      [
        { name: 'x', stackData: { tools: [{ name: 'A', billingCycle: 'weekly' }] } },
        'body.stackData.tools.0.billingCycle',
      ],
      [{ name: 'x', stackData: { tools: [{ name: 'A', color: 'red' }] } }, 'body.stackData.tools.0.color'],
      [
        { name: 'x', stackData: { tools: Array.from({ length: 1001 }, (_, i) => ({ name: `T${i}` })) } },
        'body.stackData.tools',
      ],
    ];
    for (const [body, field] of cases) {
      const answer = await call<ErrorBody>(app, 'POST', '/api/audits', body, as(org));
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(
        answer.body.error.details?.map((d) => d.field),
        JSON.stringify(body).slice(0, 80),
      ).toContain(field);
    }
    const big = await call<ErrorBody>(
      app,
      'POST',
      '/api/audits',
      { name: 'big', stackData: { tools: [{ name: 'A', notes: 'x'.repeat(4000) }], pad: 'y'.repeat(1024 * 1024) } },
      as(org),
    );
    expect(big.status).toBe(413);
    expect((await call<{ items: unknown[] }>(app, 'GET', '/api/audits', undefined, as(org))).body.items).toEqual([]);
  });

  it('a form with several mistakes is answered with each of them at once, in plain words', async () => {
    const org = await signup(app);
    const answer = await call<ErrorBody>(
      app,
      'POST',
      '/api/audits',
      {
        name: '',
        stackData: {
          currency: 'dollars',
          tools: [
            { name: 'Slack', monthlyCost: -1, seats: 1.5, billingCycle: 'weekly', renewalDate: 'soon', color: 'red' },
            { name: 'x'.repeat(256), owner: 7, billingCycle: 'daily' },
          ],
        },
      },
      as(org),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
    expect(answer.body.error.details).toEqual([
      { field: 'body.name', message: 'cannot be empty' },
      { field: 'body.stackData.currency', message: 'must be a three-letter currency code (ISO 4217, e.g. USD)' },
      { field: 'body.stackData.tools.0.color', message: 'is not a known field' },
      { field: 'body.stackData.tools.0.monthlyCost', message: 'must be 0 or more' },
      { field: 'body.stackData.tools.0.billingCycle', message: 'must be one of "monthly", "annual"' },
      { field: 'body.stackData.tools.0.seats', message: 'must be a whole number' },
      { field: 'body.stackData.tools.0.renewalDate', message: 'must be a date (YYYY-MM-DD)' },
      { field: 'body.stackData.tools.1.name', message: 'must be at most 255 characters' },
      { field: 'body.stackData.tools.1.billingCycle', message: 'must be one of "monthly", "annual"' },
      { field: 'body.stackData.tools.1.owner', message: 'must be text' },
    ]);
    // Only spaces, a thousand bad rows: named in words too, the first 50 fields of them.
    const blank = await call<ErrorBody>(app, 'POST', '/api/audits', { name: '   ', stackData: { tools: [] } }, as(org));
    expect(blank.body.error.details).toEqual([{ field: 'body.name', message: 'cannot be only spaces' }]);
    const many = await call<ErrorBody>(
      app,
      'POST',
      '/api/audits',
      { name: 'Many', stackData: { tools: Array.from({ length: 1000 }, () => ({ name: '' })) } },
      as(org),
    );
    expect(many.status).toBe(400);
    expect(many.body.error.details).toHaveLength(50);
    expect(many.body.error.details?.[49]).toEqual({
      field: 'body.stackData.tools.49.name',
      message: 'cannot be empty',
    });
    expect((await call<{ items: unknown[] }>(app, 'GET', '/api/audits', undefined, as(org))).body.items).toEqual([]);
  });

  it('the monthly plan limit: 402 past it, also under concurrent creates', async () => {
    const org = await signup(app); // free plan: 10 a month
    await call(app, 'PATCH', '/api/organization', { settings: { maxAuditsPerMonth: 3 } }, as(org));
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => create(org, { name: `L${i}`, stackData: { tools: [] } })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, 402, 402, 402]);
    const refused = answers.find((a) => a.status === 402) as unknown as { body: ErrorBody };
    expect(refused.body.error.code).toBe('plan_limit_reached');
    expect(await new AuditRepository(get().database.db).countCreatedSince(org.organization.id, new Date(0))).toBe(3);
  });

  it('changing stackData or POST /analyze queues a fresh analysis; each run is kept', async () => {
    const id = (await create(t.admin, { name: 'Changing', stackData: { tools: [{ name: 'Zoom', monthlyCost: 100 }] } }))
      .body.audit.id;
    await completed(t.admin, id);
    const patched = await call<{ audit: AuditJson }>(
      app,
      'PATCH',
      `/api/audits/${id}`,
      { stackData: { tools: [{ name: 'Zoom', monthlyCost: 250 }] } },
      as(t.admin),
    );
    expect(patched.body.audit.status).toBe('pending');
    expect((await completed(t.admin, id)).analysis?.summary.totalMonthlyCost).toBe(250);
    const again = await call<{ audit: AuditJson }>(app, 'POST', `/api/audits/${id}/analyze`, undefined, as(t.admin));
    expect(again.status).toBe(202);
    expect(again.body.audit.status).toBe('pending');
    await completed(t.admin, id);
    const [row] = await get().database.query<{ n: string }>(
      'SELECT count(*) AS n FROM analysis_results WHERE audit_id = $1',
      [id],
    );
    expect(row?.n).toBe('3');
  });

  it('stored data the engine cannot read fails the analysis with the reason', async () => {
    const org = await signup(app);
    const audit = await new AuditRepository(get().database.db).create({
      organizationId: org.organization.id,
      userId: org.user.id,
      name: 'Legacy',
      stackData: { tools: 'not a list' },
    });
    await call(app, 'POST', `/api/audits/${audit.id}/analyze`, undefined, as(org));
    const detail = await completed(org, audit.id);
    expect(detail.audit).toMatchObject({ status: 'failed', error: 'the stack data is not valid' });
    expect(detail.analysis).toBeNull();
    // The list says why too.
    const list = await call<{ items: AuditListItemJson[] }>(app, 'GET', '/api/audits', undefined, as(org));
    auditListConforms(list.body);
    expect(list.body.items.find((a) => a.id === audit.id)).toMatchObject({
      status: 'failed',
      error: 'the stack data is not valid',
    });
  });

  it('diff: tools added, removed and changed, against the previous audit or a chosen one', async () => {
    const org = await signup(app);
    const first = (
      await create(org, {
        name: 'Before',
        stackData: {
          tools: [
            { name: 'Slack', monthlyCost: 100, seats: 10 },
            { name: 'Zoom', monthlyCost: 50 },
          ],
        },
      })
    ).body.audit.id;
    const second = (
      await create(org, {
        name: 'After',
        stackData: {
          tools: [
            { name: 'slack', monthlyCost: 80, seats: 8 },
            { name: 'Notion', monthlyCost: 40 },
          ],
        },
      })
    ).body.audit.id;
    const diff = await call<Record<string, unknown>>(app, 'GET', `/api/audits/${second}/diff`, undefined, as(org));
    expect(diff.body).toMatchObject({
      from: { id: first, name: 'Before' },
      to: { id: second, name: 'After' },
      toolsAdded: ['Notion'],
      toolsRemoved: ['Zoom'],
      changed: [
        { name: 'slack', field: 'monthlyCost', before: 100, after: 80 },
        { name: 'slack', field: 'seats', before: 10, after: 8 },
      ],
      totalMonthlyCostChange: -30,
    });
    const explicit = await call<Record<string, unknown>>(
      app,
      'GET',
      `/api/audits/${first}/diff?against=${second}`,
      undefined,
      as(org),
    );
    expect(explicit.body).toMatchObject({ toolsAdded: ['Zoom'], toolsRemoved: ['Notion'], totalMonthlyCostChange: 30 });
    expect((await call(app, 'GET', `/api/audits/${first}/diff`, undefined, as(org))).status).toBe(404);
  });

  it('CSV import: tolerant headers and amounts; any bad row → 400 with row numbers, nothing stored', async () => {
    const org = await signup(app);
    const csv =
      'Tool,Vendor,Monthly cost,Licenses,Used seats,Renewal\nSlack,Salesforce,"$1,234.50",50,31,2025-09-01\nFigma,,€45,3,3,9/1/2025\n';
    const imported = await call<{ audit: AuditJson & { stackData: { tools: Record<string, unknown>[] } } }>(
      app,
      'POST',
      '/api/audits/import?name=From%20sheet',
      undefined,
      {
        token: org.token,
        raw: { payload: csv, contentType: 'text/csv' },
      },
    );
    expect(imported.status).toBe(201);
    expect(imported.body.audit.name).toBe('From sheet');
    expect(imported.body.audit.stackData.tools).toEqual([
      {
        name: 'Slack',
        vendor: 'Salesforce',
        monthlyCost: 1234.5,
        seats: 50,
        activeSeats: 31,
        renewalDate: '2025-09-01',
      },
      { name: 'Figma', monthlyCost: 45, seats: 3, activeSeats: 3, renewalDate: '2025-09-01' },
    ]);
    const asJson = await call(app, 'POST', '/api/audits/import', { name: 'JSON', csv: 'App,Cost\nZoom,10\n' }, as(org));
    expect(asJson.status).toBe(201);

    const bad = await call<ErrorBody>(
      app,
      'POST',
      '/api/audits/import',
      { name: 'Bad', csv: 'Name,Cost,Seats,Active\nOk,10,2,1\n,5,1,1\nBroken,ten,2,3\n' },
      as(org),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { row: 3, field: 'name', message: 'is empty' },
      { row: 4, field: 'monthlyCost', message: '"ten" is not an amount' },
      { row: 4, field: 'activeSeats', message: 'is more than seats (2)' },
    ]);
    const noName = await call<ErrorBody>(
      app,
      'POST',
      '/api/audits/import',
      { name: 'Bad', csv: 'Cost\n10\n' },
      as(org),
    );
    expect(noName.status).toBe(400);
    const list = await call<{ items: AuditListItemJson[] }>(app, 'GET', '/api/audits?limit=100', undefined, as(org));
    expect(list.body.items.map((a) => a.name).sort()).toEqual(['From sheet', 'JSON']);
  });

  it('from spend: the monthly average over whole months, one row per tool, converted to the base currency', async () => {
    const org = await signup(app);
    const month = (offset: number) => {
      const d = new Date();
      d.setUTCMonth(d.getUTCMonth() - offset, 1);
      return d.toISOString().slice(0, 10);
    };
    const rates = { rates: [{ currency: 'EUR', rate: 1.5 }] };
    expect((await call(app, 'PUT', '/api/organization/exchange-rates', rates, as(org))).status).toBe(200);
    await new ToolCostRepository(get().database.db).insertMany(org.organization.id, [
      // The current month is not over: left out, or it would pull the average down.
      { source: 'csv', toolName: 'Slack', amount: '100.00', billingPeriodStart: month(0) },
      { source: 'csv', toolName: 'Slack', amount: '110.00', billingPeriodStart: month(1) },
      { source: 'manual', toolName: ' slack ', amount: '90.00', billingPeriodStart: month(2) },
      { source: 'csv', toolName: 'Zoom', amount: '30.00', billingPeriodStart: month(1) },
      { source: 'csv', toolName: 'Notion', amount: '20.00', currency: 'EUR', billingPeriodStart: month(1) },
      { source: 'csv', toolName: 'Figma', amount: '40.00', currency: 'CHF', billingPeriodStart: month(2) },
      // Before the two whole months asked for.
      { source: 'csv', toolName: 'Zoom', amount: '999.00', billingPeriodStart: month(3) },
    ]);
    const answer = await call<{ audit: AuditJson & { stackData: StackData } }>(
      app,
      'POST',
      '/api/audits/from-spend',
      { name: 'Spend', months: 2 },
      as(org),
    );
    expect(answer.status).toBe(201);
    const stack = answer.body.audit.stackData;
    expect(stack.currency).toBe('USD');
    expect(stack.tools.map((t) => [t.name, t.monthlyCost, t.currency ?? stack.currency])).toEqual([
      ['Slack', 100, 'USD'], // (110 + 90) / 2, both spellings one tool
      ['Notion', 15, 'USD'], // 20 EUR × 1.5 / 2
      ['Zoom', 15, 'USD'],
      ['Figma', 20, 'CHF'], // no CHF rate: kept in its currency, the analysis names the missing rate
    ]);
    expect(stack.tools[0]?.notes).toBe(
      `Monthly average of imported spend from ${month(2)} to ${new Date(
        Date.parse(`${month(0)}T00:00:00Z`) - 86_400_000,
      )
        .toISOString()
        .slice(0, 10)} (2 whole months)`,
    );
    const none = await signup(app);
    expect((await call(app, 'POST', '/api/audits/from-spend', { name: 'Nothing', months: 3 }, as(none))).status).toBe(
      400,
    );
  });

  it('the catalog serves autocomplete, with unknown facts as null', async () => {
    const answer = await call<{
      items: { name: string; typicalMonthlyPricePerSeat: number | null; sso: boolean | null }[];
    }>(app, 'GET', '/api/catalog?q=sla', undefined, as(t.viewer));
    expect(answer.body.items[0]).toMatchObject({
      name: 'Slack',
      typicalMonthlyPricePerSeat: 8.75,
      annualMonthlyPricePerSeat: 7.25,
      priceTier: 'Pro',
      priceCheckedOn: '2026-05-04',
      tiers: [
        { name: 'Pro', monthly: 8.75, annualMonthly: 7.25, sso: false },
        { name: 'Business+', monthly: 18, annualMonthly: 15, sso: true },
      ],
    });
    const unknown = await call<{ items: Record<string, unknown>[] }>(
      app,
      'GET',
      '/api/catalog?q=discord',
      undefined,
      as(t.viewer),
    );
    expect(unknown.body.items[0]).toMatchObject({
      name: 'Discord',
      typicalMonthlyPricePerSeat: null,
      priceSource: null,
      tiers: [],
      sso: null,
      soc2: null,
    });
    const all = await call<{ items: unknown[] }>(app, 'GET', '/api/catalog', undefined, as(t.viewer));
    expect(all.body.items).toHaveLength(20);
    expect((await call(app, 'GET', '/api/catalog?q=x', undefined, {})).status).toBe(401);
  });
});
