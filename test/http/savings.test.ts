/**
 * Savings verified later, over HTTP on both databases: a recommendation is accepted (who,
 * when; edit access), and the books — the organization's software spend in the months
 * after against the months before — tell whether its saving was seen, per recommendation
 * and in total.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import type { AcceptanceJson, SavingsJson } from '../../src/http/routes/savings/contract.js';
import { ToolCostRepository } from '../../src/repositories/tool-cost.repository.js';
import { buildAppWithWorker } from '../harness/app.js';
import { call, signup, team, type Account } from '../harness/client.js';
import type { AuditDetail, AuditJson, ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

const STACK = {
  currency: 'USD',
  tools: [
    { name: 'Slack', monthlyCost: 437.5, seats: 50, activeSeats: 47, owner: 'it@example.com' },
    { name: 'Microsoft Teams', monthlyCost: 200, seats: 50, activeSeats: 5, owner: 'it@example.com' },
  ],
};
const CONSOLIDATE = { type: 'consolidate', tools: ['Slack', 'Microsoft Teams'] };

/** The first day of the month `offset` months from now (negative: before), 'YYYY-MM-DD'. */
const monthStart = (offset: number) => {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + offset, 1);
  return d.toISOString().slice(0, 10);
};

describeEachDatabase('savings verified in the books', (get) => {
  let app: App;
  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database));
  });
  afterAll(() => app.close());
  const as = (who: Account) => ({ token: who.token });

  async function analysedAudit(who: Account): Promise<string> {
    const created = await call<{ audit: AuditJson }>(
      app,
      'POST',
      '/api/audits',
      { name: 'Chat', stackData: STACK },
      as(who),
    );
    const id = created.body.audit.id;
    for (let i = 0; i < 200; i++) {
      const detail = (await call<AuditDetail>(app, 'GET', `/api/audits/${id}`, undefined, as(who))).body;
      if (detail.audit.status === 'completed') return id;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('not analysed');
  }

  it('accepting: edit access, a recommendation of the latest analysis, once; withdrawn by the same', async () => {
    const t = await team(app);
    const outsider = await signup(app);
    const id = await analysedAudit(t.admin);
    const accept = (body: unknown, who: Account) =>
      call<{ acceptance: AcceptanceJson } & ErrorBody>(app, 'POST', `/api/audits/${id}/acceptances`, body, as(who));
    expect((await accept(CONSOLIDATE, t.viewer)).status).toBe(403); // sees the audit, may not decide for it
    expect((await accept(CONSOLIDATE, outsider)).status).toBe(404);
    expect((await accept({ type: 'cancel', tools: ['Slack'] }, t.admin)).status).toBe(404);
    expect((await accept({ type: 'consolidate' }, t.admin)).status).toBe(400);
    const accepted = await accept(CONSOLIDATE, t.admin);
    expect(accepted.status, accepted.raw).toBe(201);
    expect(accepted.body.acceptance).toMatchObject({
      auditId: id,
      type: 'consolidate',
      title: 'Consolidate team chat on Slack',
      expectedMonthlySavings: 182.5,
      currency: 'USD',
      acceptedBy: t.admin.user.id,
      verification: { status: 'no_spend', expectedMonthly: 182.5, seenMonthly: null },
    });
    expect((await accept(CONSOLIDATE, t.admin)).status).toBe(409);

    const listed = await call<SavingsJson>(app, 'GET', `/api/audits/${id}/acceptances`, undefined, as(t.admin));
    expect(listed.body.items.map((a) => a.id)).toEqual([accepted.body.acceptance.id]);
    expect((await call(app, 'GET', `/api/audits/${id}/acceptances`, undefined, as(outsider))).status).toBe(404);
    const path = `/api/audits/${id}/acceptances/${accepted.body.acceptance.id}`;
    expect((await call(app, 'DELETE', path, undefined, as(outsider))).status).toBe(404);
    expect((await call(app, 'DELETE', path, undefined, as(t.admin))).status).toBe(204);
    expect((await call(app, 'DELETE', path, undefined, as(t.admin))).status).toBe(404);
    expect((await call<SavingsJson>(app, 'GET', '/api/savings', undefined, as(t.admin))).body.items).toEqual([]);
  });

  it('the books: the whole months after the acceptance against the three before, per recommendation and in total', async () => {
    const admin = await signup(app);
    const id = await analysedAudit(admin);
    const accepted = await call<{ acceptance: AcceptanceJson }>(
      app,
      'POST',
      `/api/audits/${id}/acceptances`,
      CONSOLIDATE,
      as(admin),
    );
    // Accepted three months ago (as if time had passed), mid-month.
    const acceptedOn = new Date(`${monthStart(-3)}T12:00:00Z`);
    acceptedOn.setUTCDate(15);
    await get().database.db.execute(
      sql`UPDATE accepted_recommendations SET accepted_at = ${acceptedOn.toISOString()} WHERE id = ${accepted.body.acceptance.id}`,
    );
    // Before: Slack 437.50 and Teams 200 a month. After: Teams gone, Slack 52 seats (455).
    const lines = [-6, -5, -4].flatMap((m) => [
      { source: 'csv', toolName: 'Slack', amount: '437.50', billingPeriodStart: monthStart(m) },
      { source: 'csv', toolName: 'Microsoft Teams', amount: '200.00', billingPeriodStart: monthStart(m) },
    ]);
    for (const m of [-2, -1, 0]) {
      lines.push({ source: 'csv', toolName: 'Slack', amount: '455.00', billingPeriodStart: monthStart(m) });
    }
    await new ToolCostRepository(get().database.db).insertMany(admin.organization.id, lines);

    const savings = (await call<SavingsJson>(app, 'GET', '/api/savings', undefined, as(admin))).body;
    expect(savings.currency).toBe('USD');
    expect(savings.items).toHaveLength(1);
    expect(savings.items[0]?.verification).toMatchObject({
      status: 'seen',
      baselineMonths: [-6, -5, -4].map((m) => monthStart(m).slice(0, 7)),
      afterMonths: [-2, -1].map((m) => monthStart(m).slice(0, 7)), // the current month is not over
      baselineMonthly: 637.5,
      afterMonthly: 455,
      expectedMonthly: 182.5,
      seenMonthly: 182.5,
    });
    expect(savings.total).toEqual({ expectedMonthly: 182.5, measuredExpectedMonthly: 182.5, seenMonthly: 182.5 });
  });
});
