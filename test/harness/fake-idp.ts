/**
 * Google Workspace, Microsoft 365 (Graph) and Okta for tests: one loopback HTTP server that
 * speaks each provider's documented formats (research notes: Google's Admin SDK Directory and
 * Reports discovery documents, Graph's v1.0 reference, Okta's management OpenAPI):
 * - OAuth 2 (Google, Microsoft): authorize → redirect with a code; token with PKCE and client
 *   authentication checked; refresh (Google keeps the refresh token, Microsoft rotates it);
 *   a revoked grant answers `invalid_grant` in each one's error shape; Google's revoke.
 * - Paging as each pages: Google `nextPageToken`, Graph `@odata.nextLink`, Okta `Link` headers
 *   (the System Log's polling queries always announce a next page, even an empty one).
 * - Rate limits once per test run when asked: Google 403 `rateLimitExceeded` (no header),
 *   Graph 429 `Retry-After: 0.05`, Okta 429 `X-Rate-Limit-Reset` (epoch seconds).
 * - Okta's API tokens (`SSWS`): a revoked one answers 401 E0000011.
 * The people and their activity are dated from the moment the fake starts.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export const IDP_CLIENT = { id: 'idp-client', secret: 'idp-secret' };
export const OKTA_TOKEN = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';

const DAY_MS = 86_400_000;

export interface FakeIdp {
  url: string;
  env: Record<string, string>;
  requests: { method: string; path: string; query: string; authorization: string }[];
  /** Answer the next read of each of these with the provider's rate-limit answer (once each). */
  rateLimitOnce: Set<'google' | 'microsoft' | 'okta'>;
  /** Access tokens the APIs accept (clear to force a refresh). */
  validAccessTokens: Set<string>;
  revokedRefreshTokens: Set<string>;
  /** Refresh tokens issued, in order (Microsoft's rotate). */
  issuedRefreshTokens: string[];
  revokedOktaTokens: Set<string>;
  /** Milliseconds Okta takes to answer each read (a slow org). */
  oktaDelayMs: number;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => resolve(body));
  });

