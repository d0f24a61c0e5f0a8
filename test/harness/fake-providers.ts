/**
 * QuickBooks Online and Xero for tests: one loopback HTTP server with each provider's OAuth 2
 * endpoints (authorize → redirect with a code; token: authorization_code with PKCE checked,
 * refresh_token, invalid_grant once revoked; revoke) and the API reads a sync makes, answering
 * with the real-format payloads of ../shared/fixtures (copied under test/fixtures/external).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';

import { externalFixture } from './fixtures.js';

type Json = Record<string, unknown>;

export const CLIENT = { id: 'client-abc', secret: 'secret-xyz' };

export interface FakeProviders {
  url: string;
  /** Environment that points the server at this fake (both providers). */
  env: Record<string, string>;
  requests: { method: string; path: string; query: string; body: string }[];
  /** Make the next API reads fail with this HTTP status (0: answer normally). */
  failApiWith: number;
  /** Access tokens the API accepts (a refresh adds one; clear to force a 401). */
  validAccessTokens: Set<string>;
  revokedRefreshTokens: Set<string>;
  close(): Promise<void>;
}

const quickBooksRecords = (stream: 'purchases' | 'bills'): Json[] =>
  externalFixture('quickbooks/purchases_bills_sandbox_records_airbyte.jsonl')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { stream: string; data: Json })
    .filter((line) => line.stream === stream)
    .map(({ data }) => {
      const { airbyte_cursor: _cursor, ...entity } = data; // Airbyte's one added key, not QBO's
      return entity;
    });

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => resolve(body));
  });

