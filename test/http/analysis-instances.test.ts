/**
 * Two server instances on one PostgreSQL, each with its own analysis worker and pool:
 * 50 audits created across both are each analysed exactly once.
 */
import { describe, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { buildAppWithWorker } from '../harness/app.js';
import { call, signup } from '../harness/client.js';
import { postgresAvailable } from '../harness/databases.js';
import { instancesOnOnePostgres } from '../harness/instances.js';

describe.skipIf(!postgresAvailable())('analysis with two instances on one PostgreSQL', () => {
  const get = instancesOnOnePostgres(
    2,
    async (database) => (await buildAppWithWorker(database, { ANALYSIS_POLL_MS: '50' })).app,
  );

  it('50 audits across both: every one analysed exactly once', async () => {
    const { shared, apps } = get();
    const [one, two] = apps as [App, App];
    const account = await signup(one);
    await shared.database.query("UPDATE organizations SET plan = 'enterprise' WHERE id = $1", [
      account.organization.id,
    ]);
    const stack = {
      tools: [
        { name: 'Slack', monthlyCost: 100, seats: 10, activeSeats: 7 },
        { name: 'Zoom', monthlyCost: 50 },
      ],
    };
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call<{ audit: { id: string } }>(
          i % 2 ? two : one,
          'POST',
          '/api/audits',
          { name: `Load ${i}`, stackData: stack },
          { token: account.token },
        ),
      ),
    );
    expect(created.every((c) => c.status === 201)).toBe(true);
    const deadline = Date.now() + 60_000;
    let done = 0;
    while (Date.now() < deadline) {
      const [row] = await shared.database.query<{ n: string }>(
        "SELECT count(*) AS n FROM audits WHERE organization_id = $1 AND status = 'completed'",
        [account.organization.id],
      );
      done = Number(row?.n);
      if (done === 50) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(done).toBe(50);
    const runs = await shared.database.query<{ audit_id: string; runs: string }>(
      `SELECT a.id AS audit_id, count(r.id) AS runs FROM audits a LEFT JOIN analysis_results r ON r.audit_id = a.id
        WHERE a.organization_id = $1 GROUP BY a.id`,
      [account.organization.id],
    );
    expect(runs).toHaveLength(50);
    expect(runs.filter((r) => r.runs !== '1')).toEqual([]);
    const attempts = await shared.database.query<{ n: string }>(
      'SELECT count(*) AS n FROM audits WHERE organization_id = $1 AND analysis_attempts <> 1',
      [account.organization.id],
    );
    expect(attempts[0]?.n).toBe('0');
  });
});
