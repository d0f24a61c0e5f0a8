/**
 * Microsoft 365 through Microsoft Graph: OAuth 2 with PKCE (refresh tokens rotate: each
 * refresh's new one is kept), and the reads of a sync — `subscribedSkus` (licences bought and
 * assigned), users with their `assignedLicenses` and `signInActivity` (who is active on
 * each licence), the sign-in log of the last 90 days and the service principals that name its
 * apps (who used which app) — counted per app. Entra ID has no token revocation endpoint:
 * disconnecting deletes the tokens (an admin removes the consent in Entra to end it there).
 */
import type { OAuthProviderConfig } from '../config.js';
import { UsageTally, type AppUsage } from '../domain/app-usage.js';
import { OAuthProvider, type WithAccessToken } from './oauth.js';
import {
  getProviderJson,
  MAX_PAGES,
  ProviderError,
  providerDate,
  retryAfterMs,
  sameOrigin,
  tooManyPages,
  type Dialect,
} from './provider-http.js';

export const microsoftOAuth = (config: OAuthProviderConfig, redirectUri: string): OAuthProvider =>
  new OAuthProvider('microsoft', config, redirectUri);

/** Graph's errors: {"error": {"code", "message", "innerError"}}; throttling is 429 with Retry-After. */
const graph: Dialect = {
  rateLimited: (status) => status === 429 || status === 503,
  waitMs: (headers, attempt) => retryAfterMs(headers, 1000 * 2 ** (attempt - 1)),
  describe: (body) => {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    return error ? `${error.code ?? ''} ${error.message ?? ''}`.trim() : undefined;
  },
};

const DAY_MS = 86_400_000;

/** Licences (skuPartNumber) as the catalog's tools; others keep Microsoft's part number. */
const SKU_TOOLS: [RegExp, string][] = [
  [/^(SPE_|ENTERPRISEPACK|ENTERPRISEPREMIUM|STANDARDPACK|O365_BUSINESS|SPB$|M365|OFFICESUBSCRIPTION)/, 'Microsoft 365'],
  [/^TEAMS/, 'Microsoft Teams'],
  [/^POWER_BI/, 'Power BI'],
  [/^(EMS|AAD_PREMIUM|INTUNE)/, 'Microsoft Entra ID'],
  [/COPILOT/, 'Microsoft 365 Copilot'],
];
const skuTool = (part: string) => SKU_TOOLS.find(([pattern]) => pattern.test(part))?.[1] ?? part;

/**
 * A licence someone pays for: enabled, and not one of the free, trial or self-service SKUs
 * Microsoft counts in the thousands (POWER_BI_STANDARD reports about a million "bought").
 */
const paidSku = (sku: Sku) =>
  (sku.capabilityStatus === undefined || sku.capabilityStatus === 'Enabled') &&
  !/(FREE|TRIAL|VIRAL|EXPLORATORY|DEVELOPER|POWER_BI_STANDARD|FLOW_|POWERAPPS_VIRAL)/.test(sku.skuPartNumber ?? '');

/** Every page of a Graph collection: `@odata.nextLink` followed as given. */
async function collection<T>(first: string, withToken: WithAccessToken): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = first;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const url: string = next;
    const { body } = await withToken((token) => getProviderJson(url, { authorization: `Bearer ${token}` }, graph));
    const value = (body as { value?: unknown } | null)?.value;
    if (Array.isArray(value)) items.push(...(value as T[]));
    next = sameOrigin((body as { '@odata.nextLink'?: string } | null)?.['@odata.nextLink'], first);
  }
  if (next) throw tooManyPages(new URL(first).pathname);
  return items;
}

