import { expect, it } from 'vitest';

import { MaintenanceWorker } from '../../src/jobs/maintenance.js';
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

    const result = await new MaintenanceWorker(get().database, silentLogger).run();
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    expect(result.rateLimits).toBeGreaterThanOrEqual(1);
    expect(await sessions.countForUser(admin.id)).toBe(1);
    expect(await limits.peek(`new:${admin.id}`)).not.toBeNull();
  });
});
