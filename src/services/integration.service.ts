/**
 * Connections to where spend lives: QuickBooks Online and Xero (OAuth 2 with PKCE, the
 * `state` bound to the admin's session) and the organization's own Stripe account (a
 * restricted key; its fees are the cost of the tool Stripe); and to where usage lives, the
 * identity providers: Google Workspace and Microsoft 365 (OAuth 2 with PKCE) and Okta (an
 * API token), whose syncs replace the organization's app usage (seats, people active). Tokens and keys are sealed
 * (AES-256-GCM) before they reach the database and never leave the server. Syncs are
 * durable jobs on the connection's row (jobs/integration-sync.worker.ts runs them).
 */
import { createHash, randomBytes } from 'node:crypto';

import type { FastifyBaseLogger } from 'fastify';
import type Stripe from 'stripe';

import type { Config } from '../config.js';
import { transaction, type Database } from '../db/database.js';
import { applyMerchantDecision } from '../domain/statements/vendors.js';
import { parseKey, SecretBox } from '../domain/secret-box.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { MappedRecords } from '../integrations/mapping.js';
import {
  OAUTH_PROVIDERS,
  REFRESH_WINDOW_SECONDS,
  retryingOnUnauthorized,
  type OAuthProvider,
  type OAuthProviderName,
  type TokenSet,
} from '../integrations/oauth.js';
import { ProviderError } from '../integrations/provider-http.js';
import { quickBooksOAuth, quickBooksSpend } from '../integrations/quickbooks.js';
import { createStripeClient } from '../integrations/stripe-client.js';
import { checkStripeKey, stripeFees } from '../integrations/stripe.js';
import { xeroOAuth, xeroSpend, xeroTenants } from '../integrations/xero.js';
import { googleOAuth, googleUsage } from '../integrations/google-workspace.js';
import { microsoftOAuth, microsoftUsage } from '../integrations/microsoft-365.js';
import { checkOktaToken, oktaOrgUrl, oktaUsage, revokeOktaToken } from '../integrations/okta.js';
import type { AppUsage } from '../domain/app-usage.js';
import { AppUsageRepository, type AppUsageRow } from '../repositories/app-usage.repository.js';
import { toolKey } from '../domain/analysis/catalog.js';
import { requireAdmin } from '../policies/organization.policy.js';
import {
  HEALTHY,
  IntegrationCredentialRepository,
  type IntegrationCredential,
} from '../repositories/integration-credential.repository.js';
import { OAuthStateRepository } from '../repositories/oauth-state.repository.js';
import { ToolCostRepository, type NewToolCost } from '../repositories/tool-cost.repository.js';
import { VendorRuleRepository } from '../repositories/vendor-rule.repository.js';
import type { Actor } from './actor.js';

export const PROVIDERS = ['quickbooks', 'xero', 'stripe', 'google', 'microsoft', 'okta'] as const;
export type Provider = (typeof PROVIDERS)[number];
/** Providers that tell usage (who uses which app), not spend. */
export const USAGE_PROVIDERS: readonly Provider[] = ['google', 'microsoft', 'okta'];
const isUsage = (provider: string) => (USAGE_PROVIDERS as readonly string[]).includes(provider);

const NAMES: Record<Provider, string> = {
  quickbooks: 'QuickBooks',
  xero: 'Xero',
  stripe: 'Stripe',
  google: 'Google Workspace',
  microsoft: 'Microsoft 365',
  okta: 'Okta',
};

/** What the operator sets for a provider this server is not configured for. */
const SETUP: Record<Provider, string[]> = {
  quickbooks: ['QUICKBOOKS_CLIENT_ID', 'QUICKBOOKS_CLIENT_SECRET', 'ENCRYPTION_KEY'],
  xero: ['XERO_CLIENT_ID', 'XERO_CLIENT_SECRET', 'ENCRYPTION_KEY'],
  stripe: ['ENCRYPTION_KEY'],
  google: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'ENCRYPTION_KEY'],
  microsoft: ['MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET', 'ENCRYPTION_KEY'],
  okta: ['ENCRYPTION_KEY'],
};

