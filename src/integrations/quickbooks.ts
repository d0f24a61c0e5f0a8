/**
 * QuickBooks Online: its OAuth (Intuit's revocation takes JSON) and the reads of a sync —
 * Purchases, Bills and VendorCredits since a day, page by page — mapped to cost lines.
 */
import type { OAuthProviderConfig } from '../config.js';
import { quickBooksLines, type MappedRecords } from './mapping.js';
import { OAuthProvider, type WithAccessToken } from './oauth.js';
import { getJson, MAX_PAGES, ProviderError, TIMEOUT_MS } from './provider-http.js';

const PAGE = 1000;

/** Intuit documents a JSON body for its revocation endpoint. */
async function revokeAtIntuit(config: OAuthProviderConfig, refreshToken: string): Promise<void> {
  const response = await fetch(config.revokeUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({ token: refreshToken }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new ProviderError(`the revocation failed (HTTP ${response.status})`, 'failed');
}

export const quickBooksOAuth = (config: OAuthProviderConfig, redirectUri: string): OAuthProvider =>
  new OAuthProvider('quickbooks', config, redirectUri, { revoke: revokeAtIntuit });

type Entity = 'Purchase' | 'Bill' | 'VendorCredit';

/** Every QuickBooks record of a type since a day, page by page. */
async function query(
  apiBase: string,
  realmId: string,
  accessToken: string,
  entity: Entity,
  since: string,
): Promise<unknown[]> {
  const records: unknown[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `select * from ${entity} where TxnDate >= '${since}' STARTPOSITION ${page * PAGE + 1} MAXRESULTS ${PAGE}`;
    const url = `${apiBase}/v3/company/${encodeURIComponent(realmId)}/query?query=${encodeURIComponent(query)}&minorversion=75`;
    const body = (await getJson(url, { authorization: `Bearer ${accessToken}` })) as {
      QueryResponse?: Record<string, unknown>;
    } | null;
    const found = body?.QueryResponse?.[entity];
    const batch: unknown[] = Array.isArray(found) ? (found as unknown[]) : [];
    records.push(...batch);
    if (batch.length < PAGE) break;
  }
  return records;
}

/** A company's spend since a day ('YYYY-MM-DD') as cost lines. */
export async function quickBooksSpend(
  apiBase: string,
  realmId: string,
  since: string,
  withToken: WithAccessToken,
): Promise<MappedRecords> {
  const read = (entity: Entity) => withToken((token) => query(apiBase, realmId, token, entity, since));
  return quickBooksLines({
    Purchase: await read('Purchase'),
    Bill: await read('Bill'),
    VendorCredit: await read('VendorCredit'),
  });
}
