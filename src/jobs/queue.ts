/**
 * The one job queue for background work that has no row of its own (a digest, a comment's
 * notification fan-out, reminders, narratives): pg-boss, on the same database as everything
 * else (its own `pgboss` schema, this instance's connections — db/ hands it over, each
 * driver its way). A job can be sent inside the transaction of what causes it, so a rolled-
 * back change leaves no job; pg-boss retries failed jobs and, after a crash, re-runs a job
 * whose expiry passed (handlers are idempotent). Work whose row *is* the state keeps its
 * row-as-queue design (the analysis queue, the outbox, integration syncs: docs/ARCHITECTURE.md).
 *
 * Scheduled here: the weekly digest, hourly (each user's digest goes out once a week: the
 * digest_runs row decides, whichever instance runs the job); the refresh of renewals,
 * hourly (so each organization's "today" turns at its own midnight; a pass only writes the
 * analyses whose renewals changed).
 */
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { fromDrizzle, PgBoss } from 'pg-boss';

import type { Database, Executor } from '../db/database.js';
import type { Services } from '../services/index.js';

/** Every queue, with what its jobs carry. */
export interface Queues {
  'weekly-digest': Record<string, never>;
  'refresh-renewals': Record<string, never>;
  'renewal-reminders': Record<string, never>;
}
export type QueueName = keyof Queues;

const SCHEDULES: { queue: QueueName; cron: string }[] = [
  { queue: 'weekly-digest', cron: '0 * * * *' },
  { queue: 'refresh-renewals', cron: '5 * * * *' },
  // Hourly: "today" begins at a different hour in each organization's time zone.
  { queue: 'renewal-reminders', cron: '10 * * * *' },
];

export class JobQueue {
  private readonly boss: PgBoss;

  constructor(
    database: Database,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.boss = new PgBoss({
      db: database.jobStore(),
      backend: database.driver === 'pglite' ? 'pglite' : 'postgres',
      schema: 'pgboss',
      // Without a listener, an 'error' event (the database away for a moment) ends the process.
      // Workers poll every few seconds: digests and fan-outs are not interactive.
    });
    this.boss.on('error', (error: Error) => this.logger.warn({ err: { message: error.message } }, 'job queue'));
  }

  /** Creates pg-boss's schema (or migrates it), the queues and the schedules. */
  async start(): Promise<void> {
    // Instances booting at the same moment on a fresh database both create pg-boss's schema,
    // and PostgreSQL's CREATE SCHEMA IF NOT EXISTS is not safe against that race (the loser
    // gets a unique violation). pg-boss retries its own start (1 s, 2 s, …): by then the
    // schema is there. A database that stays away fails after the last attempt.
    await this.boss.start({ attempts: START_ATTEMPTS });
    for (const queue of Object.keys(QUEUE_OPTIONS) as QueueName[]) {
      await this.boss.createQueue(queue, QUEUE_OPTIONS[queue]);
    }
    for (const { queue, cron } of SCHEDULES) await this.boss.schedule(queue, cron, {}, { tz: 'UTC' });
  }

  /** Runs this instance's workers: each queue's jobs through its service. */
  async work(services: Pick<Services, 'digests' | 'analyses' | 'renewals'>): Promise<void> {
    await this.boss.work('weekly-digest', { pollingIntervalSeconds: 5 }, async () => {
      const result = await services.digests.sendWeekly(new Date());
      if (result.sent) this.logger.info(result, 'weekly digests queued');
    });
    await this.boss.work('refresh-renewals', { pollingIntervalSeconds: 5 }, async () => {
      const result = await services.analyses.refreshRenewals(new Date());
      if (result.updated) this.logger.info(result, 'renewals refreshed');
    });
    await this.boss.work('renewal-reminders', { pollingIntervalSeconds: 5 }, async () => {
      const result = await services.renewals.sendReminders(new Date());
      if (result.reminders) this.logger.info(result, 'renewal reminders queued');
    });
  }

  /** Queues a job; with `tx`, as part of that transaction (a rollback leaves no job). */
  async send<Q extends QueueName>(queue: Q, data: Queues[Q], tx?: Executor): Promise<string | null> {
    return this.boss.send(queue, data, tx ? { db: fromDrizzle(tx as never, sql as never) } : {});
  }

  /** The queue's schedules (operations and tests). */
  schedules(): Promise<{ name: string; cron: string }[]> {
    return this.boss.getSchedules();
  }

  /** Jobs of a queue, any state (tests and operations). */
  async jobs(queue: QueueName): Promise<{ id: string; state: string }[]> {
    return this.boss.findJobs(queue);
  }

  /**
   * pg-boss's upkeep pass now, as its timer runs it every minute: jobs past their expiry
   * (a worker that died) retried, old jobs dropped, queue statistics (tests and operations).
   */
  async upkeep(): Promise<void> {
    await this.boss.supervise();
  }

  /** Lets running jobs finish (at most `timeoutMs`), then stops. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: false });
  }
}

/** pg-boss start attempts (instances racing to create its schema; a database a moment away). */
const START_ATTEMPTS = 4;

const QUEUE_OPTIONS: Record<
  QueueName,
  { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number }
> = {
  // A digest pass is short; a crashed one is taken over after its expiry.
  'weekly-digest': { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  // A pass reads every dated audit in pages; the next hour's pass catches up on a failed one.
  'refresh-renewals': { retryLimit: 2, retryDelay: 300, retryBackoff: true, expireInSeconds: 30 * 60 },
  // Each reminder is claimed by a row in the transaction that queues its emails: a retried
  // or overlapping pass sends nothing twice.
  'renewal-reminders': { retryLimit: 2, retryDelay: 300, retryBackoff: true, expireInSeconds: 30 * 60 },
};
