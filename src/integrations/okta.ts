/**
 * Okta, with an API token (`Authorization: SSWS …`, made by a read-only administrator): the
 * reads of a sync — the org's active apps and each app's assigned users, and the System Log's
 * `user.authentication.sso` events of the last 90 days (who signed in to which app) — counted
 * per app. Pages come in `Link: <…>; rel="next"` headers; the System Log's polling queries
 * always carry a next link, so its reads give `until` and stop on an empty page too.
 * Disconnecting revokes the token (`DELETE /api/v1/api-tokens/current`).
 */
import { UsageTally, type AppUsage } from '../domain/app-usage.js';
import {
  getProviderJson,
  MAX_PAGES,
  ProviderError,
  TIMEOUT_MS,
  type Dialect,
  sameOrigin,
  tooManyPages,
} from './provider-http.js';

/** Okta's errors: {"errorCode": "E0000011", "errorSummary": "Invalid token provided", …}. */
const okta: Dialect = {
  rateLimited: (status) => status === 429,
  // X-Rate-Limit-Reset: the epoch second the limit resets.
  waitMs: (headers) => {
    const reset = Number(headers.get('x-rate-limit-reset'));
    return Number.isFinite(reset) && reset > 0 ? reset * 1000 - Date.now() + 250 : 1000;
  },
  describe: (body) => {
    const b = body as { errorCode?: string; errorSummary?: string } | null;
    return b?.errorCode ? `${b.errorCode} ${b.errorSummary ?? ''}`.trim() : undefined;
  },
  // An API token is the credential: refused, it is revoked, expired (30 days unused) or its admin gone.
  unauthorizedIsDead: true,
};

const DAY_MS = 86_400_000;

/** The `rel="next"` URL of Okta's Link headers (one header line per link, or joined by commas). */
export function nextLink(headers: Headers): string | null {
  for (const part of (headers.get('link') ?? '').split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1]!;
  }
  return null;
}

/** An Okta org's URL as an admin may give it: https on Okta's domains (http to loopback only when allowed, for tests). */
export function oktaOrgUrl(input: string, allowLoopback: boolean): string | null {
  let url: URL;
  try {
    url = new URL(input.trim().includes('://') ? input.trim() : `https://${input.trim()}`);
  } catch {
    return null;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(allowLoopback && loopback && url.protocol === 'http:')) return null;
  // Only Okta's own domains (an admin could otherwise make this server call any host); a
  // custom Okta domain is given by its okta.com/oktapreview.com name instead.
  if (!loopback && !/\.(okta|oktapreview|okta-emea|okta-gov|okta-miltest)\.com$/.test(url.hostname)) return null;
  if (loopback && !allowLoopback) return null;
  return url.origin;
}

async function all<T>(first: string, token: string, stopOnEmpty = false): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = first;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const { body, headers } = await getProviderJson(next, { authorization: `SSWS ${token}` }, okta);
    const batch = Array.isArray(body) ? (body as T[]) : [];
    items.push(...batch);
    if (stopOnEmpty && batch.length === 0) return items;
    next = sameOrigin(nextLink(headers), first) ?? null;
  }
  if (next) throw tooManyPages(new URL(first).pathname);
  return items;
}

interface OktaApp {
  id?: string;
  label?: string;
  status?: string;
  /** Sign-on settings: SAML ACS URL and audience, OIDC redirect URIs, bookmark URL… */
  settings?: unknown;
}

/** Every URL in an app's settings (sign-in, audience, redirect, bookmark). */
const urlsIn = (settings: unknown): string[] => JSON.stringify(settings ?? {}).match(/https?:\/\/[^"\s\\]+/g) ?? [];
interface LogEvent {
  published?: string;
  actor?: { alternateId?: string };
  target?: { id?: string; type?: string; displayName?: string }[];
}

/** Checks the token by reading one user (answers the error to show the admin). */
export async function checkOktaToken(orgUrl: string, token: string): Promise<void> {
  await getProviderJson(`${orgUrl}/api/v1/users?limit=1`, { authorization: `SSWS ${token}` }, okta);
}

export async function oktaUsage(orgUrl: string, token: string, now = new Date()): Promise<AppUsage[]> {
  const tally = new UsageTally();
  const apps = await all<OktaApp>(
    `${orgUrl}/api/v1/apps?limit=200&filter=${encodeURIComponent('status eq "ACTIVE"')}`,
    token,
  );
  const labelOf = new Map<string, string>();
  for (const app of apps) {
    if (!app.id || !app.label) continue;
    labelOf.set(app.id, app.label);
    tally.declare(app.label).urls(app.label, urlsIn(app.settings));
    const assigned = await all<{ id?: string; credentials?: { userName?: string } }>(
      `${orgUrl}/api/v1/apps/${encodeURIComponent(app.id)}/users?limit=500`,
      token,
    );
    for (const user of assigned) tally.assign(app.label, user.credentials?.userName ?? user.id ?? '');
  }
  const since = new Date(now.getTime() - 90 * DAY_MS).toISOString();
  const events = await all<LogEvent>(
    `${orgUrl}/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(now.toISOString())}&limit=1000&filter=${encodeURIComponent('eventType eq "user.authentication.sso"')}`,
    token,
    true,
  );
  for (const event of events) {
    const app = event.target?.find((t) => t.type === 'AppInstance');
    const person = event.actor?.alternateId;
    const label = app?.id ? (labelOf.get(app.id) ?? app.displayName) : undefined;
    if (label && person) tally.seen(label, person, event.published ? new Date(event.published) : null);
  }
  return tally.result(now);
}

/** Revokes the API token itself (best effort: the caller deletes it anyway). */
export async function revokeOktaToken(orgUrl: string, token: string): Promise<void> {
  const response = await fetch(`${orgUrl}/api/v1/api-tokens/current`, {
    method: 'DELETE',
    headers: { authorization: `SSWS ${token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'error',
  });
  if (!response.ok && response.status !== 401)
    throw new ProviderError(`Okta answered HTTP ${response.status} to the revocation`, 'failed');
}
