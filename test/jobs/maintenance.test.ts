import { expect, it } from 'vitest';

import { MaintenanceWorker } from '../../src/jobs/maintenance.js';
import { MaintenanceService } from '../../src/services/maintenance.service.js';
import { RateLimitRepository } from '../../src/repositories/rate-limit.repository.js';
import { SessionRepository } from '../../src/repositories/session.repository.js';
import { silentLogger } from '../harness/config.js';
import { describeEachDatabase } from '../harness/databases.js';
import { makeTenant } from '../harness/factories.js';

describeEachDatabase('maintenance', (get) => {
  it('deletes expired sessions and passed rate-limit windows, and nothing else', async () => {
    const db = get().database.db;
    const { admin } = await makeTenant(db);
    const sessions = new SessionRepository(db);
    const hour = 3_600_000;
    await sessions.create({
      userId: admin.id,
      tokenHash: `a${admin.id}`.padEnd(64, '0'),
      expiresAt: new Date(Date.now() - hour),
    });
    await sessions.create({
      userId: admin.id,
      tokenHash: `b${admin.id}`.padEnd(64, '0'),
      expiresAt: new Date(Date.now() + hour),
    });
    const limits = new RateLimitRepository(db);
    await limits.hit(`old:${admin.id}`, 1, new Date(Date.now() - hour));
    await limits.hit(`new:${admin.id}`, 3600);

    const result = await new MaintenanceWorker(new MaintenanceService(get().database), silentLogger).run();
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    expect(result.rateLimits).toBeGreaterThanOrEqual(1);
    expect(await sessions.countForUser(admin.id)).toBe(1);
    expect(await limits.peek(`new:${admin.id}`)).not.toBeNull();
  });
});

describeEachDatabase('retention', (get) => {
  it('off by default; when enabled, deletes only audits past their organization retention', async () => {
    const db = get().database.db;
    const { OrganizationRepository } = await import('../../src/repositories/organization.repository.js');
    const { AuditRepository } = await import('../../src/repositories/audit.repository.js');
    const { makeAudit } = await import('../harness/factories.js');
    const short = await makeTenant(db);
    const long = await makeTenant(db);
    await new OrganizationRepository(db).replaceSettings(short.organization.id, { auditRetentionDays: 30 });
    await new OrganizationRepository(db).replaceSettings(long.organization.id, { auditRetentionDays: 'forever' });
    const old = await makeAudit(db, short.organization.id, short.admin.id, 'old');
    const recent = await makeAudit(db, short.organization.id, short.admin.id, 'recent');
    const oldButKept = await makeAudit(db, long.organization.id, long.admin.id, 'kept');
    await get().database.query("UPDATE audits SET created_at = now() - interval '45 days' WHERE id IN ($1, $2)", [
      old.id,
      oldButKept.id,
    ]);

    expect((await new MaintenanceWorker(new MaintenanceService(get().database), silentLogger).run()).audits).toBe(0);
    const audits = new AuditRepository(db);
    expect(await audits.findById(short.organization.id, old.id)).not.toBeNull();

    const deleted = await new MaintenanceWorker(
      new MaintenanceService(get().database),
      silentLogger,
      true,
    ).applyRetention();
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await audits.findById(short.organization.id, old.id)).toBeNull();
    expect(await audits.findById(short.organization.id, recent.id)).not.toBeNull();
    // 'forever' is not a number of days: the default 90 applies, and 45 days is within it.
    expect(await audits.findById(long.organization.id, oldButKept.id)).not.toBeNull();
  });
});
