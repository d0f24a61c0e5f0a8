/**
 * Sessions and the client's address, on both databases (#14 point 9): an expired session is
 * refused however it is sent, the session cookie is Secure in production (and only there),
 * and with TRUST_PROXY_HOPS=0 a forged X-Forwarded-For changes neither the rate limit
 * counted nor the address a session records.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { sessions } from '../../src/db/schema.js';
import { hashToken } from '../../src/domain/tokens.js';
import type { App } from '../../src/http/app.js';
import { SessionRepository } from '../../src/repositories/session.repository.js';
import { buildTestApp } from '../harness/app.js';
import { call, signup, uniqueEmail, type Answer } from '../harness/client.js';
import type { ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

const APP_URL = 'https://app.stackaudit.test';

/** The attributes of the sa_session Set-Cookie of an answer (`['sa_session=…', 'Path=/', 'HttpOnly', …]`). */
function sessionCookie(answer: Pick<Answer, 'headers'>): string[] {
  const headers = [answer.headers['set-cookie'] ?? []].flat().map(String);
  const cookie = headers.find((h) => h.startsWith('sa_session='));
  if (!cookie) throw new Error(`no sa_session cookie in ${JSON.stringify(headers)}`);
  return cookie.split(';').map((part) => part.trim());
}

describeEachDatabase('session security', (get) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp(get().database);
    await app.ready();
  });
  afterAll(() => app.close());

  const session = (token: string) =>
    new SessionRepository(get().database.db).findLiveByTokenHashAcrossOrganizations(hashToken(token));

  it('an expired session is refused by cookie and by bearer, the cookie is cleared, and the session stays expired', async () => {
    const account = await signup(app);
    expect((await call(app, 'GET', '/api/auth/me', undefined, { token: account.token })).status).toBe(200);

    const expired = new Date(Date.now() - 1000);
    const db = get().database.db;
    await db
      .update(sessions)
      .set({ expiresAt: expired })
      .where(eq(sessions.tokenHash, hashToken(account.token)));

    const bearer = await call<ErrorBody>(app, 'GET', '/api/auth/me', undefined, { token: account.token });
    expect([bearer.status, bearer.body.error?.code]).toEqual([401, 'unauthenticated']);
    const cookie = await call<ErrorBody>(app, 'GET', '/api/auth/me', undefined, { cookie: account.token });
    expect([cookie.status, cookie.body.error?.code]).toEqual([401, 'unauthenticated']);
    // The browser is told to drop the cookie: empty, and expired.
    const cleared = sessionCookie(cookie);
    expect(cleared[0]).toBe('sa_session=');
    const expires = cleared.find((a) => a.startsWith('Expires='));
    expect(new Date(expires!.slice('Expires='.length)).getTime()).toBeLessThan(Date.now());
    // A state-changing request with it is refused as well (not let through, not renewed).
    expect(
      (await call(app, 'POST', '/api/audits', { name: 'x', stackData: { tools: [] } }, { token: account.token }))
        .status,
    ).toBe(401);

    // Refusing it did not slide the expiry forward: the row is as it was.
    const [row] = await db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(account.token)));
    expect(row?.expiresAt.getTime()).toBe(expired.getTime());
    expect(await session(account.token)).toBeNull();
  });

  it('the session cookie is Secure, HttpOnly and SameSite=Lax in production, on signup and on login', async () => {
    const production = await buildTestApp(get().database, {
      NODE_ENV: 'production',
      APP_URL,
      METRICS_TOKEN: 'metrics-token-for-the-production-test',
    });
    try {
      const signedUp = await call(production, 'POST', '/api/auth/signup', {
        email: uniqueEmail('prod'),
        password: 'correct horse battery',
        name: 'Prod User',
      });
      expect(signedUp.status).toBe(201);
      const loggedIn = await call(production, 'POST', '/api/auth/login', {
        email: (signedUp.body as { user: { email: string } }).user.email,
        password: 'correct horse battery',
      });
      expect(loggedIn.status).toBe(200);
      for (const answer of [signedUp, loggedIn]) {
        expect(sessionCookie(answer)).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']));
      }
      // Logging out clears it with the same attributes (a browser only replaces a Secure cookie with a Secure one).
      const out = await call(production, 'POST', '/api/auth/logout', undefined, {
        cookie: (loggedIn.body as { token: string }).token,
        origin: APP_URL,
      });
      expect(out.status).toBe(204);
      expect(sessionCookie(out)).toEqual(expect.arrayContaining(['sa_session=', 'Secure', 'HttpOnly']));
    } finally {
      await production.close();
    }
  });

  it('outside production the cookie is not Secure (http://localhost), still HttpOnly and SameSite=Lax', async () => {
    const development = await buildTestApp(get().database, { NODE_ENV: 'development' });
    try {
      for (const server of [app, development]) {
        const account = await signup(server);
        const login = await call(server, 'POST', '/api/auth/login', {
          email: account.user.email,
          password: account.password,
        });
        const attributes = sessionCookie(login);
        expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax']));
        expect(attributes).not.toContain('Secure');
      }
    } finally {
      await development.close();
    }
  });

  it('with TRUST_PROXY_HOPS=0 (the default) a forged X-Forwarded-For is ignored: one rate-limit counter per socket, its address on the session', async () => {
    const forged = ['203.0.113.1', '198.51.100.2, 10.0.0.1', '2001:db8::3'];
    for (const [n, env] of ([{}, { TRUST_PROXY_HOPS: '0' }] as Record<string, string>[]).entries()) {
      const limited = await buildTestApp(get().database, { RATE_LIMIT_SIGNUP_PER_IP: '2', ...env });
      // app.inject's socket address, one per round (the counters live in the database).
      const socket = `192.0.2.${10 + n}`;
      const post = async (url: string, body: unknown, forwardedFor: string, remoteAddress = socket) => {
        const response = await limited.inject({
          method: 'POST',
          url,
          remoteAddress,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          payload: JSON.stringify(body),
        });
        return {
          status: response.statusCode,
          body: response.json<{ token: string } & ErrorBody>(),
          headers: response.headers,
        };
      };
      const signupBody = () => ({ email: uniqueEmail('xff'), password: 'correct horse battery', name: 'Forger' });
      try {
        const answers = [];
        for (const forwardedFor of forged) answers.push(await post('/api/auth/signup', signupBody(), forwardedFor));
        expect(
          answers.map((a) => a.status),
          `round ${n}`,
        ).toEqual([201, 201, 429]);
        expect(answers[2]!.body.error?.code).toBe('rate_limited');
        expect(answers[2]!.headers['retry-after']).toMatch(/^\d+$/);
        // The limit is per address, not global: another socket still signs up (whatever it forwards).
        expect((await post('/api/auth/signup', signupBody(), forged[0]!, `192.0.2.${20 + n}`)).status).toBe(201);

        // The sessions record the socket's address, not the header's: on signup, and on login.
        for (const answer of answers.slice(0, 2)) expect((await session(answer.body.token))?.session.ip).toBe(socket);
        const account = await signup(app);
        const login = await post(
          '/api/auth/login',
          { email: account.user.email, password: account.password },
          forged[1]!,
        );
        expect(login.status).toBe(200);
        expect((await session(login.body.token))?.session.ip).toBe(socket);

        // No counter was ever keyed by a forged address.
        const keys = await get().database.query<{ key: string }>('SELECT key FROM rate_limit_counters');
        expect(keys.filter((k) => forged.some((f) => k.key.includes(f.split(',')[0]!)))).toEqual([]);
      } finally {
        await limited.close();
      }
    }
  });
});
