/**
 * A queued analysis is never lost: a server killed with SIGKILL while audits wait (or
 * run) finishes every one of them after it starts again.
 */
import { describe, expect, it } from 'vitest';

import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { silentLogger, testPostgresConfig } from '../harness/config.js';
import { createPgliteDir, createPostgresDatabase, DRIVERS, postgresAvailable } from '../harness/databases.js';
import { startServer } from '../harness/server-process.js';

const STACK = {
  tools: Array.from({ length: 50 }, (_, i) => ({ name: `Tool ${i}`, monthlyCost: i, seats: 10, activeSeats: 5 })),
};

for (const driver of DRIVERS) {
  describe.skipIf(driver === 'postgres' && !postgresAvailable())(`analysis recovery after SIGKILL [${driver}]`, () => {
    it('every audit queued before the crash completes after the restart', async () => {
      let env: Record<string, string>;
      let cleanup = async () => {};
      if (driver === 'pglite') env = { DATA_DIR: createPgliteDir() };
      else {
        const created = await createPostgresDatabase();
        env = { DATABASE_URL: created.url };
        cleanup = created.drop;
      }
      // No worker in the first process: what is queued stays queued until the kill.
      const slow = { ...env, ANALYSIS_WORKER_ENABLED: 'false' };
      try {
        const first = await startServer(slow);
        const signup = await fetch(`${first.url}/api/auth/signup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'crash@example.org', password: 'long enough pass', name: 'Crash Test' }),
        });
        const { token } = (await signup.json()) as { token: string };
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
        const ids: string[] = [];
        for (let i = 0; i < 8; i++) {
          const answer = await fetch(`${first.url}/api/audits`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ name: `Crash ${i}`, stackData: STACK }),
          });
          expect(answer.status).toBe(201);
          ids.push(((await answer.json()) as { audit: { id: string } }).audit.id);
        }
        await first.kill('SIGKILL');

        // Left as a crash leaves them: some may be 'analyzing' with a lease held by the dead process.
        const database =
          driver === 'pglite'
            ? await openPglite(env.DATA_DIR!, silentLogger)
            : openPostgres(testPostgresConfig(env.DATABASE_URL!), silentLogger);
        await database.query(
          "UPDATE audits SET status = 'analyzing', analysis_lease_until = now() + interval '3 seconds' WHERE id = $1",
          [ids[0]],
        );
        const before = await database.query<{ status: string }>(
          "SELECT status FROM audits WHERE status <> 'completed'",
        );
        expect(before).toHaveLength(8);
        await database.close();

        const second = await startServer({ ...env, ANALYSIS_POLL_MS: '200' });
        try {
          const deadline = Date.now() + 60_000;
          let statuses: string[] = [];
          while (Date.now() < deadline) {
            statuses = [];
            for (const id of ids) {
              const answer = await fetch(`${second.url}/api/audits/${id}`, { headers });
              statuses.push(((await answer.json()) as { audit: { status: string } }).audit.status);
            }
            if (statuses.every((s) => s === 'completed')) break;
            await new Promise((r) => setTimeout(r, 250));
          }
          expect(statuses).toEqual(ids.map(() => 'completed'));
        } finally {
          await second.kill('SIGKILL');
        }
      } finally {
        await cleanup();
      }
    }, 120_000);
  });
}
