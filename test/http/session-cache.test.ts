/**
 * The session cache (services/session-cache.ts): a session looked up once is not read again
 * for SESSION_CACHE_SECONDS, yet revocation stays exact. On the instance that makes a change
 * it applies before the change's answer; on every other instance (and for a change made with
 * psql behind every instance's back) it arrives by NOTIFY, asserted here within the cache's
 * bound of 5 s — and in practice in milliseconds. Without its LISTEN connection an instance
 * caches nothing.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { organizations, sessions } from '../../src/db/schema.js';
import { hashToken } from '../../src/domain/tokens.js';
import type { App } from '../../src/http/app.js';
import { buildTestApp } from '../harness/app.js';
import { call, createAudit, signup, team, type Account } from '../harness/client.js';
import { describeEachDatabase, postgresAvailable } from '../harness/databases.js';
import { instancesOnOnePostgres } from '../harness/instances.js';

const CACHED = { SESSION_CACHE_SECONDS: '5' };
const BOUND_MS = 5_000;

const as = (who: Account) => ({ token: who.token });

/** Polls until `status` answers `expected`; returns how long that took (fails past the bound). */
async function within(bound: number, status: () => Promise<number>, expected: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const got = await status();
    if (got === expected) return Date.now() - started;
    if (Date.now() - started > bound) throw new Error(`still ${got} after ${bound} ms (expected ${expected})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeEachDatabase('the session cache', (get) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp(get().database, CACHED);
    await app.ready();
  });
  afterAll(() => app.close());

  it('a session is read once, then answered from the cache', async () => {
    const account = await signup(app);
    const statements = async () => {
      const before = get().database.statementsRun();
      expect((await call(app, 'GET', '/api/audits', undefined, as(account))).status).toBe(200);
      return get().database.statementsRun() - before;
    };
    const first = await statements();
    const next = [await statements(), await statements(), await statements()];
    // The list is one statement; the first request also read the session.
    expect(first).toBe(2);
    expect(next).toEqual([1, 1, 1]);
  });

  it('a comment is one statement: the access check, the comment, its activity, its job and its follower', async () => {
    const account = await signup(app);
    const auditId = await createAudit(app, account, 'Commented');
    const statements = async () => {
      const before = get().database.statementsRun();
      const posted = await call(app, 'POST', `/api/audits/${auditId}/comments`, { content: 'Hi' }, as(account));
      expect(posted.status).toBe(201);
      return get().database.statementsRun() - before;
    };
    await statements(); // the session read once
    expect([await statements(), await statements()]).toEqual([1, 1]);
  });

  it('on the instance that makes it, a revocation applies before its answer', async () => {
    const t = await team(app);
    for (const who of [t.admin, t.member, t.viewer]) {
      expect((await call(app, 'GET', '/api/audits', undefined, as(who))).status).toBe(200);
    }
    // Logout: that session is over at once.
    expect((await call(app, 'POST', '/api/auth/logout', undefined, as(t.viewer))).status).toBe(204);
    expect((await call(app, 'GET', '/api/audits', undefined, as(t.viewer))).status).toBe(401);

    // A role taken away: the next request has the new role.
    const create = () => call(app, 'POST', '/api/audits', { name: 'x', stackData: { tools: [] } }, as(t.member));
    expect((await create()).status).toBe(201);
    expect(
      (await call(app, 'PATCH', `/api/team/members/${t.member.user.id}`, { role: 'viewer' }, as(t.admin))).status,
    ).toBe(200);
    expect((await create()).status).toBe(403);

    // Removed from the organization: no organization's data any more.
    expect((await call(app, 'DELETE', `/api/team/members/${t.member.user.id}`, undefined, as(t.admin))).status).toBe(
      204,
    );
    expect((await call(app, 'GET', '/api/audits', undefined, as(t.member))).status).toBe(401);

    // A new password ends the account's other sessions.
    const other = await call<Account>(app, 'POST', '/api/auth/login', {
      email: t.admin.user.email,
      password: t.admin.password,
    });
    expect((await call(app, 'GET', '/api/audits', undefined, { token: other.body.token })).status).toBe(200);
    expect(
      (
        await call(
          app,
          'PATCH',
          '/api/auth/me',
          { currentPassword: t.admin.password, newPassword: 'a brand new password' },
          as(t.admin),
        )
      ).status,
    ).toBe(200);
    expect((await call(app, 'GET', '/api/audits', undefined, { token: other.body.token })).status).toBe(401);
    expect((await call(app, 'GET', '/api/audits', undefined, as(t.admin))).status).toBe(200);

    // The organization renamed: its sessions carry the new name.
    expect((await call(app, 'PATCH', '/api/organization', { name: 'Renamed Org' }, as(t.admin))).status).toBe(200);
    const me = await call<{ organization: { name: string } }>(app, 'GET', '/api/auth/me', undefined, as(t.admin));
    expect(me.body.organization.name).toBe('Renamed Org');
  });

  it('a change made behind the application (psql) reaches it by NOTIFY, within the bound', async () => {
    const account = await signup(app);
    const other = await signup(app);
    expect((await call(app, 'GET', '/api/audits', undefined, as(account))).status).toBe(200);
    expect((await call(app, 'GET', '/api/auth/me', undefined, as(other))).status).toBe(200);
    const db = get().database.db;
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.tokenHash, hashToken(account.token)));
    const took = await within(
      BOUND_MS,
      async () => (await call(app, 'GET', '/api/audits', undefined, as(account))).status,
      401,
    );
    expect(took).toBeLessThan(BOUND_MS);
    // An organization's row changed (its plan, say) reaches its sessions too.
    await db.update(organizations).set({ name: 'Changed by hand' }).where(eq(organizations.id, other.organization.id));
    await within(
      BOUND_MS,
      async () => {
        const me = await call<{ organization: { name: string } }>(app, 'GET', '/api/auth/me', undefined, as(other));
        return me.body.organization.name === 'Changed by hand' ? 1 : 0;
      },
      1,
    );
  });
});

describe.skipIf(!postgresAvailable())('the session cache on two instances of one PostgreSQL', () => {
  const get = instancesOnOnePostgres(2, (database) => buildTestApp(database, CACHED));

  it('a session revoked on one instance fails on the other within the bound, whatever revoked it', async () => {
    const [one, two] = get().apps as [App, App];
    for (const app of get().apps) await app.ready();
    const t = await team(one);
    const warm = async (who: Account) => {
      for (const app of [one, two])
        expect((await call(app, 'GET', '/api/audits', undefined, as(who))).status).toBe(200);
    };
    const seen: Record<string, number> = {};
    // Logout on one.
    await warm(t.viewer);
    expect((await call(one, 'POST', '/api/auth/logout', undefined, as(t.viewer))).status).toBe(204);
    seen.logout = await within(
      BOUND_MS,
      async () => (await call(two, 'GET', '/api/audits', undefined, as(t.viewer))).status,
      401,
    );
    // A role change on two, seen on one.
    await warm(t.member);
    expect(
      (await call(two, 'PATCH', `/api/team/members/${t.member.user.id}`, { role: 'viewer' }, as(t.admin))).status,
    ).toBe(200);
    seen.role = await within(
      BOUND_MS,
      async () =>
        (await call(one, 'POST', '/api/audits', { name: 'x', stackData: { tools: [] } }, as(t.member))).status,
      403,
    );
    // Removal on one, seen on two.
    expect((await call(one, 'DELETE', `/api/team/members/${t.member.user.id}`, undefined, as(t.admin))).status).toBe(
      204,
    );
    seen.removal = await within(
      BOUND_MS,
      async () => (await call(two, 'GET', '/api/audits', undefined, as(t.member))).status,
      401,
    );
    // A password change on two ends the session used on one.
    const elsewhere = await call<Account>(one, 'POST', '/api/auth/login', {
      email: t.admin.user.email,
      password: t.admin.password,
    });
    await warm({ ...t.admin, token: elsewhere.body.token });
    expect(
      (
        await call(
          two,
          'PATCH',
          '/api/auth/me',
          { currentPassword: t.admin.password, newPassword: 'another new password' },
          as(t.admin),
        )
      ).status,
    ).toBe(200);
    seen.password = await within(
      BOUND_MS,
      async () => (await call(one, 'GET', '/api/audits', undefined, { token: elsewhere.body.token })).status,
      401,
    );
    for (const ms of Object.values(seen)) expect(ms).toBeLessThan(BOUND_MS);
  });

  it('while an instance cannot listen it caches nothing, and it listens again by itself', async () => {
    const [one, two] = get().apps as [App, App];
    const account = await signup(one);
    expect((await call(two, 'GET', '/api/audits', undefined, as(account))).status).toBe(200);
    const shared = get().shared.database;
    const listeners = () =>
      shared.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'stackaudit-listen' AND datname = current_database()",
      );
    expect((await listeners())[0]!.n).toBe(2);
    // Cut every LISTEN connection: a change made now cannot be announced to anyone.
    await shared.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'stackaudit-listen' AND datname = current_database()",
    );
    // The instances see their connection end at once; they try again after 500 ms.
    await new Promise((r) => setTimeout(r, 100));
    await shared.db.execute(
      sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = ${hashToken(account.token)}`,
    );
    // Refused at once: with its listener gone, the instance reads every session.
    expect((await call(two, 'GET', '/api/audits', undefined, as(account))).status).toBe(401);
    await within(10_000, async () => (await listeners())[0]!.n, 2);
  });
});