const STATE_TTL_MS = 10 * 60 * 1000;
/** Retries of a failing sync, then the connection shows the error until an admin syncs again. */
export const MAX_SYNC_ATTEMPTS = 5;
/** Backoff before retry n (1-based): 1 min, 5 min, 30 min, 2 h. */
const BACKOFF_SECONDS = [60, 300, 1800, 7200];
/**
 * A sync holds its claim this long past its last heartbeat; past it another instance may take
 * it over (a crashed one's). A running sync renews it every third of that, so a long sync
 * (an Okta org with many apps and rate-limit waits) keeps its claim.
 */
export const SYNC_LEASE_SECONDS = 600;
/** Connections sync by themselves this often. */
export const DAILY_SYNC_HOURS = 24;
/** How far back a sync reads. */
const SYNC_MONTHS = 24;

export class IntegrationsDisabledError extends AppError {
  constructor(what: string) {
    super(503, 'integration_unavailable', `${what} is not configured on this server.`);
  }
}

export interface IntegrationView {
  provider: Provider;
  name: string;
  /** spend: costs come from it; usage: seats and activity per app. */
  kind: 'spend' | 'usage';
  /** Whether this server is configured for the provider (client id, encryption key). */
  available: boolean;
  connected: boolean;
  lastSyncAt: Date | null;
  /** not_connected | connected | syncing | needs_reconnect | error */
  status: string;
  error: string | null;
  lastSync: { imported: number; duplicates: number; skipped: number } | null;
  /** Not configured: the settings this server needs for it (empty when available). */
  requires: string[];
}

export interface CallbackQuery {
  code?: string;
  state?: string;
  realmId?: string;
  error?: string;
}

/** A connection claimed for a sync: the row is the job (queued → running with a lease → idle). */
export type SyncJob = IntegrationCredential;

export class IntegrationService {
  private readonly box: SecretBox | null;
  /** Wakes this instance's sync worker (set by the server). */
  onSyncQueued: () => void = () => {};

  constructor(
    private readonly database: Database,
    private readonly config: Config,
  ) {
    this.box = config.encryption
      ? new SecretBox(parseKey(config.encryption.key), config.encryption.previousKeys.map(parseKey))
      : null;
  }

  async list(actor: Actor): Promise<IntegrationView[]> {
    requireAdmin(actor);
    const rows = await new IntegrationCredentialRepository(this.database.db).list(actor.organization.id);
    return PROVIDERS.map((provider) => this.view(provider, rows.find((r) => r.provider === provider) ?? null));
  }

  /** QuickBooks, Xero: the provider's consent URL, with a state bound to this session and PKCE. */
  async connect(actor: Actor, provider: string): Promise<{ url: string }> {
    requireAdmin(actor);
    const oauth = this.oauth(this.knownProvider(provider));
    const box = this.requireBox();
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    await transaction(this.database.db, async (tx) => {
      const states = new OAuthStateRepository(tx);
      await states.deleteForUser(actor.organization.id, actor.user.id, oauth.name);
      await states.create({
        stateHash: sha256(state),
        organizationId: actor.organization.id,
        userId: actor.user.id,
        sessionId: actor.sessionId,
        provider: oauth.name,
        codeVerifier: box.seal(verifier),
        expiresAt: new Date(Date.now() + STATE_TTL_MS),
      });
    });
    return { url: oauth.authorizeUrl(state, challenge) };
  }