export async function startFakeProviders(): Promise<FakeProviders> {
  const challenges = new Map<string, { challenge: string; redirectUri: string; provider: string }>();
  const refreshTokens = new Set<string>();
  let counter = 0;
  const state: Omit<FakeProviders, 'url' | 'env' | 'close'> = {
    requests: [],
    failApiWith: 0,
    validAccessTokens: new Set(),
    revokedRefreshTokens: new Set(),
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      state.requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, body });
      const json = (status: number, value: unknown) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(typeof value === 'string' ? value : JSON.stringify(value));
      };
      const provider = url.pathname.split('/')[1] ?? '';

      if (url.pathname.endsWith('/authorize')) {
        const code = `code-${provider}-${++counter}`;
        challenges.set(code, {
          challenge: url.searchParams.get('code_challenge') ?? '',
          redirectUri: url.searchParams.get('redirect_uri') ?? '',
          provider,
        });
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        if (provider === 'qb') back.searchParams.set('realmId', '9130354470000000');
        res.statusCode = 302;
        res.setHeader('location', back.toString());
        res.end();
        return;
      }

      if (url.pathname.endsWith('/token')) {
        const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
        if (req.headers.authorization !== `Basic ${basic}`) return json(401, { error: 'invalid_client' });
        const form = new URLSearchParams(body);
        const invalidGrant = externalFixture('quickbooks/oauth2_token_error_invalid_grant_body.json');
        // A token answer: QuickBooks' from its fixture (`qbFixture`), Xero's made afresh; the
        // tokens in it are then the ones the API and the refresh endpoint accept.
        const issue = (qbFixture: string) => {
          const answer =
            provider === 'qb'
              ? (JSON.parse(externalFixture(qbFixture)) as { access_token: string; refresh_token: string })
              : xeroTokenSet(++counter);
          state.validAccessTokens.add(answer.access_token);
          refreshTokens.add(answer.refresh_token);
          return json(200, answer);
        };
        if (form.get('grant_type') === 'authorization_code') {
          const pending = challenges.get(form.get('code') ?? '');
          challenges.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const expected = createHash('sha256').update(verifier).digest('base64url');
          if (!pending || pending.challenge !== expected || pending.redirectUri !== form.get('redirect_uri')) {
            return json(400, invalidGrant);
          }
          // Intuit's token answer, as its own client library's fixture has it.
          return issue('quickbooks/oauth2_token_response_oauth-jsclient.json');
        }
        if (form.get('grant_type') === 'refresh_token') {
          const token = form.get('refresh_token') ?? '';
          if (!refreshTokens.has(token) || state.revokedRefreshTokens.has(token)) return json(400, invalidGrant);
          return issue('quickbooks/oauth2_refresh_token_response_dotnet-sdk.json');
        }
        return json(400, { error: 'unsupported_grant_type' });
      }

      if (url.pathname.endsWith('/revoke')) {
        const token =
          provider === 'qb'
            ? ((JSON.parse(body || '{}') as { token?: string }).token ?? '')
            : (new URLSearchParams(body).get('token') ?? '');
        state.revokedRefreshTokens.add(token);
        return json(200, {});
      }

      // The APIs: a valid bearer token first.
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!state.validAccessTokens.has(bearer)) return json(401, { Detail: 'AuthenticationUnsuccessful' });
      if (state.failApiWith)
        return json(state.failApiWith, externalFixture('quickbooks/query_error_fault_exquickbooks.json'));

      if (provider === 'qb' && url.pathname.endsWith('/query')) {
        const query = url.searchParams.get('query') ?? '';
        const entity = /from (\w+)/i.exec(query)?.[1] ?? '';
        const records =
          entity === 'Purchase' ? quickBooksRecords('purchases') : entity === 'Bill' ? quickBooksRecords('bills') : [];
        // The envelope of a real query answer, with these records in place of its Items.
        const envelope = JSON.parse(externalFixture('quickbooks/query_response_envelope_Item_exquickbooks.json')) as {
          QueryResponse: Json;
          time: string;
        };
        return json(200, {
          QueryResponse: { [entity]: records, startPosition: 1, maxResults: records.length },
          time: envelope.time,
        });
      }
      if (provider === 'xero' && url.pathname === '/xero/connections') {
        return json(200, externalFixture('xero/connections_GET_example_openapi.json'));
      }
      if (provider === 'xero' && url.pathname === '/xero/api.xro/2.0/BankTransactions') {
        if (req.headers['xero-tenant-id'] !== 'fe79f7dd-b6d4-4a92-ba7b-538af6289c58')
          return json(403, { Detail: 'tenant' });
        const all = JSON.parse(externalFixture('xero/bank_transactions_GET_example_openapi.json')) as {
          BankTransactions: Json[];
        };
        const spend = JSON.parse(externalFixture('xero/bank_transactions_SPEND_example_openapi.json')) as {
          BankTransactions: Json[];
        };
        return json(200, { ...all, BankTransactions: [...all.BankTransactions, ...spend.BankTransactions] });
      }
      if (provider === 'xero' && url.pathname === '/xero/api.xro/2.0/Invoices') {
        return json(200, externalFixture('xero/invoices_ACCPAY_paged_example_xero-docs.json'));
      }
      if (provider === 'xero' && url.pathname === '/xero/api.xro/2.0/CreditNotes') {
        // The documented answer (a sales credit note and a draft: neither is a supplier's
        // refund), with one authorised supplier credit note of the same shape appended.
        const documented = JSON.parse(
          readFileSync(new URL('../fixtures/xero/credit_notes_GET_example_openapi.json', import.meta.url), 'utf8'),
        ) as { CreditNotes: Json[] };
        const refund = {
          ...documented.CreditNotes[1],
          CreditNoteID: 'c0ffee00-0000-4000-8000-00000000c0de',
          ID: 'c0ffee00-0000-4000-8000-00000000c0de',
          CreditNoteNumber: 'SLACK-CN-1',
          Status: 'AUTHORISED',
          Contact: { ...(documented.CreditNotes[1]!.Contact as Json), Name: 'Slack Technologies' },
          SubTotal: 25,
          TotalTax: 0,
          Total: 25,
          CurrencyCode: 'USD',
        };
        return json(200, { ...documented, CreditNotes: [...documented.CreditNotes, refund] });
      }
      json(404, { error: 'not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const providerEnv = (prefix: string, path: string) => ({
    [`${prefix}_CLIENT_ID`]: CLIENT.id,
    [`${prefix}_CLIENT_SECRET`]: CLIENT.secret,
    [`${prefix}_AUTHORIZE_URL`]: `${base}/${path}/authorize`,
    [`${prefix}_TOKEN_URL`]: `${base}/${path}/token`,
    [`${prefix}_REVOKE_URL`]: `${base}/${path}/revoke`,
    [`${prefix}_API_BASE`]: `${base}/${path}`,
  });
  return Object.assign(state, {
    url: base,
    env: { ...providerEnv('QUICKBOOKS', 'qb'), ...providerEnv('XERO', 'xero') },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Xero's token answer (identity.xero.com/connect/token, the AccessToken schema of xero-identity.yaml). */
function xeroTokenSet(n: number) {
  const mock = JSON.parse(externalFixture('xero/token_set_after_refresh_xero-node-mock.json')) as { scope: string };
  return {
    id_token: `id.${n}`,
    access_token: `xero-access-${n}`,
    expires_in: 1800,
    token_type: 'Bearer',
    refresh_token: `xero-refresh-${n}`,
    scope: mock.scope,
  };
}