interface Sku {
  skuId?: string;
  skuPartNumber?: string;
  capabilityStatus?: string;
  consumedUnits?: number;
  prepaidUnits?: { enabled?: number };
}
interface User {
  userPrincipalName?: string;
  accountEnabled?: boolean;
  assignedLicenses?: { skuId?: string }[];
  signInActivity?: { lastSignInDateTime?: string | null; lastNonInteractiveSignInDateTime?: string | null } | null;
}
interface SignIn {
  appId?: string;
  appDisplayName?: string;
  userPrincipalName?: string;
  createdDateTime?: string;
}

const latest = (...dates: (Date | null)[]) => dates.reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null);

export async function microsoftUsage(
  apiBase: string,
  withToken: WithAccessToken,
  now = new Date(),
): Promise<AppUsage[]> {
  const tally = new UsageTally();
  const skus = await collection<Sku>(`${apiBase}/subscribedSkus`, withToken);
  const toolOfSku = new Map<string, string>();
  for (const sku of skus) {
    if (!sku.skuId || !paidSku(sku)) continue;
    const tool = skuTool(sku.skuPartNumber ?? sku.skuId);
    toolOfSku.set(sku.skuId, tool);
    tally
      .evidence(tool, 'licence')
      .purchased(tool, sku.prepaidUnits?.enabled ?? 0)
      .assignedCount(tool, sku.consumedUnits ?? 0);
  }
  // Sign-in activity needs an Entra ID P1/P2 licence: without one, licences are still counted
  // (bought, assigned), with nobody known active — which the analysis does not use.
  let premium = true;
  const users = await collection<User>(
    `${apiBase}/users?$select=id,userPrincipalName,accountEnabled,assignedLicenses,signInActivity&$top=500`,
    withToken,
  ).catch(async (error: unknown) => {
    if (!(error instanceof ProviderError) || !error.message.includes('NonPremium')) throw error;
    premium = false;
    return collection<User>(
      `${apiBase}/users?$select=id,userPrincipalName,accountEnabled,assignedLicenses&$top=999`,
      withToken,
    );
  });
  for (const user of users) {
    if (!user.userPrincipalName || user.accountEnabled === false) continue;
    const lastSignIn = latest(
      providerDate(user.signInActivity?.lastSignInDateTime),
      providerDate(user.signInActivity?.lastNonInteractiveSignInDateTime),
    );
    for (const licence of user.assignedLicenses ?? []) {
      const tool = licence.skuId ? toolOfSku.get(licence.skuId) : undefined;
      if (tool) tally.seen(tool, user.userPrincipalName, lastSignIn);
    }
  }
  if (!premium) return tally.result(now);
  // Who signed in to which app (the apps behind Entra ID single sign-on), named by their service
  // principal. Entra keeps sign-in logs 30 days (P1/P2): older activity comes from signInActivity only.
  const principals = await collection<{
    appId?: string;
    displayName?: string;
    homepage?: string;
    replyUrls?: string[];
  }>(`${apiBase}/servicePrincipals?$select=appId,displayName,homepage,replyUrls&$top=999`, withToken);
  const names = new Map(principals.flatMap((p) => (p.appId && p.displayName ? [[p.appId, p.displayName]] : [])));
  // Their home and reply URLs identify the tool where the name does not ("Contoso CRM" on salesforce.com).
  const urls = new Map(
    principals.flatMap((p) => (p.displayName ? [[p.displayName, [p.homepage, ...(p.replyUrls ?? [])]]] : [])),
  );
  const since = new Date(now.getTime() - 90 * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z');
  const signIns = await collection<SignIn>(
    `${apiBase}/auditLogs/signIns?$filter=${encodeURIComponent(`createdDateTime ge ${since}`)}&$top=1000`,
    withToken,
  );
  for (const signIn of signIns) {
    const app = (signIn.appId && names.get(signIn.appId)) || signIn.appDisplayName;
    if (app && signIn.userPrincipalName)
      tally.seen(app, signIn.userPrincipalName, providerDate(signIn.createdDateTime)).urls(app, urls.get(app) ?? []);
  }
  return tally.result(now);
}
