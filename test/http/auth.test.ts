import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { hashToken } from '../../src/domain/tokens.js';
import type { App } from '../../src/http/app.js';
import { SessionRepository } from '../../src/repositories/session.repository.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { buildTestApp } from '../harness/app.js';
import { call, signup, uniqueEmail, type Account } from '../harness/client.js';
import type { ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import { emailsTo } from '../harness/emails.js';

describeEachDatabase('auth and account', (get) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp(get().database);
    await app.ready();
  });
  afterAll(() => app.close());

  const usersNamed = async (email: string) =>
    (await new UserRepository(get().database.db).findByEmailAcrossOrganizations(email)) ? 1 : 0;

  it('signup creates an organization with the user as admin on the free plan, and a session', async () => {
    const email = uniqueEmail('ada');
    const answer = await call<Account & { organization: Record<string, unknown> }>(app, 'POST', '/api/auth/signup', {
      email,
      password: 'correct horse',
      name: 'Ada Lovelace',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.user).toMatchObject({ email, role: 'admin', plan: 'free', name: 'Ada Lovelace' });
    expect(answer.body.user).not.toHaveProperty('passwordHash');
    expect(answer.body.organization).toMatchObject({
      name: "Ada Lovelace's organization",
      plan: 'free',
      limits: { auditsPerMonth: 10, members: 5 },
      usage: { auditsThisMonth: 0, members: 1 },
    });
    expect(answer.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = String(answer.headers['set-cookie']);
    expect(cookie).toContain(`sa_session=${answer.body.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // only in production

    // Only the token's SHA-256 is stored.
    const stored = await new SessionRepository(get().database.db).findLiveByTokenHashAcrossOrganizations(
      hashToken(answer.body.token),
    );
    expect(stored?.user.id).toBe(answer.body.user.id);

    for (const options of [{ token: answer.body.token }, { cookie: answer.body.token }]) {
      const me = await call<{ user: { email: string } }>(app, 'GET', '/api/auth/me', undefined, options);
      expect(me.status).toBe(200);
      expect(me.body.user.email).toBe(email);
    }
  });

  it('signup with organizationName names the organization; a taken email is 409', async () => {
    const account = await signup(app, { organizationName: 'Acme Corp' });
    expect(account.organization.name).toBe('Acme Corp');
    const again = await call<ErrorBody>(app, 'POST', '/api/auth/signup', {
      email: account.user.email.toUpperCase(),
      password: 'another password',
      name: 'Someone',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it.each([
    ['a bad email', { email: 'not-an-email', password: 'long enough pass', name: 'A' }, 'body.email'],
    ['a short password', { password: 'short77', name: 'A' }, 'body.password'],
    ['a missing name', { password: 'long enough pass' }, 'body.name'],
    ['a blank name', { password: 'long enough pass', name: '   ' }, 'body.name'],
    ['a wrong type', { password: 12345678, name: 'A' }, 'body.password'],
    ['an unknown field', { password: 'long enough pass', name: 'A', role: 'admin' }, 'body.role'],
  ])('signup with %s is a 400 naming the field, and writes nothing', async (_what, body, field) => {
    const email = uniqueEmail('bad');
    const answer = await call<ErrorBody>(app, 'POST', '/api/auth/signup', { email, ...body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
    expect(answer.body.error.details?.map((d) => d.field)).toContain(field);
    expect(await usersNamed(email)).toBe(0);
  });

  it('malformed JSON and oversized bodies are refused on signup, writing nothing', async () => {
    const malformed = await call<ErrorBody>(app, 'POST', '/api/auth/signup', undefined, {
      raw: { payload: '{"email":', contentType: 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const email = uniqueEmail('big');
    const big = await call<ErrorBody>(app, 'POST', '/api/auth/signup', {
      email,
      password: 'x'.repeat(1024 * 1024),
      name: 'Big',
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect(await usersNamed(email)).toBe(0);
  });

  it('login: right password 200; wrong password and unknown email the same 401', async () => {
    const account = await signup(app);
    const ok = await call<Account>(app, 'POST', '/api/auth/login', {
      email: account.user.email,
      password: account.password,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.token).not.toBe(account.token);
    const wrong = await call<ErrorBody>(app, 'POST', '/api/auth/login', {
      email: account.user.email,
      password: 'nope nope',
    });
    const unknown = await call<ErrorBody>(app, 'POST', '/api/auth/login', {
      email: uniqueEmail('ghost'),
      password: 'nope nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('unauthenticated');
  });

  it('a legacy bcrypt user (the seed plan) logs in with a short password and is re-hashed to argon2id', async () => {
    const { seedDemoData } = await import('../../src/cli/seed.js');
    await seedDemoData(get().database);
    const users = new UserRepository(get().database.db);
    expect((await users.findByIdAcrossOrganizations('user_demo_123'))?.passwordHash).toMatch(/^\$2a\$10\$/);
    const answer = await call<Account>(app, 'POST', '/api/auth/login', {
      email: 'demo@stackaudit.ai',
      password: 'demo123',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.user).toMatchObject({ id: 'user_demo_123', role: 'admin', plan: 'pro' });
    const after = await users.findByIdAcrossOrganizations('user_demo_123');
    expect(after?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(after?.lastLoginAt).toBeInstanceOf(Date);
    const again = await call(app, 'POST', '/api/auth/login', { email: 'demo@stackaudit.ai', password: 'demo123' });
    expect(again.status).toBe(200);
  });

  it('logging in over a stale session cookie answers one session cookie: the new session', async () => {
    const account = await signup(app);
    const answer = await call<Account>(
      app,
      'POST',
      '/api/auth/login',
      { email: account.user.email, password: account.password },
      { cookie: 'x'.repeat(43) },
    );
    expect(answer.status).toBe(200);
    // The stale cookie is cleared by the session hook, then the login sets the new one: only
    // the last is sent (two would leave the browser to decide by their order).
    const cookies = [answer.headers['set-cookie'] ?? []].flat().map(String);
    expect(cookies.filter((cookie) => cookie.startsWith('sa_session='))).toEqual([
      expect.stringMatching(new RegExp(`^sa_session=${answer.body.token}; `)),
    ]);
    expect((await call(app, 'GET', '/api/auth/me', undefined, { cookie: answer.body.token })).status).toBe(200);
  });

  it('any Cookie header: the session is found among other cookies, anything else is a 401, never a 5xx', async () => {
    const account = await signup(app);
    const other = fc
      .tuple(fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/), fc.stringMatching(/^[A-Za-z0-9%._~+/=-]{0,20}$/))
      .filter(([name]) => name !== 'sa_session')
      .map(([name, value]) => `${name}=${value}`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(other, { maxLength: 5 }),
        fc.nat(5),
        fc.constantFrom('valid', 'stale', 'none', 'raw'),
        fc.string({ maxLength: 60 }),
        async (others, at, session, raw) => {
          const cookies = [...others];
          if (session === 'valid') cookies.splice(at, 0, `sa_session=${account.token}`);
          if (session === 'stale') cookies.splice(at, 0, `sa_session=${'x'.repeat(43)}`);
          const header = session === 'raw' ? raw : cookies.join('; ');
          const answer = await app.inject({ url: '/api/auth/me', headers: header ? { cookie: header } : {} });
          expect(answer.statusCode).toBe(session === 'valid' ? 200 : 401);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('logout revokes the session and clears the cookie', async () => {
    const account = await signup(app);
    const out = await call(app, 'POST', '/api/auth/logout', undefined, { token: account.token });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('sa_session=;');
    expect((await call(app, 'GET', '/api/auth/me', undefined, { token: account.token })).status).toBe(401);
    expect((await call(app, 'POST', '/api/auth/logout', undefined, { token: account.token })).status).toBe(401);
  });

  it('anonymous and bad tokens are 401', async () => {
    expect((await call(app, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await call(app, 'GET', '/api/auth/me', undefined, { token: 'x'.repeat(43) })).status).toBe(401);
    expect((await call(app, 'GET', '/api/auth/me', undefined, { cookie: 'garbage' })).status).toBe(401);
  });

  it('PATCH /me changes name and email (the email with the current password); an email in use is 409', async () => {
    const a = await signup(app);
    const b = await signup(app);
    const email = uniqueEmail('renamed');
    const patch = (body: Record<string, unknown>) =>
      call<ErrorBody & { user: { name: string; email: string } }>(app, 'PATCH', '/api/auth/me', body, {
        token: a.token,
      });
    expect((await patch({ name: 'Grace' })).body.user.name).toBe('Grace');
    // A stolen session alone cannot move the account to another mailbox.
    const withoutPassword = await patch({ email });
    expect(withoutPassword.status).toBe(400);
    expect(withoutPassword.body.error.details?.[0]?.field).toBe('body.currentPassword');
    const wrongPassword = await patch({ email, currentPassword: 'not the password' });
    expect(wrongPassword.status).toBe(400);
    const changed = await patch({ name: 'Grace Hopper', email: email.toUpperCase(), currentPassword: a.password });
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ name: 'Grace Hopper', email });
    // The old address is told, in case it was not its owner.
    const [told] = await emailsTo(get().database.db, a.user.email, 'email_changed');
    expect(told?.textBody).toContain(`from ${a.user.email} to ${email}`);
    const taken = await patch({ email: b.user.email, currentPassword: a.password });
    expect(taken.status).toBe(409);
  });

  it('a new password needs the current one, is at least 12 characters, ends the other sessions and is announced by email', async () => {
    const account = await signup(app);
    const other = await call<Account>(app, 'POST', '/api/auth/login', {
      email: account.user.email,
      password: account.password,
    });
    const noCurrent = await call<ErrorBody>(
      app,
      'PATCH',
      '/api/auth/me',
      { newPassword: 'brand new pass' },
      { token: account.token },
    );
    expect(noCurrent.status).toBe(400);
    expect(noCurrent.body.error.details?.[0]?.field).toBe('body.currentPassword');
    const wrongCurrent = await call(
      app,
      'PATCH',
      '/api/auth/me',
      { currentPassword: 'not it at all', newPassword: 'brand new pass' },
      { token: account.token },
    );
    expect(wrongCurrent.status).toBe(400);
    const short = await call(
      app,
      'PATCH',
      '/api/auth/me',
      { currentPassword: account.password, newPassword: 'short' },
      { token: account.token },
    );
    expect(short.status).toBe(400);

    const ok = await call(
      app,
      'PATCH',
      '/api/auth/me',
      { currentPassword: account.password, newPassword: 'brand new pass' },
      { token: account.token },
    );
    expect(ok.status).toBe(200);
    expect((await call(app, 'GET', '/api/auth/me', undefined, { token: account.token })).status).toBe(200);
    expect((await call(app, 'GET', '/api/auth/me', undefined, { token: other.body.token })).status).toBe(401);
    const relogin = await call(app, 'POST', '/api/auth/login', {
      email: account.user.email,
      password: 'brand new pass',
    });
    expect(relogin.status).toBe(200);
    const [told] = await emailsTo(get().database.db, account.user.email, 'password_changed');
    expect(told?.subject).toBe('Your StackAudit password was changed');
  });

  it('CSRF: a cookie request that changes state needs the right Origin; Bearer requests do not', async () => {
    const account = await signup(app);
    const body = { name: 'Via Cookie' };
    const noOrigin = await call<ErrorBody>(app, 'PATCH', '/api/auth/me', body, { cookie: account.token });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.error.code).toBe('forbidden');
    const foreign = await call(app, 'PATCH', '/api/auth/me', body, {
      cookie: account.token,
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    // Without APP_URL, the server's own origin (Origin equal to Host) is allowed; inject's Host is localhost:80.
    const same = await call(app, 'PATCH', '/api/auth/me', body, {
      cookie: account.token,
      origin: 'http://localhost:80',
    });
    expect(same.status).toBe(200);
    const bearer = await call(app, 'PATCH', '/api/auth/me', { name: 'Via Bearer' }, { token: account.token });
    expect(bearer.status).toBe(200);
    // Reading with a cookie needs no Origin.
    expect((await call(app, 'GET', '/api/auth/me', undefined, { cookie: account.token })).status).toBe(200);
  });

  it('CSRF with APP_URL: only that origin', async () => {
    const strict = await buildTestApp(get().database, { APP_URL: 'https://app.stackaudit.test' });
    try {
      const account = await signup(strict);
      const host = await call(
        strict,
        'PATCH',
        '/api/auth/me',
        { name: 'x' },
        { cookie: account.token, origin: 'http://localhost:80' },
      );
      expect(host.status).toBe(403);
      const app2 = await call(
        strict,
        'PATCH',
        '/api/auth/me',
        { name: 'x' },
        { cookie: account.token, origin: 'https://app.stackaudit.test' },
      );
      expect(app2.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describeEachDatabase('rate limits', (get) => {
  it('10 failed logins per account, then 429 with Retry-After, even with the right password', async () => {
    const app = await buildTestApp(get().database);
    try {
      const account = await signup(app);
      for (let i = 0; i < 10; i++) {
        expect(
          (await call(app, 'POST', '/api/auth/login', { email: account.user.email, password: `wrong ${i}` })).status,
        ).toBe(401);
      }
      const blocked = await call<ErrorBody>(app, 'POST', '/api/auth/login', {
        email: account.user.email,
        password: account.password,
      });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('rate_limited');
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);
    } finally {
      await app.close();
    }
  });

  it('signups per IP and invite acceptances per IP, the IP read through the trusted proxy', async () => {
    const app = await buildTestApp(get().database, {
      RATE_LIMIT_SIGNUP_PER_IP: '2',
      RATE_LIMIT_INVITE_ACCEPT_PER_IP: '2',
      TRUST_PROXY_HOPS: '1',
    });
    try {
      const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
      const signups = [];
      for (let i = 0; i < 3; i++) {
        const body = { email: uniqueEmail('rl'), password: 'long enough pass', name: 'R' };
        signups.push((await call(app, 'POST', '/api/auth/signup', body, from('203.0.113.9'))).status);
      }
      expect(signups).toEqual([201, 201, 429]);
      // Another client is not held back by the first one's attempts.
      const body = { email: uniqueEmail('rl'), password: 'long enough pass', name: 'R' };
      expect((await call(app, 'POST', '/api/auth/signup', body, from('203.0.113.10'))).status).toBe(201);

      const token = 'A'.repeat(43);
      const accepts = [];
      for (let i = 0; i < 3; i++)
        accepts.push((await call(app, 'POST', `/api/invites/${token}/accept`, {}, from('198.51.100.7'))).status);
      expect(accepts).toEqual([404, 404, 429]);
    } finally {
      await app.close();
    }
  });
});
