/**
 * Xero: its OAuth (the standard flow), the organisations a token may read, and the reads of
 * a sync — SPEND bank transactions and payable invoices since a month, page by page —
 * mapped to cost lines.
 */
import type { OAuthProviderConfig } from '../config.js';
import { xeroLines, type MappedRecords } from './mapping.js';
import { OAuthProvider, type WithAccessToken } from './oauth.js';
import { getJson, MAX_PAGES } from './provider-http.js';

const PAGE = 100;

export const xeroOAuth = (config: OAuthProviderConfig, redirectUri: string): OAuthProvider =>
  new OAuthProvider('xero', config, redirectUri);

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
async function list(
  apiBase: string,
  tenantId: string,
  accessToken: string,
  endpoint: 'BankTransactions' | 'Invoices' | 'CreditNotes',
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
    if (batch.length < PAGE || (typeof pageCount === 'number' && page >= pageCount)) break;
  }
  return records;
}

/** An organisation's spend since the first day of `since`'s month (UTC) as cost lines. */
export async function xeroSpend(
  apiBase: string,
  tenantId: string,
  since: Date,
  withToken: WithAccessToken,
): Promise<MappedRecords> {
  const sinceXero = `DateTime(${since.getUTCFullYear()}, ${since.getUTCMonth() + 1}, 1)`;
  const spend = await withToken((token) =>
    list(apiBase, tenantId, token, 'BankTransactions', `Type=="SPEND" AND Date>=${sinceXero}`),
  );
  const bills = await withToken((token) =>
    list(apiBase, tenantId, token, 'Invoices', `Type=="ACCPAY" AND Date>=${sinceXero}`),
  );
  // Suppliers' credit notes live at their own endpoint (refunds of spend, negative lines).
  const credits = await withToken((token) =>
    list(apiBase, tenantId, token, 'CreditNotes', `Type=="ACCPAYCREDIT" AND Date>=${sinceXero}`),
  );
  return xeroLines(spend, bills, credits);
}
