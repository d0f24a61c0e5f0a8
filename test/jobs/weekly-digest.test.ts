import { afterAll, beforeAll, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { weekStart } from '../../src/domain/days.js';
import { DigestService } from '../../src/services/digest.service.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { EmailOutboxRepository } from '../../src/repositories/email-outbox.repository.js';
import { buildTestApp, testConfig } from '../harness/app.js';
import { call, signup, team, type Account } from '../harness/client.js';
import { describeEachDatabase } from '../harness/databases.js';

describeEachDatabase('weekly digest', (get) => {
  let app: App;
  let t: Awaited<ReturnType<typeof team>>;
  let idle: Account;
  beforeAll(async () => {
    app = await buildTestApp(get().database);
    t = await team(app);
    idle = await signup(app);
  });
  afterAll(() => app.close());

  it('weeks start on Monday (UTC)', () => {
    expect(weekStart(new Date('2026-11-27T10:00:00Z'))).toBe('2026-11-23'); // a Friday
    expect(weekStart(new Date('2026-11-23T00:00:00Z'))).toBe('2026-11-23');
    expect(weekStart(new Date('2026-11-22T23:59:59Z'))).toBe('2026-11-16'); // a Sunday
  });

  it('one email a week to each user who wants it and had activity; audits they cannot see do not count', async () => {
    const db = get().database.db;
    const audit = await new AuditRepository(db).create({
      organizationId: t.member.organization.id,
      userId: t.member.user.id,
      name: 'Digest me',
      stackData: { tools: [] },
    });
    await call(app, 'POST', `/api/audits/${audit.id}/comments`, { content: 'First' }, { token: t.member.token });
    await call(app, 'POST', `/api/audits/${audit.id}/comments`, { content: 'Second' }, { token: t.admin.token });
    const hidden = await new AuditRepository(db).create({
      organizationId: t.member.organization.id,
      userId: t.admin.user.id,
      name: 'Hidden',
      stackData: { tools: [] },
    });
    await call(app, 'PUT', `/api/audits/${hidden.id}/share`, { visibility: 'private' }, { token: t.admin.token });
    await call(
      app,
      'POST',
      `/api/audits/${hidden.id}/comments`,
      { content: 'Not for viewers' },
      { token: t.admin.token },
    );
    await call(app, 'PUT', '/api/me/notification-preferences', { emailWeeklyDigest: false }, { token: t.admin.token });

    const config = testConfig();
    const digests = new DigestService(get().database, config);
    const { sent } = await digests.sendWeekly();
    expect(sent).toBeGreaterThanOrEqual(2);
    const outbox = new EmailOutboxRepository(db);
    const digestsOf = async (who: Account) =>
      (await outbox.listTo(who.organization.id, who.user.email)).filter((m) => m.template === 'weekly_digest');
    const viewerDigest = await digestsOf(t.viewer);
    expect(viewerDigest).toHaveLength(1);
    expect(viewerDigest[0]?.textBody).toContain('• 2 new comments');
    expect(viewerDigest[0]?.textBody).toContain('Where: Digest me (2 events).');
    expect(viewerDigest[0]?.subject).toBe('Your StackAudit week: 2 new comments');
    // The private audit's events are not the viewer's to see, nor its name.
    expect(viewerDigest[0]?.textBody).not.toContain('Hidden');
    expect(await digestsOf(t.admin)).toEqual([]); // turned off
    expect(await digestsOf(idle)).toEqual([]); // nothing happened

    // Again the same week, from any instance: nothing more.
    expect((await digests.sendWeekly()).sent).toBe(0);
    expect(await digestsOf(t.viewer)).toHaveLength(1);
  });
});
