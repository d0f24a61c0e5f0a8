/**
 * Usage from the identity providers over HTTP on both databases (#17 point 1), against a
 * loopback stand-in that speaks Google's Admin SDK, Microsoft Graph and Okta's management API
 * (test/harness/fake-idp.ts): connecting (OAuth with PKCE, or Okta's API token checked), a
 * sync that pages, waits out each provider's rate limit and refreshes a refused token, counts
 * seats and people active in 30 / 90 days per app and matches apps to catalog tools; apps no
 * audit lists are discovered; the analysis uses measured usage and says so; a revoked grant
 * asks to reconnect; disconnecting revokes; without configuration, "not configured" and what
 * to set.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { integrationCredentials } from '../../src/db/schema.js';
import type { App } from '../../src/http/app.js';
import type { AppUsageJson } from '../../src/http/routes/integrations/contract.js';
import { IntegrationSyncWorker } from '../../src/jobs/integration-sync.worker.js';
import { IntegrationService } from '../../src/services/integration.service.js';
import { buildAppWithWorker, buildTestApp, testConfig } from '../harness/app.js';
import { analysedAudit, call, signup, team, type Account } from '../harness/client.js';
import { silentLogger } from '../harness/config.js';
import type { ErrorBody, IntegrationJson } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import { OKTA_TOKEN, startFakeIdp, type FakeIdp } from '../harness/fake-idp.js';

const APP_URL = 'https://app.stackaudit.test';
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

describeEachDatabase('usage from identity providers', (get) => {
  let app: App;
  let bare: App;
  let idp: FakeIdp;
  let worker: IntegrationSyncWorker;

  beforeAll(async () => {
    idp = await startFakeIdp();
    const env = { ...idp.env, APP_URL, ENCRYPTION_KEY, ANALYSIS_POLL_MS: '100', OKTA_ALLOW_LOOPBACK: 'true' };
    ({ app } = await buildAppWithWorker(get().database, env));
    bare = await buildTestApp(get().database, { APP_URL });
    await Promise.all([app.ready(), bare.ready()]);
    const config = testConfig(env);
    worker = new IntegrationSyncWorker(new IntegrationService(get().database, config), config, silentLogger);
  });
  afterAll(async () => {
    await Promise.all([app.close(), bare.close()]);
    await idp.close();
  });

  const as = (who: Account) => ({ token: who.token });
  const integration = async (who: Account, provider: string, on = app) =>
    (await call<{ items: IntegrationJson[] }>(on, 'GET', '/api/integrations', undefined, as(who))).body.items.find(
      (i) => i.provider === provider,
    )!;
  const usage = async (who: Account) => {
    const answer = await call<{ items: AppUsageJson[] }>(app, 'GET', '/api/usage', undefined, as(who));
    expect(answer.status, answer.raw).toBe(200);
    return answer.body.items;
  };
  const counts = (items: AppUsageJson[], provider: string) =>
    Object.fromEntries(
      items
        .filter((u) => u.provider === provider)
        .map((u) => [u.appName, [u.toolName, u.purchased, u.assigned, u.active30, u.active90, u.discovered]]),
    );

  async function connectOAuth(who: Account, provider: 'google' | 'microsoft') {
    const started = await call<{ url: string }>(app, 'POST', `/api/integrations/${provider}/connect`, {}, as(who));
    expect(started.status, started.raw).toBe(200);
    const consent = new URL(started.body.url);
    const atProvider = await fetch(consent, { redirect: 'manual' });
    const back = new URL(atProvider.headers.get('location')!);
    const callback = await call(app, 'GET', `${back.pathname}${back.search}`, undefined, { cookie: who.token });
    expect(callback.headers.location).toBe(`${APP_URL}/settings/integrations?provider=${provider}&connected=1`);
    return consent;
  }

  it('without configuration: offered as not configured, with what to set', async () => {
    const admin = await signup(bare);
    for (const provider of ['google', 'microsoft']) {
      expect(await integration(admin, provider, bare)).toMatchObject({
        kind: 'usage',
        available: false,
        status: 'not_connected',
        requires: [`${provider.toUpperCase()}_CLIENT_ID`, `${provider.toUpperCase()}_CLIENT_SECRET`, 'ENCRYPTION_KEY'],
      });
      const refused = await call<ErrorBody>(bare, 'POST', `/api/integrations/${provider}/connect`, {}, as(admin));
      expect(refused.status).toBe(503);
    }
    expect(await integration(admin, 'okta', bare)).toMatchObject({ available: false, requires: ['ENCRYPTION_KEY'] });
    expect(await integration(admin, 'quickbooks', bare)).toMatchObject({ kind: 'spend' });
  });

  it('Google Workspace: consent with PKCE and offline access; directory, logins and OAuth apps counted per app', async () => {
    const t = await team(app);
    const consent = await connectOAuth(t.admin, 'google');
    expect(consent.searchParams.get('access_type')).toBe('offline');
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(consent.searchParams.get('scope')).toContain('admin.reports.audit.readonly');
    idp.rateLimitOnce.add('google');
    expect(await worker.drain()).toBeGreaterThanOrEqual(1);
    expect(await integration(t.admin, 'google')).toMatchObject({
      status: 'connected',
      error: null,
      lastSync: { imported: 3, duplicates: 0, skipped: 1 },
    });
    // [tool, bought, assigned, active 30 days, active 90 days, discovered]
    expect(counts(await usage(t.viewer), 'google')).toEqual({
      // ann (5 days), bob (login 10 days ago); cid never logged in; dee is suspended.
      'Google Workspace': ['Google Workspace', null, 3, 2, 2, true],
      // ann authorised 20 days ago; bob used it 60 days ago.
      Slack: ['Slack', null, 1, 1, 2, true],
      'Shady PDF Converter': [null, null, 1, 1, 1, true],
    });
    // Paged (two a page), the rate limit waited out, the Reports API asked for 90 days.
    const reads = idp.requests.filter((r) => r.path.startsWith('/google/admin/'));
    expect(
      reads.filter((r) => r.path.endsWith('/users')).map((r) => new URLSearchParams(r.query).get('pageToken')),
    ).toEqual([null, null, '2']);
    // Tokens sealed at rest.
    const [row] = await get()
      .database.db.select()
      .from(integrationCredentials)
      .where(eq(integrationCredentials.organizationId, t.admin.organization.id));
    expect(row!.accessToken).toMatch(/^enc:v1:/);
    expect(row!.refreshToken).toMatch(/^enc:v1:/);

    // A refused access token is refreshed (Google keeps the refresh token) and the read retried.
    idp.validAccessTokens.clear();
    await call(app, 'POST', '/api/integrations/google/sync', {}, as(t.admin));
    await worker.drain();
    expect(await integration(t.admin, 'google')).toMatchObject({ status: 'connected', error: null });

    // An audit that lists them: no longer discovered. The analysis uses the measured usage of
    // Google Workspace (sign-ins); Slack's OAuth grants say nothing of its seats, so its typed
    // figure stands.
    const detail = await analysedAudit(app, t.admin, 'Usage', {
      currency: 'USD',
      tools: [
        { name: 'Google Workspace', monthlyCost: 140, seats: 10, activeSeats: 10 },
        { name: 'Slack', monthlyCost: 87.5, seats: 10, activeSeats: 10 },
      ],
    });
    expect(counts(await usage(t.admin), 'google').Slack).toEqual(['Slack', null, 1, 1, 2, false]);
    const analysis = detail.analysis!;
    expect(analysis.costAnalysis.usage).toEqual([
      expect.objectContaining({
        tool: 'Google Workspace',
        provider: 'google',
        listedActiveSeats: 10,
        activeSeats: 2,
        active30: 2,
        assigned: 3,
      }),
    ]);
    // 10 seats, 2 people active in 90 days: 8 idle seats (the typed 10 active would have said none).
    expect(analysis.recommendations.filter((r) => r.type === 'remove_unused_seats').map((r) => r.title)).toEqual([
      'Remove 8 unused Google Workspace seats',
    ]);
    // The report says the figure was measured, and by whom.
    const csv = await app.inject({
      method: 'GET',
      url: `/api/audits/${detail.audit.id}/report.csv`,
      headers: { authorization: `Bearer ${t.admin.token}` },
    });
    expect(csv.body).toMatch(/Google Workspace,,,,10,2,"google \(2 in 30 days, 2 in 90; synced \d{4}-\d{2}-\d{2}\)"/);

    // The grant revoked at Google: the next sync asks to reconnect.
    for (const token of idp.issuedRefreshTokens) idp.revokedRefreshTokens.add(token);
    idp.validAccessTokens.clear();
    await call(app, 'POST', '/api/integrations/google/sync', {}, as(t.admin));
    await worker.drain();
    expect(await integration(t.admin, 'google')).toMatchObject({ status: 'needs_reconnect', connected: false });
    expect((await integration(t.admin, 'google')).error).toContain('invalid_grant');
    // Disconnecting deletes the tokens and the usage they brought.
    expect((await call(app, 'DELETE', '/api/integrations/google', undefined, as(t.admin))).status).toBe(204);
    expect(counts(await usage(t.admin), 'google')).toEqual({});
    expect(await integration(t.admin, 'google')).toMatchObject({ status: 'not_connected' });
  });

  it('Microsoft 365: licences bought and assigned, active by sign-in, apps by sign-in log; throttling and rotation', async () => {
    const t = await team(app);
    await connectOAuth(t.admin, 'microsoft');
    idp.rateLimitOnce.add('microsoft');
    await worker.drain();
    expect(await integration(t.admin, 'microsoft')).toMatchObject({ status: 'connected', error: null });
    expect(counts(await usage(t.member), 'microsoft')).toEqual({
      // 25 bought, 3 assigned; ann signed in 2 days ago, bob (non-interactively) 45; cid never.
      'Microsoft 365': ['Microsoft 365', 25, 3, 1, 2, true],
      // Named by its service principal, not the sign-in's display name.
      Zoom: ['Zoom', null, null, 1, 1, true],
      Miro: ['Miro', null, null, 0, 1, true],
    });
    const signIns = idp.requests.filter((r) => r.path === '/microsoft/v1.0/auditLogs/signIns');
    expect(signIns.length).toBe(3); // throttled once (Retry-After 0.05 s), then two pages
    // A refresh rotates the refresh token: the next refresh uses the new one.
    idp.validAccessTokens.clear();
    await call(app, 'POST', '/api/integrations/microsoft/sync', {}, as(t.admin));
    await worker.drain();
    idp.validAccessTokens.clear();
    await call(app, 'POST', '/api/integrations/microsoft/sync', {}, as(t.admin));
    await worker.drain();
    expect(await integration(t.admin, 'microsoft')).toMatchObject({ status: 'connected', error: null });
    const issued = idp.issuedRefreshTokens.filter((r) => r.startsWith('microsoft'));
    expect(issued.length).toBeGreaterThanOrEqual(3);
    // Revoked in Entra (AADSTS50173 at the token endpoint): the next sync asks to reconnect.
    for (const token of issued) idp.revokedRefreshTokens.add(token);
    idp.validAccessTokens.clear();
    await call(app, 'POST', '/api/integrations/microsoft/sync', {}, as(t.admin));
    await worker.drain();
    expect(await integration(t.admin, 'microsoft')).toMatchObject({ status: 'needs_reconnect' });
    // Disconnecting drops the tokens and the usage (Entra has no revocation endpoint).
    expect((await call(app, 'DELETE', '/api/integrations/microsoft', undefined, as(t.admin))).status).toBe(204);
    expect(counts(await usage(t.admin), 'microsoft')).toEqual({});
  });

  it('a long sync keeps its claim: its lease is renewed while it runs, so no other instance takes it over', async () => {
    const t = await team(app);
    const connected = await call(
      app,
      'POST',
      '/api/integrations/okta/connect',
      { orgUrl: idp.url, apiToken: OKTA_TOKEN },
      as(t.admin),
    );
    expect(connected.status, connected.raw).toBe(201);
    // This instance claims the sync with a 1-second lease; Okta answers slowly (the sync takes ~2 s).
    const service = new IntegrationService(
      get().database,
      testConfig({ ...idp.env, APP_URL, ENCRYPTION_KEY, OKTA_ALLOW_LOOPBACK: 'true' }),
    );
    const claimed = (await service.claimDueSyncs(10, 1)).find((r) => r.organizationId === t.admin.organization.id)!;
    expect(claimed).toBeDefined();
    idp.oktaDelayMs = 250;
    try {
      const running = service.runSync(claimed, silentLogger, 1);
      await new Promise((r) => setTimeout(r, 1600));
      // Past the first lease: another instance finds nothing to take over.
      const other = await service.claimDueSyncs(10, 1);
      expect(other.map((r) => r.id)).not.toContain(claimed.id);
      await running;
    } finally {
      idp.oktaDelayMs = 0;
    }
    expect(await integration(t.admin, 'okta')).toMatchObject({ status: 'connected', error: null });
    expect(Object.keys(counts(await usage(t.admin), 'okta'))).toEqual(['Slack', 'Contoso CRM']);
  });

  it('Okta: an API token checked at connect; apps, assignments and SSO events counted; disconnect revokes the token', async () => {
    const t = await team(app);
    const firstRequest = idp.requests.length;
    const connectOkta = (body: unknown, who = t.admin) =>
      call<{ integration: IntegrationJson } & ErrorBody>(app, 'POST', '/api/integrations/okta/connect', body, as(who));
    expect((await connectOkta({ orgUrl: idp.url, apiToken: OKTA_TOKEN }, t.member)).status).toBe(403);
    const badToken = await connectOkta({ orgUrl: idp.url, apiToken: 'not-the-token-at-all' });
    expect(badToken.status).toBe(400);
    expect(badToken.body.error.details).toEqual([
      { field: 'body.apiToken', message: 'is not a valid API token for this org' },
    ]);
    const badUrl = await connectOkta({ orgUrl: 'https://evil.example.com', apiToken: OKTA_TOKEN });
    expect(badUrl.body.error.details?.[0]?.field).toBe('body.orgUrl');
    // A server not set up for tests refuses a loopback org URL (no probing of local ports).
    const strict = await buildTestApp(get().database, { ...idp.env, APP_URL, ENCRYPTION_KEY });
    try {
      const refused = await call<ErrorBody>(
        strict,
        'POST',
        '/api/integrations/okta/connect',
        { orgUrl: idp.url, apiToken: OKTA_TOKEN },
        as(t.admin),
      );
      expect([refused.status, refused.body.error.details?.[0]?.field]).toEqual([400, 'body.orgUrl']);
    } finally {
      await strict.close();
    }
    const connected = await connectOkta({ orgUrl: idp.url, apiToken: OKTA_TOKEN });
    expect(connected.status, connected.raw).toBe(201);
    idp.rateLimitOnce.add('okta');
    await worker.drain();
    expect(await integration(t.admin, 'okta')).toMatchObject({ status: 'connected', error: null });
    expect(counts(await usage(t.admin), 'okta')).toEqual({
      // ann (5 days) and bob (70) signed in through Okta; both assigned.
      Slack: ['Slack', null, 2, 1, 2, true],
      // "Contoso CRM" signs in at salesforce.com: the catalog's Salesforce (by its domain);
      // assigned, nobody signed in: not discovered.
      'Contoso CRM': ['Salesforce', null, 1, 0, 0, false],
    });
    // Another organization sees none of it.
    expect(await usage(await signup(app))).toEqual([]);
    // The System Log's next link on an empty page does not loop.
    const logs = idp.requests.slice(firstRequest).filter((r) => r.path === '/api/v1/logs');
    expect(logs.length).toBe(3);
    expect(logs.every((r) => r.authorization === `SSWS ${OKTA_TOKEN}`)).toBe(true);
    // The token revoked in Okta (401 E0000011): the next sync asks to reconnect.
    idp.revokedOktaTokens.add(OKTA_TOKEN);
    await call(app, 'POST', '/api/integrations/okta/sync', {}, as(t.admin));
    await worker.drain();
    expect(await integration(t.admin, 'okta')).toMatchObject({ status: 'needs_reconnect' });
    expect((await integration(t.admin, 'okta')).error).toContain('E0000011');
    idp.revokedOktaTokens.clear();
    // Disconnecting revokes the token at Okta.
    expect((await call(app, 'DELETE', '/api/integrations/okta', undefined, as(t.admin))).status).toBe(204);
    expect(idp.revokedOktaTokens.has(OKTA_TOKEN)).toBe(true);
    expect(counts(await usage(t.admin), 'okta')).toEqual({});
    idp.revokedOktaTokens.clear();
  });
});