  /**
   * The provider sent the browser back: check the state (once, unexpired, same session),
   * exchange the code, store the tokens sealed and queue a first sync. Answers where to send
   * the browser next (the web app, saying how it went).
   */
  async callback(actor: Actor | null, provider: string, query: CallbackQuery, log: FastifyBaseLogger): Promise<string> {
    const done = (outcome: Record<string, string>) =>
      `${this.appUrl()}/settings/integrations?${new URLSearchParams({ provider, ...outcome }).toString()}`;
    if (!(OAUTH_PROVIDERS as readonly string[]).includes(provider)) throw new NotFoundError('integration');
    if (!query.state) return done({ error: 'missing_state' });
    const pending = await new OAuthStateRepository(this.database.db).consume(sha256(query.state));
    if (!pending || pending.provider !== provider) return done({ error: 'expired_or_unknown_state' });
    if (!actor || actor.sessionId !== pending.sessionId || actor.user.id !== pending.userId) {
      return done({ error: 'session_mismatch' });
    }
    if (query.error) return done({ error: query.error === 'access_denied' ? 'access_denied' : 'provider_error' });
    if (!query.code) return done({ error: 'missing_code' });
    const oauth = this.oauth(provider as OAuthProviderName);
    const box = this.requireBox();
    try {
      const tokens = await oauth.exchange(query.code, box.open(pending.codeVerifier));
      let connection: Record<string, unknown>;
      if (provider === 'quickbooks') {
        if (!query.realmId) return done({ error: 'missing_company' });
        connection = { realmId: query.realmId };
      } else if (isUsage(provider)) {
        connection = {};
      } else {
        const [tenant] = await xeroTenants(oauth.apiBase, tokens.accessToken);
        if (!tenant) return done({ error: 'no_organisation' });
        connection = { tenantId: tenant.tenantId, tenantName: tenant.tenantName };
      }
      await this.saveConnection(pending.organizationId, provider, tokens, {
        ...connection,
        connectedBy: pending.userId,
      });
      log.info({ provider, organizationId: pending.organizationId }, 'integration connected');
      return done({ connected: '1' });
    } catch (error) {
      log.warn({ provider, reason: (error as Error).message }, 'integration connection failed');
      return done({
        error: error instanceof ProviderError && error.kind === 'invalid_grant' ? 'invalid_grant' : 'exchange_failed',
      });
    }
  }

  /** Stripe as a spend source: a restricted, read-only key of the organization's own account. */
  async connectStripe(actor: Actor, apiKey: string): Promise<IntegrationView> {
    requireAdmin(actor);
    this.requireBox();
    if (!/^(rk|sk)_(live|test)_[A-Za-z0-9]{8,}$/.test(apiKey)) {
      throw new ValidationError('Not a Stripe API key.', [
        {
          field: 'body.apiKey',
          message: 'must be a restricted key (rk_live_… or rk_test_…) with read access to balance transactions',
        },
      ]);
    }
    try {
      await checkStripeKey(this.stripeClient(apiKey));
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      throw new ValidationError('Stripe did not accept the key.', [
        {
          field: 'body.apiKey',
          message: status === 401 ? 'is not a valid key' : `could not be checked (${status ?? 'no answer'})`,
        },
      ]);
    }
    const row = await this.saveConnection(
      actor.organization.id,
      'stripe',
      { accessToken: apiKey, refreshToken: null, expiresAt: null },
      {
        connectedBy: actor.user.id,
      },
    );
    return this.view('stripe', row);
  }

  /**
   * The apps the identity providers report (any member may see them): each with its usage,
   * and `discovered` where none of the organization's newest audits lists it (by the catalog
   * tool it is, or by its own name).
   */
  async usage(actor: Actor): Promise<(Omit<AppUsageRow, 'organizationId' | 'appKey'> & { discovered: boolean })[]> {
    const repository = new AppUsageRepository(this.database.db);
    const rows = await repository.list(actor.organization.id);
    // The audit page asks on every view: without a connected provider there is nothing to compare.
    if (rows.length === 0) return [];
    const listed = await repository.listedToolNames(actor.organization.id, {
      userId: actor.user.id,
      role: actor.user.role,
    });
    const listedKeys = new Set([...listed].map(toolKey));
    return rows.map(({ organizationId: _o, appKey: _k, ...row }) => ({
      ...row,
      discovered: !listedKeys.has(toolKey(row.toolName ?? row.appName)) && row.active90 > 0,
    }));
  }

  /** Okta as a usage source: the org's URL and an API token of a read-only administrator. */
  async connectOkta(actor: Actor, input: { orgUrl: string; apiToken: string }): Promise<IntegrationView> {
    requireAdmin(actor);
    this.requireBox();
    const orgUrl = oktaOrgUrl(input.orgUrl, this.config.oktaAllowLoopback);
    if (!orgUrl) {
      throw new ValidationError('Not an Okta org URL.', [
        { field: 'body.orgUrl', message: 'must be your Okta org, e.g. https://acme.okta.com' },
      ]);
    }
    try {
      await checkOktaToken(orgUrl, input.apiToken);
    } catch (error) {
      throw new ValidationError('Okta did not accept the token.', [
        {
          field: 'body.apiToken',
          message:
            error instanceof ProviderError && error.kind === 'invalid_grant'
              ? 'is not a valid API token for this org'
              : `could not be checked (${(error as Error).message})`,
        },
      ]);
    }
    const row = await this.saveConnection(
      actor.organization.id,
      'okta',
      { accessToken: input.apiToken, refreshToken: null, expiresAt: null },
      { orgUrl, connectedBy: actor.user.id },
    );
    return this.view('okta', row);
  }

