/**
 * What the OAuth providers (QuickBooks, Xero, Google Workspace, Microsoft 365) share: OAuth 2 through simple-oauth2
 * (authorization code with PKCE, refresh, revocation) and reading with a token that is
 * refreshed once when refused. URLs come from the configuration, so tests
 * point them at a local server. Each provider's own calls are in its file.
 */
import { AuthorizationCode, type AccessToken } from 'simple-oauth2';

import type { OAuthProviderConfig } from '../config.js';
import { ProviderError, TIMEOUT_MS } from './provider-http.js';

export type OAuthProviderName = 'quickbooks' | 'xero' | 'google' | 'microsoft';
export const OAUTH_PROVIDERS: readonly OAuthProviderName[] = ['quickbooks', 'xero', 'google', 'microsoft'];

/** Refresh an access token this long before it expires. */
export const REFRESH_WINDOW_SECONDS = 120;

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

/** What an OAuth error from simple-oauth2 (a Boom error over the HTTP answer) says, without secrets. */
function oauthFailure(error: unknown, action: string): ProviderError {
  const e = error as { output?: { statusCode?: number }; data?: { payload?: unknown }; message?: string };
  let payload = e.data?.payload;
  if (Buffer.isBuffer(payload)) payload = payload.toString('utf8');
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      // not JSON: keep the text out of messages (it may echo what we sent)
    }
  }
  const code = typeof payload === 'object' && payload !== null ? (payload as { error?: unknown }).error : undefined;
  if (code === 'invalid_grant')
    return new ProviderError(`${action}: the authorization is no longer valid (invalid_grant)`, 'invalid_grant');
  const status = e.output?.statusCode;
  return new ProviderError(
    `${action} failed${status ? ` (HTTP ${status}${typeof code === 'string' ? `, ${code}` : ''})` : `: ${e.message ?? 'no answer'}`}`,
    'failed',
  );
}

/** What a provider does its own way. */
export interface OAuthOptions {
  /** Revocation other than RFC 7009's form post (Intuit wants JSON). */
  revoke?: (config: OAuthProviderConfig, refreshToken: string) => Promise<void>;
  /** More parameters of the consent URL (Google: offline access, to get a refresh token). */
  authorizeParams?: Record<string, string>;
}

export class OAuthProvider {
  private readonly client: AuthorizationCode;

  constructor(
    readonly name: OAuthProviderName,
    private readonly config: OAuthProviderConfig,
    private readonly redirectUri: string,
    private readonly options: OAuthOptions = {},
  ) {
    const authorize = new URL(config.authorizeUrl);
    const token = new URL(config.tokenUrl);
    this.client = new AuthorizationCode({
      client: { id: config.clientId, secret: config.clientSecret },
      auth: {
        tokenHost: token.origin,
        tokenPath: config.tokenUrl,
        // Required by simple-oauth2 even where the provider has none (Microsoft): never called then.
        revokePath: config.revokeUrl || config.tokenUrl,
        authorizeHost: authorize.origin,
        authorizePath: config.authorizeUrl,
      },
      options: { authorizationMethod: 'header', bodyFormat: 'form' },
      http: { timeout: TIMEOUT_MS, json: 'force' },
    });
  }

  authorizeUrl(state: string, codeChallenge: string): string {
    // simple-oauth2 passes any other parameters through; its types list only the common ones.
    const params = {
      redirect_uri: this.redirectUri,
      scope: this.config.scopes,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      ...this.options.authorizeParams,
    };
    return this.client.authorizeURL(params);
  }

  async exchange(code: string, codeVerifier: string): Promise<TokenSet> {
    try {
      const params = { code, redirect_uri: this.redirectUri, code_verifier: codeVerifier };
      return tokenSet(await this.client.getToken(params));
    } catch (error) {
      throw error instanceof ProviderError ? error : oauthFailure(error, 'the code exchange');
    }
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    try {
      const current = this.client.createToken({ access_token: '', refresh_token: refreshToken });
      const next = tokenSet(await current.refresh());
      // Some providers keep the refresh token (no new one in the answer).
      return { ...next, refreshToken: next.refreshToken ?? refreshToken };
    } catch (error) {
      throw oauthFailure(error, 'the token refresh');
    }
  }

  /** Revokes the refresh token (which ends the access tokens made from it too). */
  async revoke(refreshToken: string): Promise<void> {
    try {
      if (this.options.revoke) await this.options.revoke(this.config, refreshToken);
      // No revocation endpoint (Microsoft's identity platform has none): nothing to call.
      else if (!this.config.revokeUrl) return;
      else await this.client.createToken({ access_token: '', refresh_token: refreshToken }).revoke('refresh_token');
    } catch (error) {
      throw error instanceof ProviderError ? error : oauthFailure(error, 'the revocation');
    }
  }

  get apiBase(): string {
    return this.config.apiBase;
  }
}

function tokenSet(token: AccessToken): TokenSet {
  const t = token.token as { access_token?: unknown; refresh_token?: unknown; expires_at?: unknown };
  if (typeof t.access_token !== 'string' || t.access_token === '') {
    throw new ProviderError('the token answer has no access_token', 'failed');
  }
  return {
    accessToken: t.access_token,
    refreshToken: typeof t.refresh_token === 'string' ? t.refresh_token : null,
    expiresAt: t.expires_at instanceof Date && !Number.isNaN(t.expires_at.getTime()) ? t.expires_at : null,
  };
}

/** Runs one read of a provider's API with an access token (see `retryingOnUnauthorized`). */
export type WithAccessToken = <T>(read: (accessToken: string) => Promise<T>) => Promise<T>;

/**
 * Reads with the token `token(false)` gives; a read refused with 401 gets a fresh token
 * (`token(true)`), which later reads keep, and is tried once more.
 */
export async function retryingOnUnauthorized(token: (force: boolean) => Promise<string>): Promise<WithAccessToken> {
  let accessToken = await token(false);
  return async (read) => {
    try {
      return await read(accessToken);
    } catch (error) {
      if (!(error instanceof ProviderError) || error.kind !== 'unauthorized') throw error;
      accessToken = await token(true);
      return read(accessToken);
    }
  };
}
