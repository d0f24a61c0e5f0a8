/**
 * Renewals on both databases (#17 point 2): the renewals page lists every upcoming renewal of
 * the latest audit and of connected spend, with filters; reminders go out once per tool, date
 * and lead time — to the admins and the tool's owner, as their preferences allow — however
 * many instances run the job; the calendar feed is an .ics at a secret URL (stored hashed,
 * regenerable) that a calendar library reads back as one event per renewal and cancel-by date.
 */
import { createHash } from 'node:crypto';

import { eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { calendarFeeds, renewalReminders } from '../../src/db/schema.js';
import type { App } from '../../src/http/app.js';
import type { CalendarFeedJson, RenewalsJson } from '../../src/http/routes/renewals/contract.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { createServices } from '../../src/services/index.js';
import { buildAppWithWorker, testConfig } from '../harness/app.js';
import { call, signup, team, type Account } from '../harness/client.js';
import { silentLogger } from '../harness/config.js';
import type { AuditDetail, AuditJson, ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import { emailsTo } from '../harness/emails.js';

const DAY_MS = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);

describeEachDatabase('renewals, reminders and the calendar feed', (get) => {
  let app: App;
  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database));
  });
  afterAll(() => app.close());
  const as = (who: Account) => ({ token: who.token });

  /** An organization with an analysed audit of dated tools and an annual contract in its spend. */
  async function organizationWithRenewals() {
    const t = await team(app);
    const stackData = {
      currency: 'USD',
      tools: [
        // Notice 10 days before a renewal in 20: cancel by day 10 (the 30-day lead is reached).
        {
          name: 'Zoom',
          monthlyCost: 159.9,
          seats: 10,
          activeSeats: 9,
          renewalDate: inDays(20),
          noticePeriodDays: 10,
          owner: t.member.user.email,
        },
        { name: 'Notion', monthlyCost: 240, renewalDate: inDays(5), owner: t.viewer.user.email },
        { name: 'Slack', monthlyCost: 437.5, renewalDate: inDays(200) },
        // Listed a year and a month ago, annual: it renews in about eleven months.
        { name: 'Dropbox', monthlyCost: 180, renewalDate: inDays(-395), billingCycle: 'annual' },
        // Ended and does not renew: not listed.
        { name: 'Old CRM', monthlyCost: 50, renewalDate: inDays(-10), autoRenew: false },
      ],
    };
    const created = await call<{ audit: AuditJson }>(
      app,
      'POST',
      '/api/audits',
      { name: 'Dated', stackData },
      as(t.admin),
    );
    expect(created.status, created.raw).toBe(201);
    for (let i = 0; ; i++) {
      const detail = await call<AuditDetail>(
        app,
        'GET',
        `/api/audits/${created.body.audit.id}`,
        undefined,
        as(t.admin),
      );
      if (detail.body.audit.status === 'completed') break;
      if (i > 200) throw new Error('not analysed');
      await new Promise((r) => setTimeout(r, 50));
    }
    // An annual contract in the books of a tool no audit lists (and one the audit lists: not twice).
    for (const line of [
      { toolName: 'Figma', amount: 1200, billingPeriodStart: inDays(-300), billingPeriodEnd: inDays(65) },
      { toolName: 'Zoom', amount: 1900, billingPeriodStart: inDays(-300), billingPeriodEnd: inDays(65) },
      { toolName: 'Linear', amount: 80, billingPeriodStart: inDays(-20), billingPeriodEnd: inDays(10) },
    ]) {
      const made = await call(app, 'POST', '/api/tool-costs', { currency: 'USD', ...line }, as(t.admin));
      expect(made.status, made.raw).toBe(201);
    }
    return { ...t, auditId: created.body.audit.id };
  }

  const renewals = async (who: Account, query = '') => {
    const answer = await call<RenewalsJson & ErrorBody>(app, 'GET', `/api/renewals${query}`, undefined, as(who));
    expect(answer.status, answer.raw).toBe(200);
    return answer.body;
  };

  it('the renewals page: the latest audit’s and connected spend’s, by date, rolled forward, with filters', async () => {
    const t = await organizationWithRenewals();
    const page = await renewals(t.member);
    expect(page.reminderLeadDays).toEqual([90, 30, 7]);
    expect(page.timeZone).toBe('UTC');
    expect(page.items.map((r) => [r.tool, r.source, r.renewalDate, r.cancelBy])).toEqual([
      ['Notion', 'audit', inDays(5), null],
      ['Zoom', 'audit', inDays(20), inDays(10)],
      ['Figma', 'spend', inDays(65), null],
      ['Slack', 'audit', inDays(200), null],
      ['Dropbox', 'audit', expect.any(String), null],
    ]);
    const dropbox = page.items.at(-1)!;
    expect(dropbox.daysLeft).toBeGreaterThan(300);
    const zoom = page.items[1]!;
    expect(zoom).toMatchObject({
      owner: t.member.user.email,
      monthlyCost: 159.9,
      currency: 'USD',
      auditId: t.auditId,
      daysLeft: 20,
      recommendation: { type: 'remove_unused_seats', title: 'Remove 1 unused Zoom seat' },
    });
    expect(page.items[2]).toMatchObject({ monthlyCost: 100, owner: null, auditId: null });
    const names = async (query: string) => (await renewals(t.member, query)).items.map((r) => r.tool);
    expect(await names('?withinDays=30')).toEqual(['Notion', 'Zoom']);
    expect(await names('?source=spend')).toEqual(['Figma']);
    expect(await names('?needsNotice=true')).toEqual(['Zoom']);
    expect(await names('?search=zoo')).toEqual(['Zoom']);
    expect(await names(`?search=${encodeURIComponent(t.viewer.user.email)}`)).toEqual(['Notion']);
    const bad = await call<ErrorBody>(app, 'GET', '/api/renewals?withinDays=-1', undefined, as(t.member));
    expect(bad.status).toBe(400);
    // Another organization sees none of it.
    expect((await renewals(await signup(app))).items).toEqual([]);
    // A private audit is not on the page of a member who may not view it: what is left is the
    // spend, where Zoom's annual contract now shows (the audit no longer speaks for Zoom).
    await call(app, 'PUT', `/api/audits/${t.auditId}/share`, { visibility: 'private' }, as(t.admin));
    expect(await names('')).toEqual(['Figma', 'Zoom']);
    expect((await renewals(t.admin)).items.map((r) => r.tool)).toContain('Notion');
  });

  it('reminders: once per tool, date and lead time, across instances and passes; to admins and owners who want them', async () => {
    const t = await organizationWithRenewals();
    const db = get().database.db;
    // The viewer (Notion's owner) turned renewal reminders off.
    const off = await call(
      app,
      'PUT',
      '/api/me/notification-preferences',
      { emailRenewalReminders: false },
      as(t.viewer),
    );
    expect(off.status, off.raw).toBe(200);
    // Two instances run the job at the same moment, then one runs it again.
    const config = testConfig();
    const [a, b] = [createServices(get().database, config), createServices(get().database, config)];
    await Promise.all([a.renewals.sendReminders(), b.renewals.sendReminders()]);
    await a.renewals.sendReminders();

    const subjects = async (who: Account) =>
      (await emailsTo(db, who.user.email, 'renewal_reminder')).map((e) => e.subject).sort();
    // Notion (5 days: the 7-day lead), Zoom (cancel by in 10: the 30-day lead), Figma (65: the 90-day lead).
    expect(await subjects(t.admin)).toEqual([
      `Figma renews on ${inDays(65)} (in 65 days)`,
      `Notion renews on ${inDays(5)} (in 5 days)`,
      `Zoom: the last day to cancel is ${inDays(10)} (in 10 days)`,
    ]);
    expect(await subjects(t.member)).toEqual([`Zoom: the last day to cancel is ${inDays(10)} (in 10 days)`]);
    expect(await subjects(t.viewer)).toEqual([]);
    const [zoom] = await emailsTo(db, t.member.user.email, 'renewal_reminder');
    expect(zoom!.textBody).toContain(
      `Zoom renews on ${inDays(20)}; to cancel or change it, give notice by ${inDays(10)}.`,
    );
    expect(zoom!.textBody).toContain('It costs $159.90 a month.');
    expect(zoom!.textBody).toContain('The latest audit recommends: Remove 1 unused Zoom seat (saves $15.99 a month).');
    expect(zoom!.textBody).toMatch(/See the renewals: http\S+\/renewals/);
    // The claims: every lead time reached is recorded, so none is sent later for a passed lead.
    const rows = await db
      .select({ toolKey: renewalReminders.toolKey, leadDays: renewalReminders.leadDays })
      .from(renewalReminders)
      .where(eq(renewalReminders.organizationId, t.admin.organization.id))
      .orderBy(renewalReminders.toolKey, renewalReminders.leadDays);
    expect(rows.map((r) => [r.toolKey, r.leadDays])).toEqual([
      ['figma', 90],
      ['notion', 7],
      ['notion', 30],
      ['notion', 90],
      ['zoom', 30],
      ['zoom', 90],
    ]);
  });

  it('the organization’s lead times are its own: validated, and used by the next pass', async () => {
    const t = await organizationWithRenewals();
    const bad = await call<ErrorBody>(
      app,
      'PATCH',
      '/api/organization',
      { settings: { reminderLeadDays: [400] } },
      as(t.admin),
    );
    expect(bad.status).toBe(400);
    const set = await call<{ organization: { settings: { reminderLeadDays: number[] } } }>(
      app,
      'PATCH',
      '/api/organization',
      { settings: { reminderLeadDays: [3, 60, 3] } },
      as(t.admin),
    );
    expect(set.status, set.raw).toBe(200);
    expect(set.body.organization.settings.reminderLeadDays).toEqual([60, 3]);
    await createServices(get().database, testConfig()).renewals.sendReminders();
    const sent = await emailsTo(get().database.db, t.admin.user.email, 'renewal_reminder');
    // Within 60 days: Notion (5) and Zoom (cancel by in 10); Figma (65) is not yet.
    expect(sent.map((e) => e.subject.split(/[ :]/)[0]).sort()).toEqual(['Notion', 'Zoom']);
  });

  it('the calendar feed: a secret URL (admin), hashed at rest, read back as events; regenerated, the old URL stops', async () => {
    const t = await organizationWithRenewals();
    expect((await call(app, 'POST', '/api/organization/calendar-feed', undefined, as(t.member))).status).toBe(403);
    const status = await call<CalendarFeedJson>(app, 'GET', '/api/organization/calendar-feed', undefined, as(t.admin));
    expect(status.body).toEqual({ active: false, createdAt: null });
    const made = await call<CalendarFeedJson>(app, 'POST', '/api/organization/calendar-feed', undefined, as(t.admin));
    expect(made.status, made.raw).toBe(201);
    const url = new URL(made.body.url!);
    const token = /\/api\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(url.pathname)![1]!;
    const stored = await get()
      .database.db.select({ tokenHash: calendarFeeds.tokenHash })
      .from(calendarFeeds)
      .where(eq(calendarFeeds.organizationId, t.admin.organization.id));
    expect(stored.map((r) => r.tokenHash)).toEqual([createHash('sha256').update(token).digest('hex')]);
    const again = await call<CalendarFeedJson>(app, 'GET', '/api/organization/calendar-feed', undefined, as(t.admin));
    expect(again.body.active).toBe(true);
    expect(again.body.url).toBeUndefined();

    // Anyone with the URL (a calendar sends no login) gets the .ics.
    const feed = await app.inject({ method: 'GET', url: url.pathname });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const calendar = new ICAL.Component(ICAL.parse(feed.body) as unknown[]);
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//StackAudit//Renewals//EN');
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const page = await renewals(t.admin);
    const expected = page.items.flatMap((r) => [
      [`${r.tool} renews`, r.renewalDate],
      ...(r.cancelBy ? [[`Last day to cancel ${r.tool}`, r.cancelBy]] : []),
    ]);
    expect(
      events.map((e) => [e.summary.replace(/ \(.*\)$/, '').replace(/ \(renews.*$/, ''), e.startDate.toString()]),
    ).toEqual(expected);
    for (const e of events) expect(e.startDate.isDate).toBe(true); // all-day
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect(events.find((e) => e.summary.startsWith('Zoom renews'))!.summary).toBe('Zoom renews ($159.90 a month)');
    // The same feed read again keeps its UIDs (a calendar updates rather than duplicates).
    const reread = new ICAL.Component(
      ICAL.parse((await app.inject({ method: 'GET', url: url.pathname })).body) as unknown[],
    );
    expect(reread.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).uid)).toEqual(events.map((e) => e.uid));

    // A new URL: the old one stops answering; turned off: none answers.
    const replaced = await call<CalendarFeedJson>(
      app,
      'POST',
      '/api/organization/calendar-feed',
      undefined,
      as(t.admin),
    );
    expect((await app.inject({ method: 'GET', url: url.pathname })).statusCode).toBe(404);
    const next = new URL(replaced.body.url!).pathname;
    expect((await app.inject({ method: 'GET', url: next })).statusCode).toBe(200);
    expect((await call(app, 'DELETE', '/api/organization/calendar-feed', undefined, as(t.admin))).status).toBe(204);
    expect((await app.inject({ method: 'GET', url: next })).statusCode).toBe(404);
    expect((await call(app, 'DELETE', '/api/organization/calendar-feed', undefined, as(t.admin))).status).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/calendar/${'x'.repeat(43)}.ics` })).statusCode).toBe(404);
  });

  it('the reminders are scheduled hourly on the job queue', async () => {
    const queue = new JobQueue(get().database, silentLogger);
    await queue.start();
    try {
      expect(await queue.schedules()).toContainEqual(
        expect.objectContaining({ name: 'renewal-reminders', cron: '10 * * * *' }),
      );
    } finally {
      await queue.stop(2_000);
    }
  });
});