  async requestSync(actor: Actor, provider: string): Promise<IntegrationView> {
    requireAdmin(actor);
    const repository = new IntegrationCredentialRepository(this.database.db);
    const row = await repository.findByProvider(actor.organization.id, this.knownProvider(provider));
    if (!row) throw new NotFoundError('connection');
    if (row.status === 'needs_reconnect') {
      throw new ConflictError('The connection has expired: connect it again before syncing.', 'needs_reconnect');
    }
    const queued = await repository.requestSync(actor.organization.id, row.provider);
    this.onSyncQueued();
    return this.view(row.provider as Provider, queued);
  }

  /** Revokes the authorization at the provider (best effort) and deletes the tokens; imported costs stay. */
  async disconnect(actor: Actor, provider: string, log: FastifyBaseLogger): Promise<void> {
    requireAdmin(actor);
    const name = this.knownProvider(provider);
    const repository = new IntegrationCredentialRepository(this.database.db);
    const row = await repository.findByProvider(actor.organization.id, name);
    if (!row) throw new NotFoundError('connection');
    if (this.box && (name === 'okta' || (name !== 'stripe' && row.refreshToken))) {
      try {
        if (name === 'okta') await revokeOktaToken(oktaUrlOf(row), this.box.open(row.accessToken ?? ''));
        else await this.oauth(name).revoke(this.box.open(row.refreshToken!));
      } catch (error) {
        log.warn(
          { provider: name, reason: (error as Error).message },
          'revocation at the provider failed; tokens deleted anyway',
        );
      }
    }
    await transaction(this.database.db, async (tx) => {
      await new IntegrationCredentialRepository(tx).delete(actor.organization.id, name);
      // Usage from a provider no longer connected would go stale: the analysis stops using it.
      if (isUsage(name)) await new AppUsageRepository(tx).deleteProvider(actor.organization.id, name);
    });
  }

  /** Hourly: connections that have not synced for a day are queued (also keeps their tokens alive). */
  async queueDailySyncs(now = new Date()): Promise<number> {
    const queued = await new IntegrationCredentialRepository(this.database.db).queueStaleAcrossOrganizations(
      DAILY_SYNC_HOURS,
      now,
    );
    if (queued) this.onSyncQueued();
    return queued;
  }

  /** One sync of a claimed connection (called by the worker). */
  /** Queued syncs (of any organization) for this instance to run, each claimed with a lease. */
  claimDueSyncs(limit: number, leaseSeconds: number): Promise<SyncJob[]> {
    return new IntegrationCredentialRepository(this.database.db).claimSyncsAcrossOrganizations(limit, leaseSeconds);
  }

