/**
 * Live renewals on both databases: the stored analyses' renewal dates roll forward with the
 * calendar (the hourly refresh, through the job queue), "today" is the organization's, in
 * its time zone, and a pass changes only what changed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { nextRenewal } from '../../src/domain/analysis/rules/renewals.js';
import type { App } from '../../src/http/app.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { createServices, type Services } from '../../src/services/index.js';
import { buildAppWithWorker, testConfig } from '../harness/app.js';
import { call, signup, type Account } from '../harness/client.js';
import { silentLogger } from '../harness/config.js';
import type { AuditDetail, AuditJson, ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

const DAY_MS = 86_400_000;
const dayOf = (instant: Date) => instant.toISOString().slice(0, 10);

describeEachDatabase('live renewals', (get) => {
  let app: App;
  let services: Services;
  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database));
    services = createServices(get().database, testConfig());
  });
  afterAll(() => app.close());

  const as = (who: Account) => ({ token: who.token });
  async function analysed(who: Account, id: string): Promise<NonNullable<AuditDetail['analysis']>> {
    for (let i = 0; i < 200; i++) {
      const detail = (await call<AuditDetail>(app, 'GET', `/api/audits/${id}`, undefined, as(who))).body;
      if (detail.audit.status === 'completed' && detail.analysis) return detail.analysis;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`audit ${id} was not analysed`);
  }
  async function auditWith(who: Account, renewalDate: string): Promise<string> {
    const stackData = {
      tools: [
        {
          name: 'Slack',
          monthlyCost: 100,
          billingCycle: 'monthly',
          renewalDate,
          noticePeriodDays: 10,
          owner: 'it@example.com',
        },
      ],
    };
    const created = await call<{ audit: AuditJson }>(app, 'POST', '/api/audits', { name: 'Dated', stackData }, as(who));
    expect(created.status).toBe(201);
    return created.body.audit.id;
  }

  it('a renewal that has passed rolls forward by the billing cycle; a second pass changes nothing', async () => {
    const admin = await signup(app);
    const soon = dayOf(new Date(Date.now() + 5 * DAY_MS));
    const id = await auditWith(admin, soon);
    const original = await analysed(admin, id);
    expect(original.costAnalysis.renewalsNext90Days.map((r) => r.date)).toEqual([soon]);
    // Each tool's next renewal, whatever the horizon (the audit page's list of tools shows it).
    expect(original.costAnalysis.nextRenewals).toEqual([{ name: 'Slack', listed: soon, date: soon }]);

    // Forty days on, the stack's date has passed: the next monthly renewal is shown instead.
    const later = new Date(Date.now() + 40 * DAY_MS);
    const first = await services.analyses.refreshRenewals(later);
    expect(first.updated).toBeGreaterThanOrEqual(1);
    const refreshed = await analysed(admin, id);
    const [renewal] = refreshed.costAnalysis.renewalsNext90Days;
    expect(renewal?.date).toBe(nextRenewal(soon, 'monthly', undefined, dayOf(later)));
    expect(renewal!.date >= dayOf(later) && renewal!.date > soon).toBe(true);
    expect(refreshed.costAnalysis.nextRenewals).toEqual([{ name: 'Slack', listed: soon, date: renewal!.date }]);
    const decide = refreshed.recommendations.find((r) => r.type === 'renewal');
    expect(decide?.evidence).toMatchObject({ listedDate: soon, rolledForwardBy: 'monthly', today: dayOf(later) });
    // What the analysis found besides renewals is left as it was.
    expect(refreshed.summary).toEqual(original.summary);
    const others = (a: typeof original) => a.recommendations.filter((r) => r.type !== 'renewal');
    expect(others(refreshed)).toEqual(others(original));

    expect((await services.analyses.refreshRenewals(later)).updated).toBe(0);

    // An analysis stored before nextRenewals existed gets them from the next pass.
    await get().database.db.execute(
      sql`UPDATE analysis_results SET cost_analysis = cost_analysis - 'nextRenewals' WHERE audit_id = ${id}`,
    );
    expect((await analysed(admin, id)).costAnalysis.nextRenewals).toBeUndefined();
    expect((await services.analyses.refreshRenewals(later)).updated).toBeGreaterThanOrEqual(1);
    expect((await analysed(admin, id)).costAnalysis.nextRenewals).toEqual(refreshed.costAnalysis.nextRenewals);
  });

  it("today is the organization's, in its time zone; an unknown zone is refused", async () => {
    const utc = await signup(app);
    const kiribati = await signup(app);
    const bad = await call<ErrorBody>(
      app,
      'PATCH',
      '/api/organization',
      { settings: { timeZone: 'Mars/Olympus_Mons' } },
      as(kiribati),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContainEqual(expect.objectContaining({ field: 'body.settings.timeZone' }));
    const ok = await call(
      app,
      'PATCH',
      '/api/organization',
      { settings: { timeZone: 'Pacific/Kiritimati' } },
      as(kiribati),
    );
    expect(ok.status).toBe(200);

    // 11:00 UTC on the renewal day is already the next day at UTC+14.
    const renewalDay = dayOf(new Date(Date.now() + 30 * DAY_MS));
    const instant = new Date(`${renewalDay}T11:00:00Z`);
    const [inUtc, inKiribati] = [await auditWith(utc, renewalDay), await auditWith(kiribati, renewalDay)];
    await analysed(utc, inUtc);
    await analysed(kiribati, inKiribati);
    await services.analyses.refreshRenewals(instant);
    const dates = async (who: Account, id: string) =>
      (await analysed(who, id)).costAnalysis.renewalsNext90Days.map((r) => r.date);
    expect(await dates(utc, inUtc)).toEqual([renewalDay]);
    const next = (await dates(kiribati, inKiribati))[0]!;
    expect(next > renewalDay).toBe(true);
  });

  it('the refresh is scheduled hourly on the job queue, and its job refreshes stored analyses', async () => {
    const queue = new JobQueue(get().database, silentLogger);
    await queue.start();
    try {
      expect(await queue.schedules()).toContainEqual(
        expect.objectContaining({ name: 'refresh-renewals', cron: '5 * * * *' }),
      );
      const admin = await signup(app);
      // A date a year ago (annual unless said otherwise: this one is monthly) is shown rolled forward.
      const id = await auditWith(admin, dayOf(new Date(Date.now() - 365 * DAY_MS)));
      const before = await analysed(admin, id);
      expect(before.costAnalysis.renewalsNext90Days).toHaveLength(1);
      // Make the stored analysis stale, as a day passing would: the job puts it right.
      await get().database.db.execute(
        sql`UPDATE analysis_results SET cost_analysis = jsonb_set(cost_analysis, '{renewalsNext90Days}', '[]') WHERE audit_id = ${id}`,
      );
      expect((await analysed(admin, id)).costAnalysis.renewalsNext90Days).toEqual([]);
      await queue.work(services);
      await queue.send('refresh-renewals', {});
      const deadline = Date.now() + 30_000;
      while ((await analysed(admin, id)).costAnalysis.renewalsNext90Days.length === 0) {
        if (Date.now() > deadline) throw new Error('the renewals were not refreshed within 30 s');
        await new Promise((r) => setTimeout(r, 250));
      }
      expect((await analysed(admin, id)).costAnalysis.renewalsNext90Days).toEqual(
        before.costAnalysis.renewalsNext90Days,
      );
    } finally {
      await queue.stop(2_000);
    }
  }, 60_000);
});
