/**
 * Integrations over HTTP on both databases, against loopback stand-ins for QuickBooks, Xero
 * and Stripe: OAuth with PKCE and a session-bound state, tokens sealed at rest, durable syncs
 * of the fixture records (again: nothing added), refresh before expiry, invalid_grant →
 * reconnect, retries with backoff, revocation on disconnect, Stripe fees as spend.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { integrationCredentials } from '../../src/db/schema.js';
import type { App } from '../../src/http/app.js';
import { IntegrationSyncWorker } from '../../src/jobs/integration-sync.worker.js';
import { IntegrationService } from '../../src/services/integration.service.js';
import { buildTestApp, testConfig } from '../harness/app.js';
import { silentLogger } from '../harness/config.js';
import { call, signup, team, type Account } from '../harness/client.js';
import type { ErrorBody, IntegrationJson } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import { startFakeProviders, type FakeProviders } from '../harness/fake-providers.js';
import { SPEND_KEY, startFakeStripe, type FakeStripe } from '../harness/stripe.js';

const APP_URL = 'https://app.stackaudit.test';
const ENCRYPTION_KEY = Buffer.alloc(32, 42).toString('base64');

describeEachDatabase('integrations', (get) => {
  let app: App;
  let bare: App;
  let providers: FakeProviders;
  let stripe: FakeStripe;
  let worker: IntegrationSyncWorker;

  beforeAll(async () => {
    providers = await startFakeProviders();
    stripe = await startFakeStripe();
    const env = { ...providers.env, APP_URL, ENCRYPTION_KEY, STRIPE_API_BASE: stripe.url };
    app = await buildTestApp(get().database, env);
    bare = await buildTestApp(get().database, { APP_URL });
    await Promise.all([app.ready(), bare.ready()]);
    const config = testConfig(env);
    worker = new IntegrationSyncWorker(new IntegrationService(get().database, config), config, silentLogger);
  });
  afterAll(async () => {
    await Promise.all([app.close(), bare.close()]);
    await Promise.all([providers.close(), stripe.close()]);
  });

  const as = (who: Account) => ({ token: who.token });
  const list = async (who: Account) =>
    (await call<{ items: IntegrationJson[] }>(app, 'GET', '/api/integrations', undefined, as(who))).body.items;
  const one = async (who: Account, provider: string) => (await list(who)).find((i) => i.provider === provider)!;
  const row = async (who: Account, provider: string) =>
    (
      await get()
        .database.db.select()
        .from(integrationCredentials)
        .where(eq(integrationCredentials.organizationId, who.organization.id))
    ).find((r) => r.provider === provider);
  /** The lines of a source: software (the spend), or those waiting for review. */
  const costs = async (who: Account, source: string, review: 'software' | 'unreviewed' = 'software') =>
    (
      await call<{ items: { toolName: string; amount: number; currency: string; billingPeriodStart: string }[] }>(
        app,
        'GET',
        `/api/tool-costs?source=${source}&review=${review}&limit=100`,
        undefined,
        as(who),
      )
    ).body.items;

  /** The browser's round trip: our consent URL → the provider → back to our callback, with the session cookie. */
  async function connect(who: Account, provider: 'quickbooks' | 'xero', cookie = who.token) {
    const started = await call<{ url: string }>(app, 'POST', `/api/integrations/${provider}/connect`, {}, as(who));
    expect(started.status, started.raw).toBe(200);
    const consent = new URL(started.body.url);
    const atProvider = await fetch(consent, { redirect: 'manual' });
    const back = new URL(atProvider.headers.get('location')!);
    const callback = await call(app, 'GET', `${back.pathname}${back.search}`, undefined, { cookie });
    return { consent, back, callback };
  }

  it('QuickBooks: consent with PKCE and state, tokens sealed, the first sync imports every fixture record, a second adds nothing', async () => {
    const admin = await signup(app);
    const { consent, callback } = await connect(admin, 'quickbooks');
    expect(Object.fromEntries(consent.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client-abc',
      redirect_uri: `${APP_URL}/api/integrations/quickbooks/callback`,
      scope: 'com.intuit.quickbooks.accounting',
      code_challenge_method: 'S256',
    });
    expect(consent.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(consent.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe(`${APP_URL}/settings/integrations?provider=quickbooks&connected=1`);

    // At rest: sealed, not the provider's tokens.
    const stored = (await row(admin, 'quickbooks'))!;
    expect(stored.accessToken).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    expect(stored.refreshToken).toMatch(/^enc:v1:/);
    expect(JSON.stringify(stored)).not.toContain('sample_access_token');
    expect(JSON.stringify(stored)).not.toContain('sample_refresh_token');
    expect(stored.config).toMatchObject({ realmId: '9130354470000000' });
    expect(await one(admin, 'quickbooks')).toMatchObject({ connected: true, status: 'syncing', available: true });

    expect(await worker.drain()).toBeGreaterThanOrEqual(1);
    // The sandbox company's expenses (rent, a lawn service…) are no software the catalog knows:
    // all ten wait for review instead of counting as tool costs.
    expect(await costs(admin, 'quickbooks')).toEqual([]);
    const lines = await costs(admin, 'quickbooks', 'unreviewed');
    expect(lines).toHaveLength(10);
    expect(lines.map((l) => [l.toolName, l.amount, l.billingPeriodStart])).toContainEqual([
      'Hall Properties',
      900,
      '2023-02-02',
    ]);
    const view = await one(admin, 'quickbooks');
    expect(view).toMatchObject({
      status: 'connected',
      error: null,
      lastSync: { imported: 10, duplicates: 0, skipped: 0 },
    });
    expect(view.lastSyncAt).not.toBeNull();
    // What the API answers never holds a token.
    const raw = (await call(app, 'GET', '/api/integrations', undefined, as(admin))).raw;
    expect(raw).not.toMatch(/enc:v1|sample_|access_token|refresh_token/);

    const again = await call<{ integration: IntegrationJson }>(
      app,
      'POST',
      '/api/integrations/quickbooks/sync',
      undefined,
      as(admin),
    );
    expect([again.status, again.body.integration.status]).toEqual([202, 'syncing']);
    await worker.drain();
    expect(await costs(admin, 'quickbooks', 'unreviewed')).toHaveLength(10);
    expect((await one(admin, 'quickbooks')).lastSync).toEqual({ imported: 0, duplicates: 10, skipped: 0 });

    // Connections sync by themselves once a day (which also keeps their tokens alive).
    const config = testConfig({ ...providers.env, APP_URL, ENCRYPTION_KEY });
    const service = new IntegrationService(get().database, config);
    expect(await service.queueDailySyncs()).toBe(0); // synced a moment ago
    await get()
      .database.db.update(integrationCredentials)
      .set({ lastSyncAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(integrationCredentials.organizationId, admin.organization.id));
    expect(await service.queueDailySyncs()).toBeGreaterThanOrEqual(1);
    expect((await row(admin, 'quickbooks'))!.syncStatus).toBe('queued');
    await worker.drain();
    expect((await row(admin, 'quickbooks'))!.syncStatus).toBe('idle');
  });

  it('refresh before expiry; invalid_grant marks the connection for reconnecting; disconnect revokes and keeps the costs', async () => {
    const admin = await signup(app);
    await connect(admin, 'quickbooks');
    await worker.drain();
    const db = get().database.db;
    const first = (await row(admin, 'quickbooks'))!;
    // The access token is about to expire: the next sync refreshes it first, and keeps the new refresh token.
    await db
      .update(integrationCredentials)
      .set({ tokenExpiresAt: new Date(Date.now() + 30_000) })
      .where(eq(integrationCredentials.id, first.id));
    await call(app, 'POST', '/api/integrations/quickbooks/sync', undefined, as(admin));
    await worker.drain();
    const refreshed = (await row(admin, 'quickbooks'))!;
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    expect(refreshed.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(providers.requests.some((r) => r.path === '/qb/token' && r.body.includes('grant_type=refresh_token'))).toBe(
      true,
    );
    expect((await one(admin, 'quickbooks')).status).toBe('connected');

    // The refresh token is revoked at the provider and the access token dies: invalid_grant.
    providers.revokedRefreshTokens.add('L311478109728uVoOkDSUCl4s8FDRvjHR6kUKz0RHe3WtZQuBq');
    await db
      .update(integrationCredentials)
      .set({ tokenExpiresAt: new Date(0) })
      .where(eq(integrationCredentials.id, first.id));
    await call(app, 'POST', '/api/integrations/quickbooks/sync', undefined, as(admin));
    await worker.drain();
    const dead = await one(admin, 'quickbooks');
    expect(dead).toMatchObject({ connected: false, status: 'needs_reconnect' });
    expect(dead.error).toContain('invalid_grant');
    const refused = await call<ErrorBody>(app, 'POST', '/api/integrations/quickbooks/sync', undefined, as(admin));
    expect([refused.status, refused.body.error.code]).toEqual([409, 'needs_reconnect']);

    // Connecting again brings it back.
    await connect(admin, 'quickbooks');
    expect((await one(admin, 'quickbooks')).status).toBe('syncing');
    await worker.drain();
    const before = providers.requests.filter((r) => r.path === '/qb/revoke').length;
    const gone = await call(app, 'DELETE', '/api/integrations/quickbooks', undefined, as(admin));
    expect(gone.status).toBe(204);
    const revocations = providers.requests.filter((r) => r.path === '/qb/revoke');
    expect(revocations).toHaveLength(before + 1);
    expect(JSON.parse(revocations.at(-1)!.body)).toEqual({ token: 'sample_refresh_token' });
    expect(await row(admin, 'quickbooks')).toBeUndefined();
    expect(await one(admin, 'quickbooks')).toMatchObject({ connected: false, status: 'not_connected' });
    expect(await costs(admin, 'quickbooks', 'unreviewed')).toHaveLength(10);
    expect((await call(app, 'DELETE', '/api/integrations/quickbooks', undefined, as(admin))).status).toBe(404);
  });

  it('Xero: the organisation from /connections, SPEND transactions, live bills and supplier credit notes imported, the rest skipped', async () => {
    const admin = await signup(app);
    const { callback } = await connect(admin, 'xero');
    expect(callback.headers.location).toBe(`${APP_URL}/settings/integrations?provider=xero&connected=1`);
    expect((await row(admin, 'xero'))!.config).toMatchObject({
      tenantId: 'fe79f7dd-b6d4-4a92-ba7b-538af6289c58',
      tenantName: 'Demo Company (NZ)',
    });
    await worker.drain();
    const row_ = (l: { toolName: string; amount: number; currency: string; billingPeriodStart: string }) => [
      l.toolName,
      l.amount,
      l.currency,
      l.billingPeriodStart,
    ];
    // Slack's credit note (from /CreditNotes) is software, a refund; the documented sales credit
    // note and the draft are skipped. The other payees wait for review.
    expect((await costs(admin, 'xero')).map(row_)).toEqual([['Slack', -25, 'USD', '2019-01-05']]);
    expect((await costs(admin, 'xero', 'unreviewed')).map(row_).sort()).toEqual([
      ['Katherine Warren', 20, 'USD', '2019-02-26'],
      ['PowerDirect', 90, 'NZD', '2009-05-27'],
    ]);
    expect((await one(admin, 'xero')).lastSync).toEqual({ imported: 3, duplicates: 0, skipped: 6 });
    const creditNotes = providers.requests.find((r) => r.path === '/xero/api.xro/2.0/CreditNotes');
    expect(decodeURIComponent(creditNotes?.query ?? '')).toContain('Type=="ACCPAYCREDIT"');

    // Disconnecting revokes the refresh token at Xero (a form post, as Xero documents it).
    const stored = (await row(admin, 'xero'))!;
    expect((await call(app, 'DELETE', '/api/integrations/xero', undefined, as(admin))).status).toBe(204);
    const revocation = providers.requests.filter((r) => r.path === '/xero/revoke').at(-1)!;
    const revoked = new URLSearchParams(revocation.body).get('token')!;
    expect(revoked).toMatch(/^xero-refresh-\d+$/);
    expect(stored.refreshToken).not.toContain(revoked); // it was stored sealed
    expect(providers.revokedRefreshTokens.has(revoked)).toBe(true);
  });

  it('the state: another session, a replayed or unknown state, or a refusal at the provider stores nothing', async () => {
    const admin = await signup(app);
    const otherSession = await call<{ token: string }>(app, 'POST', '/api/auth/login', {
      email: admin.user.email,
      password: admin.password,
    });
    const wrong = await connect(admin, 'xero', otherSession.body.token);
    expect(wrong.callback.headers.location).toContain('error=session_mismatch');
    // The state was used up by that attempt: replaying it with the right session fails too.
    const replay = await call(app, 'GET', `${wrong.back.pathname}${wrong.back.search}`, undefined, {
      cookie: admin.token,
    });
    expect(replay.headers.location).toContain('error=expired_or_unknown_state');
    const unknown = await call(app, 'GET', '/api/integrations/xero/callback?code=x&state=nope', undefined, {
      cookie: admin.token,
    });
    expect(unknown.headers.location).toContain('error=expired_or_unknown_state');
    const started = await call<{ url: string }>(app, 'POST', '/api/integrations/xero/connect', {}, as(admin));
    const state = new URL(started.body.url).searchParams.get('state')!;
    const denied = await call(
      app,
      'GET',
      `/api/integrations/xero/callback?error=access_denied&state=${state}`,
      undefined,
      {
        cookie: admin.token,
      },
    );
    expect(denied.headers.location).toContain('error=access_denied');
    expect(await row(admin, 'xero')).toBeUndefined();
    expect((await call(app, 'GET', '/api/integrations/sage/callback?state=x')).status).toBe(404);
  });

  it('a failing sync records why and retries later; admins only; another organization sees nothing', async () => {
    const t = await team(app);
    await connect(t.admin, 'quickbooks');
    providers.failApiWith = 500;
    try {
      await worker.drain();
    } finally {
      providers.failApiWith = 0;
    }
    const stored = (await row(t.admin, 'quickbooks'))!;
    expect(stored).toMatchObject({ syncStatus: 'queued', syncAttempts: 1 });
    expect(stored.nextSyncAt!.getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(stored.lastError).toContain('HTTP 500');
    const failing = await one(t.admin, 'quickbooks');
    expect(failing.status).toBe('syncing');
    expect(failing.error).toContain('HTTP 500');
    // Not due yet: a drain now runs nothing for it.
    await worker.drain();
    expect((await row(t.admin, 'quickbooks'))!.syncAttempts).toBe(1);

    for (const who of [t.member, t.viewer]) {
      expect((await call(app, 'GET', '/api/integrations', undefined, as(who))).status).toBe(403);
      expect((await call(app, 'POST', '/api/integrations/quickbooks/connect', {}, as(who))).status).toBe(403);
      expect((await call(app, 'POST', '/api/integrations/quickbooks/sync', undefined, as(who))).status).toBe(403);
      expect((await call(app, 'DELETE', '/api/integrations/quickbooks', undefined, as(who))).status).toBe(403);
    }
    const outsider = await signup(app);
    expect(await one(outsider, 'quickbooks')).toMatchObject({ status: 'not_connected' });
    expect((await call(app, 'POST', '/api/integrations/quickbooks/sync', undefined, as(outsider))).status).toBe(404);
    expect((await call(app, 'POST', '/api/integrations/sage/connect', {}, as(outsider))).status).toBe(404);
  });

  it('Stripe as a spend source: a restricted key checked with Stripe, each fee a cost of the tool Stripe', async () => {
    const admin = await signup(app);
    const bad = await call<ErrorBody>(
      app,
      'POST',
      '/api/integrations/stripe/connect',
      { apiKey: 'rk_test_wrongkey99' },
      as(admin),
    );
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    expect(
      (await call(app, 'POST', '/api/integrations/stripe/connect', { apiKey: 'pk_live_x' }, as(admin))).status,
    ).toBe(400);
    const ok = await call<{ integration: IntegrationJson }>(
      app,
      'POST',
      '/api/integrations/stripe/connect',
      { apiKey: SPEND_KEY },
      as(admin),
    );
    expect(ok.status, ok.raw).toBe(201);
    expect(ok.body.integration).toMatchObject({ provider: 'stripe', connected: true, status: 'syncing' });
    expect((await row(admin, 'stripe'))!.accessToken).not.toContain(SPEND_KEY);
    await worker.drain();
    expect(
      (await costs(admin, 'stripe')).map((l) => [l.toolName, l.amount, l.currency, l.billingPeriodStart]).sort(),
    ).toEqual([
      ['Stripe', 180, 'JPY', '2026-02-01'],
      ['Stripe', 3.2, 'USD', '2026-01-01'],
    ]);
    expect((await one(admin, 'stripe')).lastSync).toEqual({ imported: 2, duplicates: 0, skipped: 1 });
  });

  it('without ENCRYPTION_KEY and provider settings, integrations say so: 503, never stored in clear', async () => {
    const admin = await signup(bare);
    const items = (await call<{ items: IntegrationJson[] }>(bare, 'GET', '/api/integrations', undefined, as(admin)))
      .body.items;
    expect(items.map((i) => [i.provider, i.available, i.status])).toEqual([
      ['quickbooks', false, 'not_connected'],
      ['xero', false, 'not_connected'],
      ['stripe', false, 'not_connected'],
      ['google', false, 'not_connected'],
      ['microsoft', false, 'not_connected'],
      ['okta', false, 'not_connected'],
    ]);
    const qb = await call<ErrorBody>(bare, 'POST', '/api/integrations/quickbooks/connect', {}, as(admin));
    expect([qb.status, qb.body.error.code]).toEqual([503, 'integration_unavailable']);
    const key = await call<ErrorBody>(
      bare,
      'POST',
      '/api/integrations/stripe/connect',
      { apiKey: SPEND_KEY },
      as(admin),
    );
    expect(key.status).toBe(503);
  });
});
