/**
 * Google Workspace: OAuth 2 (offline access, so a refresh token comes back; PKCE), and the
 * reads of a sync — the Admin SDK Directory's users (suspended or not, last login) and the
 * Reports API's `login` activity (Google Workspace itself) and `token` activity (which
 * third-party apps each person authorised and used) over the last 90 days — counted per app.
 */
import type { OAuthProviderConfig } from '../config.js';
import { UsageTally, type AppUsage } from '../domain/app-usage.js';
import { OAuthProvider, type WithAccessToken } from './oauth.js';
import { getProviderJson, MAX_PAGES, providerDate, type Dialect, tooManyPages } from './provider-http.js';

export const googleOAuth = (config: OAuthProviderConfig, redirectUri: string): OAuthProvider =>
  new OAuthProvider('google', config, redirectUri, {
    // A refresh token only with offline access, and again on each consent.
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
  });

/** Google's errors: {"error": {"code", "message", "errors": [{"reason"}], "status"}}. */
const google: Dialect = {
  rateLimited: (status, body) =>
    status === 429 ||
    (status === 403 &&
      ['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded'].includes(
        (body as { error?: { errors?: { reason?: string }[] } } | null)?.error?.errors?.[0]?.reason ?? '',
      )),
  // No Retry-After from Google: 1 s, 2 s, 4 s.
  waitMs: (_headers, attempt) => 1000 * 2 ** (attempt - 1),
  describe: (body) => (body as { error?: { message?: string } } | null)?.error?.message,
};

const WORKSPACE = 'Google Workspace';
const DAY_MS = 86_400_000;

/** Every page of a Google list (`nextPageToken` → `pageToken`; absent on the last page). */
async function pages<T>(first: string, withToken: WithAccessToken, itemsOf: (body: unknown) => T[]): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(first);
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    const { body } = await withToken((token) =>
      getProviderJson(url.toString(), { authorization: `Bearer ${token}` }, google),
    );
    items.push(...itemsOf(body));
    pageToken = (body as { nextPageToken?: string } | null)?.nextPageToken;
    if (!pageToken) return items;
  }
  throw tooManyPages(new URL(first).pathname);
}

interface DirectoryUser {
  primaryEmail?: string;
  suspended?: boolean;
  archived?: boolean;
  lastLoginTime?: string;
}

interface Activity {
  id?: { time?: string };
  actor?: { email?: string };
  events?: { name?: string; parameters?: { name?: string; value?: string }[] }[];
}

const listOf =
  <T>(key: string) =>
  (body: unknown): T[] => {
    const found = (body as Record<string, unknown> | null)?.[key];
    return Array.isArray(found) ? (found as T[]) : [];
  };

export async function googleUsage(apiBase: string, withToken: WithAccessToken, now = new Date()): Promise<AppUsage[]> {
  const tally = new UsageTally();
  const users = await pages<DirectoryUser>(
    `${apiBase}/admin/directory/v1/users?customer=my_customer&maxResults=500&projection=basic`,
    withToken,
    listOf('users'),
  );
  for (const user of users) {
    if (!user.primaryEmail || user.suspended || user.archived) continue;
    tally.assign(WORKSPACE, user.primaryEmail).seen(WORKSPACE, user.primaryEmail, providerDate(user.lastLoginTime));
  }
  const startTime = new Date(now.getTime() - 90 * DAY_MS).toISOString();
  const activity = (application: 'login' | 'token') =>
    pages<Activity>(
      `${apiBase}/admin/reports/v1/activity/users/all/applications/${application}?maxResults=1000&startTime=${encodeURIComponent(startTime)}`,
      withToken,
      listOf('items'),
    );
  for (const item of await activity('login')) {
    const email = item.actor?.email;
    if (email && item.events?.some((e) => e.name === 'login_success'))
      tally.seen(WORKSPACE, email, providerDate(item.id?.time));
  }
  for (const item of await activity('token')) {
    const email = item.actor?.email;
    if (!email) continue;
    for (const event of item.events ?? []) {
      if (event.name !== 'authorize' && event.name !== 'activity') continue;
      const app = event.parameters?.find((p) => p.name === 'app_name')?.value;
      if (!app) continue;
      // A grant says the app may read the person's Google data, not that they use the app daily.
      tally.evidence(app, 'oauth_grant').seen(app, email, providerDate(item.id?.time));
      if (event.name === 'authorize') tally.assign(app, email);
    }
  }
  return tally.result(now);
}
