/**
 * What the OAuth providers (QuickBooks, Xero) share: OAuth 2 through simple-oauth2
 * (authorization code with PKCE, refresh, revocation), the provider error kinds, and a GET
 * of a provider's API as JSON with a timeout. URLs come from the configuration, so tests
 * point them at a local server. Each provider's own calls are in its file.
 */
import { AuthorizationCode, type AccessToken } from 'simple-oauth2';

import type { OAuthProviderConfig } from '../config.js';

export type OAuthProviderName = 'quickbooks' | 'xero';
export const OAUTH_PROVIDERS: readonly OAuthProviderName[] = ['quickbooks', 'xero'];

export const TIMEOUT_MS = 20_000;
/** The most pages of one kind of record a sync reads. */
export const MAX_PAGES = 200;
/** Refresh an access token this long before it expires. */
export const REFRESH_WINDOW_SECONDS = 120;

/** invalid_grant: the refresh token is dead, the user must connect again. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid_grant' | 'unauthorized' | 'failed',
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

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
        revokePath: config.revokeUrl,
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

/** A GET of a provider API as JSON: 401 → unauthorized (refresh and retry), other failures named. */
export async function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ProviderError(`${new URL(url).host} did not answer: ${(error as Error).message}`, 'failed');
  }
  if (response.status === 401) throw new ProviderError(`${new URL(url).host} refused the access token`, 'unauthorized');
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ProviderError(`${new URL(url).host} answered HTTP ${response.status} with no JSON`, 'failed');
  }
  if (!response.ok) {
    // QuickBooks: {"Fault": {"Error": [{"Message", "Detail", "code"}]}}; Xero: {"Title", "Detail"}.
    const fault = (body as { Fault?: { Error?: { Message?: string; Detail?: string }[] } } | null)?.Fault?.Error?.[0];
    const detail = fault
      ? `${fault.Message ?? ''} ${fault.Detail ?? ''}`.trim()
      : (body as { Detail?: string } | null)?.Detail;
    throw new ProviderError(
      `${new URL(url).host} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
      'failed',
    );
  }
  return body;
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