export async function startFakeIdp(): Promise<FakeIdp> {
  const started = Date.now();
  const ago = (days: number) => new Date(started - days * DAY_MS).toISOString();
  const challenges = new Map<string, { challenge: string; redirectUri: string }>();
  const refreshTokens = new Set<string>();
  let counter = 0;
  const state: Omit<FakeIdp, 'url' | 'env' | 'close'> = {
    requests: [],
    rateLimitOnce: new Set(),
    validAccessTokens: new Set(),
    revokedRefreshTokens: new Set(),
    issuedRefreshTokens: [],
    revokedOktaTokens: new Set(),
    oktaDelayMs: 0,
  };
  let base = '';

  // ── Google: four people (one suspended, one who never logged in) and their activity ──
  const googleUsers = [
    { primaryEmail: 'ann@acme.test', suspended: false, lastLoginTime: ago(5) },
    { primaryEmail: 'bob@acme.test', suspended: false, lastLoginTime: ago(40) },
    { primaryEmail: 'cid@acme.test', suspended: false, lastLoginTime: '1970-01-01T00:00:00.000Z' },
    { primaryEmail: 'dee@acme.test', suspended: true, lastLoginTime: ago(1) },
  ].map((u) => ({ kind: 'admin#directory#user', id: u.primaryEmail, name: { fullName: u.primaryEmail }, ...u }));
  const activity = (application: string, email: string, days: number, name: string, app?: string) => ({
    kind: 'admin#reports#activity',
    id: { time: ago(days), uniqueQualifier: String(++counter), applicationName: application, customerId: 'C03abc123' },
    actor: { email, profileId: email, callerType: 'USER' },
    events: [
      {
        type: application === 'token' ? 'auth' : 'login',
        name,
        parameters: app
          ? [
              { name: 'client_id', value: `${app}.apps.googleusercontent.com` },
              { name: 'app_name', value: app },
              { name: 'client_type', value: 'WEB' },
              { name: 'scope', multiValue: ['openid', 'email'] },
            ]
          : [{ name: 'login_type', value: 'google_password' }],
      },
    ],
  });
  const googleActivity: Record<string, unknown[]> = {
    login: [
      activity('login', 'bob@acme.test', 10, 'login_success'),
      activity('login', 'cid@acme.test', 2, 'login_failure'),
    ],
    token: [
      activity('token', 'ann@acme.test', 20, 'authorize', 'Slack'),
      activity('token', 'bob@acme.test', 60, 'activity', 'Slack'),
      activity('token', 'cid@acme.test', 3, 'authorize', 'Shady PDF Converter'),
    ],
  };

  // ── Microsoft: an E3 subscription, four users (one disabled, one never signed in), sign-ins ──
  const skus = [
    {
      accountName: 'acme',
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 3,
      id: 'acme_sku-e3',
      prepaidUnits: { enabled: 25, lockedOut: 0, suspended: 0, warning: 0 },
      skuId: 'sku-e3',
      skuPartNumber: 'ENTERPRISEPACK',
    },
  ];
  const e3 = [{ disabledPlans: [], skuId: 'sku-e3' }];
  const graphUsers = [
    {
      id: '1',
      userPrincipalName: 'ann@acme.test',
      accountEnabled: true,
      assignedLicenses: e3,
      signInActivity: { lastSignInDateTime: ago(2), lastNonInteractiveSignInDateTime: '0001-01-01T00:00:00Z' },
    },
    {
      id: '2',
      userPrincipalName: 'bob@acme.test',
      accountEnabled: true,
      assignedLicenses: e3,
      signInActivity: { lastSignInDateTime: ago(80), lastNonInteractiveSignInDateTime: ago(45) },
    },
    {
      id: '3',
      userPrincipalName: 'cid@acme.test',
      accountEnabled: true,
      assignedLicenses: e3,
      signInActivity: { lastSignInDateTime: '0001-01-01T00:00:00Z', lastSignInRequestId: '' },
    },
    { id: '4', userPrincipalName: 'dee@acme.test', accountEnabled: false, assignedLicenses: e3, signInActivity: null },
  ];
  const signIns = [
    {
      id: 's1',
      createdDateTime: ago(3),
      userPrincipalName: 'ann@acme.test',
      appId: 'app-zoom',
      appDisplayName: 'ZoomApp',
    },
    { id: 's2', createdDateTime: ago(50), userPrincipalName: 'bob@acme.test', appId: 'app-x', appDisplayName: 'Miro' },
  ];

  // ── Okta: two active apps (one inactive), their users, SSO events ──
  const oktaApps = [
    { id: '0oa1', name: 'slack', label: 'Slack', status: 'ACTIVE', signOnMode: 'SAML_2_0' },
    // Named by the admin; its SAML settings' URLs say what it is.
    {
      id: '0oa2',
      name: 'contoso_crm',
      label: 'Contoso CRM',
      status: 'ACTIVE',
      signOnMode: 'SAML_2_0',
      settings: {
        app: {},
        signOn: {
          ssoAcsUrl: 'https://contoso.my.salesforce.com/?so=00D5g0000000001',
          audience: 'https://saml.salesforce.com',
        },
      },
    },
    { id: '0oa3', name: 'old', label: 'Old Wiki', status: 'INACTIVE', signOnMode: 'SAML_2_0' },
  ];
  const oktaAppUsers: Record<string, string[]> = {
    '0oa1': ['ann@acme.test', 'bob@acme.test'],
    '0oa2': ['ann@acme.test'],
  };
  const sso = (person: string, appId: string, days: number) => ({
    uuid: `evt-${++counter}`,
    published: ago(days),
    eventType: 'user.authentication.sso',
    displayMessage: 'User single sign on to app',
    severity: 'INFO',
    actor: { id: `00u-${person}`, type: 'User', alternateId: person, displayName: person, detailEntry: null },
    outcome: { result: 'SUCCESS', reason: null },
    target: [
      { id: `0ua-${person}`, type: 'AppUser', alternateId: person, displayName: person, detailEntry: null },
      {
        id: appId,
        type: 'AppInstance',
        alternateId: appId,
        displayName: appId,
        detailEntry: { signOnModeType: 'SAML_2_0' },
      },
    ],
  });
  const oktaEvents = [sso('ann@acme.test', '0oa1', 5), sso('bob@acme.test', '0oa1', 70)];

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      const authorization = req.headers.authorization ?? '';
      state.requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, authorization });
      const json = (status: number, value: unknown, headers: Record<string, string | string[]> = {}) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        for (const [name, v] of Object.entries(headers)) res.setHeader(name, v);
        res.end(JSON.stringify(value));
      };
      // Okta is an org's own origin (its API at /api/v1); the others under /google, /microsoft.
      const provider = url.pathname.startsWith('/api/v1/') ? 'okta' : (url.pathname.split('/')[1] ?? '');

      // ── OAuth (google, microsoft) ──
      if (url.pathname === `/${provider}/authorize`) {
        const code = `code-${provider}-${++counter}`;
        challenges.set(code, {
          challenge: url.searchParams.get('code_challenge') ?? '',
          redirectUri: url.searchParams.get('redirect_uri') ?? '',
        });
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.statusCode = 302;
        res.setHeader('location', back.toString());
        res.end();
        return;
      }
      const invalidGrant =
        provider === 'microsoft'
          ? {
              error: 'invalid_grant',
              error_description:
                'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.',
              error_codes: [50173],
              timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19),
              trace_id: 'trace',
              correlation_id: 'correlation',
            }
          : { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };
      if (url.pathname === `/${provider}/token`) {
        const basic = Buffer.from(`${IDP_CLIENT.id}:${IDP_CLIENT.secret}`).toString('base64');
        if (authorization !== `Basic ${basic}`) return json(401, { error: 'invalid_client' });
        const form = new URLSearchParams(body);
        const issue = (refresh: string | null) => {
          const access = `${provider}-access-${++counter}`;
          state.validAccessTokens.add(access);
          const answer: Record<string, unknown> = {
            access_token: access,
            expires_in: 3599,
            token_type: 'Bearer',
            scope: 'x',
          };
          if (refresh) {
            refreshTokens.add(refresh);
            state.issuedRefreshTokens.push(refresh);
            answer.refresh_token = refresh;
          }
          return json(200, answer);
        };
        if (form.get('grant_type') === 'authorization_code') {
          const pending = challenges.get(form.get('code') ?? '');
          challenges.delete(form.get('code') ?? '');
          const expected = createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest('base64url');
          if (!pending || pending.challenge !== expected || pending.redirectUri !== form.get('redirect_uri'))
            return json(400, invalidGrant);
          return issue(`${provider}-refresh-${++counter}`);
        }
        if (form.get('grant_type') === 'refresh_token') {
          const token = form.get('refresh_token') ?? '';
          if (!refreshTokens.has(token) || state.revokedRefreshTokens.has(token)) return json(400, invalidGrant);
          // Google keeps the refresh token (none in the answer); Microsoft's rotate.
          return issue(provider === 'microsoft' ? `${provider}-refresh-${++counter}` : null);
        }
        return json(400, { error: 'unsupported_grant_type' });
      }
      if (provider === 'google' && url.pathname === '/google/revoke') {
        const token = new URLSearchParams(body).get('token') ?? url.searchParams.get('token') ?? '';
        if (!refreshTokens.has(token))
          return json(400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
        state.revokedRefreshTokens.add(token);
        res.statusCode = 200;
        return res.end();
      }

      // ── Okta (API token) ──
      if (provider === 'okta') {
        if (state.oktaDelayMs) await new Promise((r) => setTimeout(r, state.oktaDelayMs));
        const token = authorization.replace(/^SSWS /, '');
        if (!authorization.startsWith('SSWS ') || token !== OKTA_TOKEN || state.revokedOktaTokens.has(token))
          return json(401, {
            errorCode: 'E0000011',
            errorSummary: 'Invalid token provided',
            errorLink: 'E0000011',
            errorId: 'sampleQPivGUj_ND5v78vbYWW',
            errorCauses: [],
          });
        const limits = {
          'x-rate-limit-limit': '600',
          'x-rate-limit-remaining': '599',
          'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000)),
        };
        if (req.method === 'DELETE' && url.pathname === '/api/v1/api-tokens/current') {
          state.revokedOktaTokens.add(token);
          res.statusCode = 204;
          return res.end();
        }
        if (state.rateLimitOnce.delete('okta'))
          return json(
            429,
            {
              errorCode: 'E0000047',
              errorSummary: 'API call exceeded rate limit due to too many requests.',
              errorLink: 'E0000047',
              errorId: 'x',
              errorCauses: [],
            },
            { ...limits, 'x-rate-limit-remaining': '0' },
          );
        // One record a page: `after` is the index of the next one.
        const page = <T>(items: T[], path: string, extra = '') => {
          const after = Number(url.searchParams.get('after') ?? 0);
          const self = `<${base}${path}?${url.searchParams.toString()}>; rel="self"`;
          const links = [self];
          const nextParams = new URLSearchParams(url.searchParams);
          nextParams.set('after', String(after + 1));
          if (after + 1 < items.length || extra === 'always')
            links.push(`<${base}${path}?${nextParams.toString()}>; rel="next"`);
          return json(200, items.slice(after, after + 1), { ...limits, link: links });
        };
        if (url.pathname === '/api/v1/users') return page([{ id: '00u1', status: 'ACTIVE' }], url.pathname);
        if (url.pathname === '/api/v1/apps') {
          const filter = url.searchParams.get('filter');
          const apps = filter === 'status eq "ACTIVE"' ? oktaApps.filter((a) => a.status === 'ACTIVE') : oktaApps;
          return page(apps, url.pathname);
        }
        const appUsers = /^\/api\/v1\/apps\/([^/]+)\/users$/.exec(url.pathname);
        if (appUsers) {
          const users = (oktaAppUsers[appUsers[1]!] ?? []).map((email, i) => ({
            id: `00u${i}`,
            scope: 'USER',
            status: 'ACTIVE',
            credentials: { userName: email },
          }));
          return page(users, url.pathname);
        }
        if (url.pathname === '/api/v1/logs') {
          if (url.searchParams.get('filter') !== 'eventType eq "user.authentication.sso"')
            return json(400, { errorCode: 'E0000031' });
          const since = Date.parse(url.searchParams.get('since') ?? '');
          const events = oktaEvents.filter((e) => Date.parse(e.published) >= since);
          // Polling queries (no `until`) always announce a next page; bounded ones too here,
          // so the client must stop on an empty page.
          return page(events, url.pathname, 'always');
        }
        return json(404, { errorCode: 'E0000007', errorSummary: 'Not found' });
      }

      // ── Google and Graph APIs: a valid bearer token first ──
      const bearer = authorization.replace(/^Bearer /, '');
      if (!state.validAccessTokens.has(bearer)) {
        return provider === 'microsoft'
          ? json(401, {
              error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' },
            })
          : json(
              401,
              {
                error: {
                  code: 401,
                  message: 'Request had invalid authentication credentials.',
                  errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError' }],
                  status: 'UNAUTHENTICATED',
                },
              },
              { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
            );
      }
      if (provider === 'google') {
        if (state.rateLimitOnce.delete('google'))
          return json(403, {
            error: {
              code: 403,
              message: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.",
              errors: [{ message: 'Quota exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' }],
              status: 'PERMISSION_DENIED',
            },
          });
        // Two records a page: the page token is the index of the next one; absent on the last page.
        const paged = (key: string, items: unknown[], kind: string) => {
          const at = Number(url.searchParams.get('pageToken') ?? 0);
          const next = at + 2 < items.length ? String(at + 2) : undefined;
          return json(200, {
            kind,
            etag: '"etag"',
            ...(items.length ? { [key]: items.slice(at, at + 2) } : {}),
            ...(next ? { nextPageToken: next } : {}),
          });
        };
        if (url.pathname === '/google/admin/directory/v1/users') {
          if (url.searchParams.get('customer') !== 'my_customer')
            return json(400, { error: { code: 400, message: 'Bad Request' } });
          return paged('users', googleUsers, 'admin#directory#users');
        }
        const reports = /^\/google\/admin\/reports\/v1\/activity\/users\/all\/applications\/(login|token)$/.exec(
          url.pathname,
        );
        if (reports) {
          const since = Date.parse(url.searchParams.get('startTime') ?? '');
          const items = (googleActivity[reports[1]!] ?? []).filter(
            (a) => Date.parse((a as { id: { time: string } }).id.time) >= since,
          );
          return paged('items', items, 'admin#reports#activities');
        }
      }
      if (provider === 'microsoft') {
        if (url.pathname === '/microsoft/v1.0/auditLogs/signIns' && state.rateLimitOnce.delete('microsoft'))
          return json(
            429,
            {
              error: {
                code: 'TooManyRequests',
                innerError: {
                  code: '429',
                  date: new Date().toISOString(),
                  message: 'Please retry after',
                  status: '429',
                },
                message: 'Please retry again later.',
              },
            },
            { 'retry-after': '0.05' },
          );
        const collection = (path: string, items: unknown[], size: number) => {
          const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
          const nextParams = new URLSearchParams(url.searchParams);
          nextParams.set('$skiptoken', String(skip + size));
          return json(200, {
            '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${path}`,
            ...(skip + size < items.length
              ? { '@odata.nextLink': `${base}${url.pathname}?${nextParams.toString()}` }
              : {}),
            value: items.slice(skip, skip + size),
          });
        };
        if (url.pathname === '/microsoft/v1.0/subscribedSkus') return collection('subscribedSkus', skus, 100);
        if (url.pathname === '/microsoft/v1.0/users') {
          if (!url.searchParams.get('$select')?.includes('signInActivity'))
            return json(400, { error: { code: 'BadRequest' } });
          return collection('users', graphUsers, 2);
        }
        if (url.pathname === '/microsoft/v1.0/servicePrincipals')
          return collection('servicePrincipals', [{ id: 'sp1', appId: 'app-zoom', displayName: 'Zoom' }], 100);
        if (url.pathname === '/microsoft/v1.0/auditLogs/signIns') {
          const since = /createdDateTime ge (\S+)/.exec(url.searchParams.get('$filter') ?? '')?.[1];
          if (!since) return json(400, { error: { code: 'BadRequest', message: 'Invalid filter clause' } });
          return collection(
            'auditLogs/signIns',
            signIns.filter((s) => s.createdDateTime >= since),
            1,
          );
        }
      }
      json(404, { error: { code: 404, message: 'not found' } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const oauthEnv = (prefix: string, path: string, apiBase: string, revoke: boolean) => ({
    [`${prefix}_CLIENT_ID`]: IDP_CLIENT.id,
    [`${prefix}_CLIENT_SECRET`]: IDP_CLIENT.secret,
    [`${prefix}_AUTHORIZE_URL`]: `${base}/${path}/authorize`,
    [`${prefix}_TOKEN_URL`]: `${base}/${path}/token`,
    ...(revoke ? { [`${prefix}_REVOKE_URL`]: `${base}/${path}/revoke` } : {}),
    [`${prefix}_API_BASE`]: apiBase,
  });
  return Object.assign(state, {
    url: base,
    env: {
      ...oauthEnv('GOOGLE', 'google', `${base}/google`, true),
      ...oauthEnv('MICROSOFT', 'microsoft', `${base}/microsoft/v1.0`, false),
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
