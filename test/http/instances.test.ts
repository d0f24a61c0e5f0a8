/**
 * Several server instances on one PostgreSQL share everything that matters: sessions
 * and rate-limit counters live in the database. Two applications, each with its own
 * connection pool, stand for two instances. (The embedded database belongs to one
 * process, so this is a PostgreSQL-only property.)
 */
import { describe, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { buildTestApp } from '../harness/app.js';
import { call, signup, type Account } from '../harness/client.js';
import { postgresAvailable } from '../harness/databases.js';
import { instancesOnOnePostgres } from '../harness/instances.js';

describe.skipIf(!postgresAvailable())('two instances on one PostgreSQL', () => {
  const get = instancesOnOnePostgres(2, (database) => buildTestApp(database));
  it('a session made on one instance works on the other; logout on one is seen by the other', async () => {
    const [one, two] = get().apps as [App, App];
    const account = await signup(one);
    const onTwo = await call<{ user: { id: string } }>(two, 'GET', '/api/auth/me', undefined, { token: account.token });
    expect(onTwo.status).toBe(200);
    expect(onTwo.body.user.id).toBe(account.user.id);

    const login = await call<Account>(two, 'POST', '/api/auth/login', {
      email: account.user.email,
      password: account.password,
    });
    expect((await call(one, 'GET', '/api/auth/me', undefined, { token: login.body.token })).status).toBe(200);

    expect((await call(two, 'POST', '/api/auth/logout', undefined, { token: account.token })).status).toBe(204);
    expect((await call(one, 'GET', '/api/auth/me', undefined, { token: account.token })).status).toBe(401);
    expect((await call(one, 'GET', '/api/auth/me', undefined, { token: login.body.token })).status).toBe(200);
  });

  it('failed logins spread over both instances count together: 429 with Retry-After', async () => {
    const [one, two] = get().apps as [App, App];
    const account = await signup(one);
    for (let i = 0; i < 10; i++) {
      const instance = i % 2 === 0 ? one : two;
      expect(
        (await call(instance, 'POST', '/api/auth/login', { email: account.user.email, password: `wrong ${i}` })).status,
      ).toBe(401);
    }
    for (const instance of [one, two]) {
      const blocked = await call(instance, 'POST', '/api/auth/login', {
        email: account.user.email,
        password: account.password,
      });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
