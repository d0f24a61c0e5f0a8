/**
 * The job queue (pg-boss) on both databases: a job sent in a transaction exists only if the
 * transaction commits; the weekly digest is scheduled hourly and its job sends the digests.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import { transaction } from '../../src/db/database.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { createServices } from '../../src/services/index.js';
import { appPerBlock, testConfig } from '../harness/app.js';
import { createAudit, signup } from '../harness/client.js';
import { silentLogger, warningLogger } from '../harness/config.js';
import { describeEachDatabase } from '../harness/databases.js';
import { emailsTo } from '../harness/emails.js';

describeEachDatabase('the job queue', (get) => {
  const app = appPerBlock(get);
  let queue: JobQueue;
  beforeAll(async () => {
    queue = new JobQueue(get().database, silentLogger);
    await queue.start();
  }, 60_000);
  afterAll(async () => {
    await queue?.stop(2_000);
  });

  it('a job sent in a transaction exists only if the transaction commits', async () => {
    const before = (await queue.jobs('weekly-digest')).length;
    await expect(
      transaction(get().database.db, async (tx) => {
        await queue.send('weekly-digest', {}, tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await queue.jobs('weekly-digest')).toHaveLength(before);
    const id = await transaction(get().database.db, (tx) => queue.send('weekly-digest', {}, tx));
    const jobs = await queue.jobs('weekly-digest');
    expect(jobs).toHaveLength(before + 1);
    expect(jobs.map((j) => j.id)).toContain(id);
  });

  it('its upkeep pass (expiry, retention, statistics) runs, and reports no error', async () => {
    const { logger, lines: warnings } = warningLogger();
    const watched = new JobQueue(get().database, logger);
    await watched.start();
    try {
      // Every queue due, whatever a timer's pass did before: the pass sends several statements
      // in one query (the queues' statistics, expiry, deletion) and reads the rows of them all.
      await get().database.query(
        'UPDATE pgboss.queue SET monitor_claim_on = NULL, monitor_on = NULL, maintain_on = NULL',
      );
      await watched.upkeep();
    } finally {
      await watched.stop(2_000);
    }
    expect(warnings).toEqual([]);
    // The statistics were counted and stored: the pass went through.
    expect(
      await get().database.query(
        `SELECT name FROM pgboss.queue WHERE name IN ('weekly-digest', 'refresh-renewals', 'renewal-reminders') AND monitor_on IS NULL`,
      ),
    ).toEqual([]);
  }, 60_000);

  it('the weekly digest is scheduled hourly, and its job sends the week’s digests', async () => {
    expect(await queue.schedules()).toContainEqual(
      expect.objectContaining({ name: 'weekly-digest', cron: '0 * * * *' }),
    );
    const account = await signup(app());
    await createAudit(app(), account, 'Something happened');
    await queue.work(createServices(get().database, testConfig()));
    await queue.send('weekly-digest', {});
    const deadline = Date.now() + 30_000;
    while ((await emailsTo(get().database.db, account.user.email, 'weekly_digest')).length === 0) {
      if (Date.now() > deadline) throw new Error('no digest within 30 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    const [digest] = await emailsTo(get().database.db, account.user.email, 'weekly_digest');
    expect(digest?.textBody).toContain('• 1 audit created');
    expect(digest?.textBody).toContain('Where: Something happened (1 event).');
  }, 60_000);
});
