/**
 * What every provider client shares: the error kinds, and a JSON GET with a timeout that
 * waits out rate limits the way each provider says (Graph and Xero: `Retry-After`, in
 * seconds, Graph's fractional; Okta: `X-Rate-Limit-Reset`, an epoch second; Google: no
 * header, so exponential backoff), names the provider's error in its own format, and hands
 * back the headers (Okta pages with `Link`). Written here rather than taken from each
 * vendor's SDK: five SDKs (googleapis alone is ~100 MB) for a few GETs each, and tests need
 * every client to speak to a loopback server, which the configured URLs allow.
 */

export const TIMEOUT_MS = 20_000;
/** The most pages of one kind of record a sync reads. */
export const MAX_PAGES = 200;

/**
 * invalid_grant: the credential is dead (a refresh token revoked, an API token refused), the
 * admin must connect again; unauthorized: the access token was refused (refresh and retry once).
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid_grant' | 'unauthorized' | 'failed',
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface JsonAnswer {
  body: unknown;
  headers: Headers;
}

export interface Dialect {
  /** True for an answer that asks to slow down (a 429, Google's 403 rateLimitExceeded). */
  rateLimited(status: number, body: unknown): boolean;
  /** How long to wait before attempt `attempt` (1-based) after a rate-limited answer. */
  waitMs(headers: Headers, attempt: number): number;
  /** The provider's own words for an error answer, if it has any. */
  describe(body: unknown): string | undefined;
  /** An answer meaning the stored credential is dead (connect again), beyond a refused token. */
  dead?(status: number, body: unknown): boolean;
  /** A 401 means a dead credential (an API token) rather than an access token to refresh. */
  unauthorizedIsDead?: boolean;
}

/** Rate-limited answers waited out before giving up (the sync is then retried later with backoff). */
export const RATE_LIMIT_ATTEMPTS = 4;
/** The longest wait for one rate limit; beyond it the sync fails and is retried later. */
export const MAX_WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function getProviderJson(
  url: string,
  headers: Record<string, string>,
  dialect: Dialect,
): Promise<JsonAnswer> {
  const host = new URL(url).host;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', ...headers },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        // A redirect would carry the credential to wherever it points: providers' APIs do not redirect.
        redirect: 'error',
      });
    } catch (error) {
      throw new ProviderError(`${host} did not answer: ${(error as Error).message}`, 'failed');
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok) throw new ProviderError(`${host} answered HTTP ${response.status} with no JSON`, 'failed');
    }
    if (response.ok) return { body, headers: response.headers };
    const detail = dialect.describe(body);
    const said = `${host} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
    if (response.status === 401)
      throw new ProviderError(said, dialect.unauthorizedIsDead ? 'invalid_grant' : 'unauthorized');
    if (dialect.dead?.(response.status, body)) throw new ProviderError(said, 'invalid_grant');
    if (dialect.rateLimited(response.status, body) && attempt < RATE_LIMIT_ATTEMPTS) {
      const wait = dialect.waitMs(response.headers, attempt);
      if (wait <= MAX_WAIT_MS) {
        await sleep(Math.max(0, wait));
        continue;
      }
    }
    throw new ProviderError(said, 'failed');
  }
}

/**
 * A next-page link the provider sent, if it stays on the origin it came from: a link to
 * another host would get the credential. A foreign one is an error, not an end of pages.
 */
export function sameOrigin(next: string | null | undefined, from: string): string | undefined {
  if (!next) return undefined;
  const url = new URL(next, from);
  if (url.origin !== new URL(from).origin)
    throw new ProviderError(`the next page is on another host (${url.host})`, 'failed');
  return url.toString();
}

/** A list longer than a sync reads: it fails rather than store counts of part of it. */
export const tooManyPages = (path: string) =>
  new ProviderError(`${path} has more than ${MAX_PAGES} pages: the sync stops rather than count part of it`, 'failed');

/** Seconds (possibly fractional) of a `Retry-After` header; `fallback` ms when absent. */
export function retryAfterMs(headers: Headers, fallback: number): number {
  const value = Number(headers.get('retry-after'));
  return Number.isFinite(value) && value >= 0 ? value * 1000 : fallback;
}

/** A date the provider sent; null for the "never" markers (1970, year 0001) and nonsense. */
export function providerDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 2000 ? null : date;
}

/** QuickBooks' {"Fault": {"Error": [{"Message", "Detail"}]}} and Xero's {"Title", "Detail"}; both throttle with 429. */
const accounting: Dialect = {
  rateLimited: (status) => status === 429,
  waitMs: (headers, attempt) => retryAfterMs(headers, 1000 * 2 ** (attempt - 1)),
  describe: (body) => {
    const fault = (body as { Fault?: { Error?: { Message?: string; Detail?: string }[] } } | null)?.Fault?.Error?.[0];
    return fault ? `${fault.Message ?? ''} ${fault.Detail ?? ''}`.trim() : (body as { Detail?: string } | null)?.Detail;
  },
};

/** A GET of QuickBooks' or Xero's API as JSON (the body only). */
export async function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  return (await getProviderJson(url, headers, accounting)).body;
}
