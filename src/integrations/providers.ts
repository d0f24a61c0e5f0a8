/**
 * The accounting providers: OAuth 2 (authorization code with PKCE, refresh, revocation)
 * through simple-oauth2, and the reads a sync needs, over fetch with timeouts. URLs come
 * from the configuration, so tests point them at a local server.
 */
import { AuthorizationCode, type AccessToken } from 'simple-oauth2';

import type { OAuthProviderConfig } from '../config.js';

export type OAuthProviderName = 'quickbooks' | 'xero';
export const OAUTH_PROVIDERS: readonly OAuthProviderName[] = ['quickbooks', 'xero'];

const TIMEOUT_MS = 20_000;
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

export class OAuthProvider {
  private readonly client: AuthorizationCode;

  constructor(
    readonly name: OAuthProviderName,
    private readonly config: OAuthProviderConfig,
    private readonly redirectUri: string,
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
      if (this.name === 'quickbooks') {
        // Intuit documents a JSON body for its revocation endpoint.
        const response = await fetch(this.config.revokeUrl, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64')}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({ token: refreshToken }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (!response.ok) throw new ProviderError(`the revocation failed (HTTP ${response.status})`, 'failed');
        return;
      }
      await this.client.createToken({ access_token: '', refresh_token: refreshToken }).revoke('refresh_token');
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

const QB_PAGE = 1000;
const XERO_PAGE = 100;
const MAX_PAGES = 200;

/** Every QuickBooks record of a type since a day, page by page. */
export async function quickBooksQuery(
  apiBase: string,
  realmId: string,
  accessToken: string,
  entity: 'Purchase' | 'Bill' | 'VendorCredit',
  since: string,
): Promise<unknown[]> {
  const records: unknown[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `select * from ${entity} where TxnDate >= '${since}' STARTPOSITION ${page * QB_PAGE + 1} MAXRESULTS ${QB_PAGE}`;
    const url = `${apiBase}/v3/company/${encodeURIComponent(realmId)}/query?query=${encodeURIComponent(query)}&minorversion=75`;
    const body = (await getJson(url, { authorization: `Bearer ${accessToken}` })) as {
      QueryResponse?: Record<string, unknown>;
    } | null;
    const found = body?.QueryResponse?.[entity];
    const batch: unknown[] = Array.isArray(found) ? (found as unknown[]) : [];
    records.push(...batch);
    if (batch.length < QB_PAGE) break;
  }
  return records;
}

/** The Xero organisations the token may read (the first is used). */
export async function xeroTenants(
  apiBase: string,
  accessToken: string,
): Promise<{ tenantId: string; tenantName: string | null }[]> {
  const body = await getJson(`${apiBase}/connections`, { authorization: `Bearer ${accessToken}` });
  return (Array.isArray(body) ? body : [])
    .map((c) => c as { tenantId?: unknown; tenantName?: unknown; tenantType?: unknown })
    .filter((c) => typeof c.tenantId === 'string' && (c.tenantType === undefined || c.tenantType === 'ORGANISATION'))
    .map((c) => ({
      tenantId: c.tenantId as string,
      tenantName: typeof c.tenantName === 'string' ? c.tenantName : null,
    }));
}

/** Every Xero record of an endpoint matching `where`, page by page. */
export async function xeroList(
  apiBase: string,
  tenantId: string,
  accessToken: string,
  endpoint: 'BankTransactions' | 'Invoices',
  where: string,
): Promise<unknown[]> {
  const records: unknown[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = `${apiBase}/api.xro/2.0/${endpoint}?where=${encodeURIComponent(where)}&page=${page}`;
    const body = (await getJson(url, { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId })) as Record<
      string,
      unknown
    > | null;
    const found = body?.[endpoint];
    const batch: unknown[] = Array.isArray(found) ? (found as unknown[]) : [];
    records.push(...batch);
    const pageCount = (body?.pagination as { pageCount?: unknown } | undefined)?.pageCount;
    if (batch.length < XERO_PAGE || (typeof pageCount === 'number' && page >= pageCount)) break;
  }
  return records;
}