  async runSync(row: IntegrationCredential, log: FastifyBaseLogger, leaseSeconds = SYNC_LEASE_SECONDS): Promise<void> {
    const organizationId = row.organizationId!;
    const repository = new IntegrationCredentialRepository(this.database.db);
    const heartbeat = setInterval(
      () => {
        repository
          .extendLease(organizationId, row.id, new Date(Date.now() + leaseSeconds * 1000))
          .catch((error: Error) =>
            log.warn({ provider: row.provider, reason: error.message }, 'sync lease not renewed'),
          );
      },
      (leaseSeconds * 1000) / 3,
    );
    try {
      if (isUsage(row.provider)) {
        const usage = await this.fetchUsage(row);
        const apps = await transaction(this.database.db, async (tx) => {
          const count = await new AppUsageRepository(tx).replace(organizationId, row.provider, usage, new Date());
          await new IntegrationCredentialRepository(tx).updateState(organizationId, row.id, {
            ...HEALTHY,
            lastSyncAt: new Date(),
            config: {
              ...(row.config ?? {}),
              lastSync: { imported: count, duplicates: 0, skipped: usage.filter((u) => !u.toolName).length },
            },
          });
          return count;
        });
        log.info({ provider: row.provider, organizationId, apps }, 'usage synced');
        return;
      }
      const mapped = await this.fetchSpend(row);
      const imported = await transaction(this.database.db, async (tx) => {
        // Lines nobody recognised follow the organization's decisions about their merchants.
        const keyOf = (line: NewToolCost) =>
          typeof line.metadata?.merchantKey === 'string' ? line.metadata.merchantKey : '';
        const rules = await new VendorRuleRepository(tx).forKeys(organizationId, mapped.lines.map(keyOf));
        const lines = mapped.lines.map((line) => applyMerchantDecision(line, rules.get(keyOf(line))));
        const count = await new ToolCostRepository(tx).insertNew(organizationId, lines);
        await new IntegrationCredentialRepository(tx).updateState(organizationId, row.id, {
          ...HEALTHY,
          lastSyncAt: new Date(),
          config: {
            ...(row.config ?? {}),
            lastSync: { imported: count, duplicates: mapped.lines.length - count, skipped: mapped.skipped.length },
          },
        });
        return count;
      });
      log.info({ provider: row.provider, organizationId, imported, lines: mapped.lines.length }, 'integration synced');
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof ProviderError && error.kind === 'invalid_grant') {
        await repository.updateState(organizationId, row.id, {
          status: 'needs_reconnect',
          lastError: message,
          syncStatus: 'idle',
          syncLeaseUntil: null,
        });
        log.warn({ provider: row.provider, organizationId }, 'integration needs reconnecting (invalid_grant)');
        return;
      }
      const attempts = row.syncAttempts;
      const retry = attempts < MAX_SYNC_ATTEMPTS;
      await repository.updateState(organizationId, row.id, {
        status: retry ? row.status : 'error',
        lastError: message,
        syncStatus: retry ? 'queued' : 'idle',
        nextSyncAt: retry
          ? new Date(Date.now() + BACKOFF_SECONDS[Math.min(attempts, BACKOFF_SECONDS.length) - 1]! * 1000)
          : null,
        syncLeaseUntil: null,
      });
      log.warn({ provider: row.provider, organizationId, attempts, retry, reason: message }, 'integration sync failed');
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async fetchSpend(row: IntegrationCredential): Promise<MappedRecords> {
    const box = this.requireBox();
    const since = new Date();
    since.setUTCMonth(since.getUTCMonth() - SYNC_MONTHS, 1);
    const sinceDay = since.toISOString().slice(0, 10);
    const config = row.config ?? {};
    if (row.provider === 'stripe') return stripeFees(this.stripeClient(box.open(row.accessToken ?? '')), since);
    const oauth = this.oauth(row.provider as OAuthProviderName);
    const withToken = await retryingOnUnauthorized((force) => this.freshAccessToken(row, oauth, force));
    if (row.provider === 'quickbooks') {
      const realmId = typeof config.realmId === 'string' ? config.realmId : '';
      return quickBooksSpend(oauth.apiBase, realmId, sinceDay, withToken);
    }
    const tenantId = typeof config.tenantId === 'string' ? config.tenantId : '';
    return xeroSpend(oauth.apiBase, tenantId, since, withToken);
  }

  private async fetchUsage(row: IntegrationCredential): Promise<AppUsage[]> {
    const box = this.requireBox();
    if (row.provider === 'okta') return oktaUsage(oktaUrlOf(row), box.open(row.accessToken ?? ''));
    const oauth = this.oauth(row.provider as OAuthProviderName);
    const withToken = await retryingOnUnauthorized((force) => this.freshAccessToken(row, oauth, force));
    return row.provider === 'google' ? googleUsage(oauth.apiBase, withToken) : microsoftUsage(oauth.apiBase, withToken);
  }

  /** The access token, refreshed first when it is about to expire (or `force`); new tokens are saved at once. */
  private async freshAccessToken(row: IntegrationCredential, oauth: OAuthProvider, force: boolean): Promise<string> {
    const box = this.requireBox();
    const expiring = !row.tokenExpiresAt || row.tokenExpiresAt.getTime() - REFRESH_WINDOW_SECONDS * 1000 < Date.now();
    if (!force && !expiring && row.accessToken) return box.open(row.accessToken);
    if (!row.refreshToken) throw new ProviderError('no refresh token: connect again', 'invalid_grant');
    const tokens = await oauth.refresh(box.open(row.refreshToken));
    const saved = await new IntegrationCredentialRepository(this.database.db).updateState(row.organizationId!, row.id, {
      accessToken: box.seal(tokens.accessToken),
      refreshToken: tokens.refreshToken ? box.seal(tokens.refreshToken) : row.refreshToken,
      tokenExpiresAt: tokens.expiresAt,
    });
    if (saved)
      Object.assign(row, {
        accessToken: saved.accessToken,
        refreshToken: saved.refreshToken,
        tokenExpiresAt: saved.tokenExpiresAt,
      });
    return tokens.accessToken;
  }

  private async saveConnection(
    organizationId: string,
    provider: string,
    tokens: TokenSet,
    connection: Record<string, unknown>,
  ): Promise<IntegrationCredential> {
    const box = this.requireBox();
    return transaction(this.database.db, async (tx) => {
      const repository = new IntegrationCredentialRepository(tx);
      await repository.upsert(organizationId, provider, {
        accessToken: box.seal(tokens.accessToken),
        refreshToken: tokens.refreshToken ? box.seal(tokens.refreshToken) : null,
        tokenExpiresAt: tokens.expiresAt,
        config: connection,
      });
      const queued = (await repository.requestSync(organizationId, provider))!;
      return queued;
    }).then((row) => {
      this.onSyncQueued();
      return row;
    });
  }

  private view(provider: Provider, row: IntegrationCredential | null): IntegrationView {
    const available =
      this.box !== null &&
      (provider === 'stripe' || provider === 'okta' || this.config.integrations[provider] !== null);
    const requires = available
      ? []
      : SETUP[provider].filter((name) =>
          name === 'ENCRYPTION_KEY'
            ? this.box === null
            : this.config.integrations[provider as OAuthProviderName] === null,
        );
    const kind = isUsage(provider) ? ('usage' as const) : ('spend' as const);
    const lastSync = (row?.config as { lastSync?: IntegrationView['lastSync'] } | null)?.lastSync ?? null;
    if (!row)
      return {
        provider,
        name: NAMES[provider],
        kind,
        available,
        requires,
        connected: false,
        lastSyncAt: null,
        status: 'not_connected',
        error: null,
        lastSync: null,
      };
    const syncing = row.syncStatus === 'queued' || row.syncStatus === 'running';
    return {
      provider,
      name: NAMES[provider],
      kind,
      available,
      requires,
      connected: row.status !== 'needs_reconnect',
      lastSyncAt: row.lastSyncAt,
      status: row.status === 'connected' && syncing ? 'syncing' : row.status,
      error: row.lastError,
      lastSync,
    };
  }

  private knownProvider(provider: string): Provider {
    if (!(PROVIDERS as readonly string[]).includes(provider)) throw new NotFoundError('integration');
    return provider as Provider;
  }

  private oauth(provider: Provider): OAuthProvider {
    if (provider === 'stripe' || provider === 'okta')
      throw new ValidationError(`${NAMES[provider]} connects with an API key or token, not OAuth.`, [
        { field: provider === 'stripe' ? 'body.apiKey' : 'body.apiToken', message: 'is required' },
      ]);
    const settings = this.config.integrations[provider];
    if (!settings) throw new IntegrationsDisabledError(NAMES[provider]);
    const redirectUri = `${this.appUrl()}/api/integrations/${provider}/callback`;
    const make = { quickbooks: quickBooksOAuth, xero: xeroOAuth, google: googleOAuth, microsoft: microsoftOAuth };
    return make[provider](settings, redirectUri);
  }

  private requireBox(): SecretBox {
    if (!this.box) throw new IntegrationsDisabledError('Encryption of stored tokens (ENCRYPTION_KEY)');
    return this.box;
  }

  private stripeClient(apiKey: string): Stripe {
    return createStripeClient(apiKey, this.config.stripeApiBase);
  }

  private appUrl(): string {
    return this.config.appUrl ?? `http://localhost:${this.config.port}`;
  }
}

/** The Okta org a connection reads (checked when it was connected). */
const oktaUrlOf = (row: IntegrationCredential): string =>
  typeof row.config?.orgUrl === 'string' ? row.config.orgUrl : '';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
