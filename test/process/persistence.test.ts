import { describe, expect, it } from 'vitest';

import { migrationNames } from '../../src/db/migrate.js';
import { createPgliteDir, createPostgresDatabase, DRIVERS, postgresAvailable } from '../harness/databases.js';
import { runCli, startServer } from '../harness/server-process.js';

async function post(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => null)) as { token: string; organization: { id: string } },
  };
}

// What the server acknowledged must survive the process being killed outright.
for (const driver of DRIVERS) {
  describe.skipIf(driver === 'postgres' && !postgresAvailable())(`persistence across SIGKILL [${driver}]`, () => {
    it('accounts, organizations and sessions written over HTTP are all there after kill -9', async () => {
      let env: Record<string, string>;
      let cleanup: () => Promise<void>;
      if (driver === 'pglite') {
        env = { DATA_DIR: createPgliteDir({ migrated: false }) };
        cleanup = async () => {};
      } else {
        const created = await createPostgresDatabase({ migrated: false });
        env = { DATABASE_URL: created.url };
        cleanup = created.drop;
      }
      try {
        const seeded = runCli(['seed'], env);
        expect(seeded.status, seeded.output).toBe(0);

        const first = await startServer(env);
        const accounts: { email: string; token: string; organization: string }[] = [];
        for (let i = 0; i < 8; i++) {
          const email = `persist-${i}@durable.example`;
          const answer = await post(`${first.url}/api/auth/signup`, {
            email,
            password: `password number ${i}`,
            name: `Person ${i}`,
            organizationName: `Company ${i}`,
          });
          expect(answer.status).toBe(201);
          accounts.push({
            email,
            token: answer.body.token,
            organization: answer.body.organization.id,
          });
        }
        const renamed = await fetch(`${first.url}/api/organization`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accounts[0]!.token}` },
          body: JSON.stringify({ name: 'Renamed just before the crash' }),
        });
        expect(renamed.status).toBe(200);
        expect(await first.kill('SIGKILL')).toBe('SIGKILL');

        const second = await startServer(env);
        try {
          for (const [i, account] of accounts.entries()) {
            // The session made before the crash still works…
            const me = await fetch(`${second.url}/api/auth/me`, {
              headers: { authorization: `Bearer ${account.token}` },
            });
            expect(me.status).toBe(200);
            const body = (await me.json()) as { organization: { id: string; name: string } };
            expect(body.organization.id).toBe(account.organization);
            if (i === 0) expect(body.organization.name).toBe('Renamed just before the crash');
            // …and so does the password.
            expect(
              (await post(`${second.url}/api/auth/login`, { email: account.email, password: `password number ${i}` }))
                .status,
            ).toBe(200);
          }
          expect(
            (await post(`${second.url}/api/auth/login`, { email: 'demo@stackaudit.ai', password: 'demo123' })).status,
          ).toBe(200);
        } finally {
          await second.kill('SIGKILL');
        }
        const status = runCli(['migrate', '--status'], env);
        expect(status.stdout).toContain(`${migrationNames().length} applied, 0 pending`);
      } finally {
        await cleanup();
      }
    }, 120_000);
  });
}
