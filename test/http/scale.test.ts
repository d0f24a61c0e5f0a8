/**
 * Several instances on one PostgreSQL behave as one system, and a saturated pool never
 * hangs a request. Each "instance" is a full application with its own pool and workers.
 */
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Database } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres.js';
import type { App } from '../../src/http/app.js';
import { OutboxWorker } from '../../src/jobs/outbox.worker.js';
import { EmailService } from '../../src/services/email.service.js';
import { buildAppWithWorker, buildTestApp, testConfig } from '../harness/app.js';
import { call, uniqueEmail, type Account } from '../harness/client.js';
import { silentLogger, testPostgresConfig } from '../harness/config.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../harness/databases.js';
import { instancesOnOnePostgres } from '../harness/instances.js';

describe.skipIf(!postgresAvailable())('scale-out: three instances on one PostgreSQL', () => {
  const get = instancesOnOnePostgres(
    3,
    async (database) =>
      (await buildAppWithWorker(database, { ANALYSIS_POLL_MS: '50', RATE_LIMIT_LOGIN_PER_ACCOUNT: '5' })).app,
  );

  it('sessions, rate limits, analyses and the outbox work as one system under a mixed workload', async () => {
    const { shared, pools, apps } = get();
    const [a, b, c] = apps as [App, App, App];
    const pick = (i: number) => apps[i % 3]!;
    // Signups spread over the instances; each logs in on another and creates audits on a third.
    const accounts: Account[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await call<Account>(pick(i), 'POST', '/api/auth/signup', {
        email: uniqueEmail('scale'),
        password: 'long enough pass',
        name: `Scale ${i}`,
      });
      expect(answer.status).toBe(201);
      accounts.push({ ...answer.body, password: 'long enough pass' });
    }
    await shared.database.query("UPDATE organizations SET plan = 'enterprise'");
    const work: Promise<unknown>[] = [];
    accounts.forEach((account, i) => {
      work.push(
        call(pick(i + 1), 'POST', '/api/auth/login', { email: account.user.email, password: account.password }),
      );
      for (let j = 0; j < 5; j++) {
        work.push(
          call(
            pick(i + j + 2),
            'POST',
            '/api/audits',
            {
              name: `S${i}-${j}`,
              stackData: { tools: [{ name: 'Slack', monthlyCost: 10 * j, seats: 4, activeSeats: 2 }] },
            },
            { token: account.token },
          ),
        );
      }
      work.push(
        call(
          pick(i),
          'POST',
          '/api/team/invites',
          { email: uniqueEmail('invitee'), role: 'viewer' },
          { token: account.token },
        ),
      );
    });
    const answers = (await Promise.all(work)) as { status: number }[];
    expect(answers.filter((x) => x.status >= 400)).toEqual([]);

    // A session from one instance works on every other; logout on one is seen by all.
    const first = accounts[0]!;
    for (const app of apps)
      expect((await call(app, 'GET', '/api/auth/me', undefined, { token: first.token })).status).toBe(200);
    await call(b, 'POST', '/api/auth/logout', undefined, { token: first.token });
    for (const app of apps)
      expect((await call(app, 'GET', '/api/auth/me', undefined, { token: first.token })).status).toBe(401);

    // Failed logins across the three count together (limit 5 here).
    const target = accounts[1]!;
    for (let i = 0; i < 5; i++)
      expect(
        (await call(pick(i), 'POST', '/api/auth/login', { email: target.user.email, password: 'wrong wrong' })).status,
      ).toBe(401);
    for (const app of [a, b, c])
      expect(
        (await call(app, 'POST', '/api/auth/login', { email: target.user.email, password: target.password })).status,
      ).toBe(429);

    // Every analysis ran exactly once.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await shared.database.query<{ n: string }>(
        "SELECT count(*) AS n FROM audits WHERE status <> 'completed'",
      );
      if (row?.n === '0' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const runs = await shared.database.query<{ audit_id: string; n: string }>(
      'SELECT a.id AS audit_id, count(r.id) AS n FROM audits a LEFT JOIN analysis_results r ON r.audit_id = a.id GROUP BY a.id',
    );
    expect(runs).toHaveLength(30);
    expect(runs.filter((r) => r.n !== '1')).toEqual([]);

    // Three outbox workers drain at once; each email is delivered once.
    const delivered: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        stream.on('data', () => {});
        stream.on('end', () => {
          delivered.push(...session.envelope.rcptTo.map((r) => r.address));
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    try {
      const url = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
      const config = testConfig({ SMTP_URL: url });
      const workers = pools.map(
        (db) => new OutboxWorker(new EmailService(db, config, silentLogger), config, silentLogger),
      );
      await Promise.all(workers.map((w) => w.drain()));
      await Promise.all(workers.map((w) => w.stop()));
      const [queued] = await shared.database.query<{ n: string }>(
        "SELECT count(*) AS n FROM email_outbox WHERE status = 'sent'",
      );
      // Six invites and the six signups' verification emails.
      expect(Number(queued?.n)).toBe(12);
      expect(delivered).toHaveLength(12);
      expect(new Set(delivered).size).toBe(12);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  }, 120_000);
});

describe.skipIf(!postgresAvailable())('a saturated pool', () => {
  let db: TestDatabase;
  let small: Database;
  let app: App;
  let account: Account;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    small = openPostgres(testPostgresConfig(db.location, { poolMax: 2, connectionTimeoutMs: 300 }), silentLogger);
    app = await buildTestApp(small);
    const answer = await call<Account>(app, 'POST', '/api/auth/signup', {
      email: uniqueEmail('pool'),
      password: 'long enough pass',
      name: 'Pool',
    });
    account = answer.body;
  });
  afterAll(async () => {
    await app?.close();
    await small?.close();
    await db?.destroy();
  });

  it('200 concurrent requests wait at most the acquire timeout, then answer 503 with Retry-After; none hangs', async () => {
    // Both connections busy for two seconds.
    const blockers = [small.query('SELECT pg_sleep(2)'), small.query('SELECT pg_sleep(2)')];
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => call(app, 'GET', '/api/audits', undefined, { token: account.token })),
    );
    const elapsed = Date.now() - started;
    expect(answers.every((x) => x.status === 503)).toBe(true);
    expect(answers.every((x) => x.headers['retry-after'] === '5')).toBe(true);
    expect(elapsed).toBeLessThan(1500); // the 300 ms timeout, not the 2 s the connections are held
    expect(small.poolStats()).toMatchObject({ max: 2 });
    await Promise.all(blockers);
    expect((await call(app, 'GET', '/api/audits', undefined, { token: account.token })).status).toBe(200);
  }, 30_000);
});
