/**
 * The only reader of process.env. Every setting is parsed and checked once, at start;
 * a bad value stops the start with a message that names the variable. The result is a
 * frozen, typed Config passed to whatever needs it.
 */
import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';
export type DatabaseSsl = 'disable' | 'no-verify' | 'verify';

export interface PostgresConfig {
  url: string;
  ssl: DatabaseSsl;
  poolMax: number;
  idleTimeoutMs: number;
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
}

export interface Config {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** 'pglite': the embedded database in dataDir; 'postgres': a server at postgres.url. */
  databaseDriver: 'pglite' | 'postgres';
  dataDir: string;
  /** Set whenever DATABASE_URL is, even when USE_POSTGRES=false forces the embedded database. */
  postgres: PostgresConfig | null;
  migrateOnStart: boolean;
  /** How long in-flight requests may take to finish on SIGTERM/SIGINT. */
  shutdownTimeoutMs: number;
  /** Upper bound of a request body, in bytes (the contract: 1 MiB → 413). */
  bodyLimitBytes: number;
  /** The web app's origin, for links in emails and the CSRF check; null in development means "this server". */
  appUrl: string | null;
  /** Trust X-Forwarded-For from this many proxies in front (Render, a load balancer); 0: none. */
  trustProxyHops: number;
  /** A session ends this many days after its last use (sliding)… */
  sessionIdleDays: number;
  /** …and at the latest this many days after it began, however active (absolute). */
  sessionMaxDays: number;
  /**
   * How long an instance may answer from a session it looked up (services/session-cache.ts);
   * changes reach every instance at once by NOTIFY, this is the bound if one were missed. 0: off.
   */
  sessionCacheSeconds: number;
  rateLimits: RateLimits;
  /** smtp(s)://user:pass@host:port; null: emails are logged instead of sent. */
  smtpUrl: string | null;
  emailFrom: string;
  outboxPollMs: number;
  /** Whether this instance runs queued analyses (false: a web-only instance; others do the work). */
  analysisWorkerEnabled: boolean;
  /** Analyses one instance runs at once. */
  analysisConcurrency: number;
  analysisPollMs: number;
  /** How often the comment fan-out worker looks for comments queued on other instances. */
  fanoutPollMs: number;
  /** How long a claimed analysis is held before another instance may take it over. */
  analysisLeaseSeconds: number;
  /** Serve /metrics (Prometheus). */
  metricsEnabled: boolean;
  /** When set, /metrics needs `Authorization: Bearer <token>`; in production, unset means not served. */
  metricsToken: string | null;
  /** Delete audits older than settings.auditRetentionDays, daily. Off unless asked for. */
  retentionEnabled: boolean;
  /** Billing through Stripe; null (both keys unset): billing is disabled and plans stay as they are. */
  stripe: StripeConfig | null;
  /** Another Stripe API origin (stripe-mock, a test server) for billing and Stripe spend; null: api.stripe.com. */
  stripeApiBase: string | null;
  /** Secrets at rest (OAuth tokens, API keys); null: integrations are disabled. */
  encryption: { key: string; previousKeys: string[] } | null;
  /** OAuth providers with their client credentials and URLs (overridable, e.g. for tests). */
  integrations: {
    quickbooks: OAuthProviderConfig | null;
    xero: OAuthProviderConfig | null;
    /** Google Workspace (Admin SDK Directory and Reports): usage from the identity provider. */
    google: OAuthProviderConfig | null;
    /** Microsoft 365 (Microsoft Graph): usage from the identity provider. */
    microsoft: OAuthProviderConfig | null;
  };
  integrationPollMs: number;
  /**
   * Okta org URLs on this machine (http://127.0.0.1:…) are accepted: for tests against a local
   * stand-in only. Off by default everywhere, so no admin can point the server at local ports.
   */
  oktaAllowLoopback: boolean;
  /** An OpenAI-compatible chat-completions endpoint for the audit narrative and questions; null: no AI. */
  ai: AiConfig | null;
}

export interface AiConfig {
  /** The API's base URL, up to /v1 (https://api.openai.com/v1, http://localhost:11434/v1 for Ollama). */
  baseUrl: string;
  /** Null for a local server that wants none. */
  apiKey: string | null;
  model: string;
  /** Tokens (prompt and answer) one organization may use a day, narratives and questions together. */
  dailyTokens: number;
  /** How long one call to the model may take. */
  timeoutMs: number;
  /** Questions one organization may ask. */
  questionsPerOrganization: RateLimit;
}

export interface OAuthProviderConfig {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** The provider's API origin (QuickBooks: production or sandbox; Xero: api.xero.com). */
  apiBase: string;
  scopes: string;
}

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  /** Our plan → the Stripe Price id Checkout sells it with (STRIPE_PRICE_PRO, …). */
  prices: Readonly<Record<string, string>>;
}

export interface RateLimit {
  max: number;
  windowSeconds: number;
}

export interface RateLimits {
  /** Failed logins (and invite acceptances with a password) per account. */
  loginPerAccount: RateLimit;
  loginPerIp: RateLimit;
  signupPerIp: RateLimit;
  /** Invite acceptances per IP. */
  invitePerIp: RateLimit;
  /** Invites an organization may send. */
  invitesPerOrganization: RateLimit;
  passwordResetPerIp: RateLimit;
  passwordResetPerEmail: RateLimit;
  verificationEmailsPerUser: RateLimit;
  /** Uses of emailed links (verification, reset) per IP: tokens cannot be guessed, but trying costs us. */
  emailLinksPerIp: RateLimit;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false (got "${value}")`);
}

function stripeConfig(env: Env): StripeConfig | null {
  const secretKey = read(env, 'STRIPE_SECRET_KEY');
  const webhookSecret = read(env, 'STRIPE_WEBHOOK_SECRET');
  if (secretKey === undefined && webhookSecret === undefined) return null;
  if (secretKey === undefined) throw new ConfigError('STRIPE_SECRET_KEY', 'must be set with STRIPE_WEBHOOK_SECRET');
  if (webhookSecret === undefined) throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'must be set with STRIPE_SECRET_KEY');
  if (!/^(sk|rk)_(test|live)_/.test(secretKey)) {
    throw new ConfigError('STRIPE_SECRET_KEY', 'must be a Stripe secret or restricted key (sk_… or rk_…)');
  }
  if (!webhookSecret.startsWith('whsec_')) throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'must start with whsec_');
  const prices: Record<string, string> = {};
  for (const plan of ['pro', 'business', 'enterprise']) {
    const name = `STRIPE_PRICE_${plan.toUpperCase()}`;
    const price = read(env, name);
    if (price === undefined) continue;
    if (!/^price_[A-Za-z0-9]+$/.test(price)) throw new ConfigError(name, `must be a Stripe Price id (price_…)`);
    prices[plan] = price;
  }
  return Object.freeze({
    secretKey,
    webhookSecret,
    prices: Object.freeze(prices),
  });
}

const PROVIDER_DEFAULTS = {
  quickbooks: {
    authorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
    tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    revokeUrl: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
    apiBase: 'https://quickbooks.api.intuit.com',
    scopes: 'com.intuit.quickbooks.accounting',
  },
  xero: {
    authorizeUrl: 'https://login.xero.com/identity/connect/authorize',
    tokenUrl: 'https://identity.xero.com/connect/token',
    revokeUrl: 'https://identity.xero.com/connect/revocation',
    apiBase: 'https://api.xero.com',
    scopes: 'offline_access accounting.transactions.read',
  },
  google: {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    revokeUrl: 'https://oauth2.googleapis.com/revoke',
    apiBase: 'https://admin.googleapis.com',
    scopes:
      'https://www.googleapis.com/auth/admin.directory.user.readonly https://www.googleapis.com/auth/admin.reports.audit.readonly',
  },
  microsoft: {
    // "organizations": any work account's tenant; a single tenant's URLs may be set instead.
    authorizeUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
    // Microsoft's identity platform has no revocation endpoint: disconnecting drops the tokens.
    revokeUrl: '',
    apiBase: 'https://graph.microsoft.com/v1.0',
    scopes:
      'offline_access https://graph.microsoft.com/User.Read.All https://graph.microsoft.com/AuditLog.Read.All https://graph.microsoft.com/Directory.Read.All https://graph.microsoft.com/Organization.Read.All',
  },
} as const;

function oauthProvider(env: Env, provider: keyof typeof PROVIDER_DEFAULTS): OAuthProviderConfig | null {
  const prefix = provider.toUpperCase();
  const clientId = read(env, `${prefix}_CLIENT_ID`);
  const clientSecret = read(env, `${prefix}_CLIENT_SECRET`);
  if (clientId === undefined && clientSecret === undefined) return null;
  if (clientId === undefined) throw new ConfigError(`${prefix}_CLIENT_ID`, `must be set with ${prefix}_CLIENT_SECRET`);
  if (clientSecret === undefined)
    throw new ConfigError(`${prefix}_CLIENT_SECRET`, `must be set with ${prefix}_CLIENT_ID`);
  const defaults = PROVIDER_DEFAULTS[provider];
  const url = (name: string, fallback: string) =>
    (urlVariable(env, `${prefix}_${name}`, ['http:', 'https:']) ?? fallback).replace(/\/+$/, '');
  return {
    clientId,
    clientSecret,
    authorizeUrl: url('AUTHORIZE_URL', defaults.authorizeUrl),
    tokenUrl: url('TOKEN_URL', defaults.tokenUrl),
    revokeUrl: url('REVOKE_URL', defaults.revokeUrl),
    apiBase: url('API_BASE', defaults.apiBase),
    scopes: read(env, `${prefix}_SCOPES`) ?? defaults.scopes,
  };
}

/**
 * AI is on when AI_BASE_URL or AI_API_KEY is set (a key alone means OpenAI itself); AI_MODEL
 * must be set with either, as no model name is right for every server.
 */
function aiConfig(env: Env): AiConfig | null {
  const baseUrl = urlVariable(env, 'AI_BASE_URL', ['http:', 'https:']);
  const apiKey = read(env, 'AI_API_KEY');
  const model = read(env, 'AI_MODEL');
  if (baseUrl === undefined && apiKey === undefined) {
    if (model !== undefined) throw new ConfigError('AI_MODEL', 'is set but neither AI_BASE_URL nor AI_API_KEY is');
    return null;
  }
  if (model === undefined) {
    throw new ConfigError('AI_MODEL', 'must be set with AI_BASE_URL or AI_API_KEY (e.g. gpt-4o-mini, llama3.1)');
  }
  return {
    baseUrl: (baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, ''),
    apiKey: apiKey ?? null,
    model,
    dailyTokens: integer(env, 'AI_DAILY_TOKENS', 200_000, 1_000, 1_000_000_000),
    timeoutMs: integer(env, 'AI_TIMEOUT_MS', 60_000, 1_000, 600_000),
    questionsPerOrganization: {
      max: integer(env, 'RATE_LIMIT_AI_QUESTIONS_PER_ORGANIZATION', 60, 1, 1_000_000),
      windowSeconds: integer(env, 'RATE_LIMIT_AI_QUESTIONS_WINDOW_SECONDS', 3600, 1, 86_400),
    },
  };
}

function encryptionConfig(env: Env): Config['encryption'] {
  const key = read(env, 'ENCRYPTION_KEY');
  const previousKeys = (read(env, 'ENCRYPTION_KEY_PREVIOUS') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (key === undefined) {
    if (previousKeys.length) throw new ConfigError('ENCRYPTION_KEY', 'must be set when ENCRYPTION_KEY_PREVIOUS is');
    return null;
  }
  for (const [name, value] of [['ENCRYPTION_KEY', key], ...previousKeys.map((k) => ['ENCRYPTION_KEY_PREVIOUS', k])]) {
    const bytes = /^[0-9a-f]{64}$/i.test(value!) ? 32 : Buffer.from(value!, 'base64').length;
    if (bytes !== 32)
      throw new ConfigError(name!, 'must be 32 bytes, as base64 or 64 hex digits (openssl rand -base64 32)');
  }
  return { key, previousKeys };
}

function urlVariable(env: Env, name: string, protocols: string[]): string | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (protocols.includes(parsed.protocol)) return value;
  } catch {
    // reported below
  }
  throw new ConfigError(
    name,
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')} (got "${value}")`,
  );
}

function databaseUrl(env: Env): string | undefined {
  const value = read(env, 'DATABASE_URL');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('DATABASE_URL', 'must be a URL such as postgres://user:password@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql:// (got "${url.protocol}//")`);
  }
  return value;
}

/** The `sslmode` of a connection URL, mapped to our three modes; undefined when absent. */
function sslFromUrl(url: string): DatabaseSsl | undefined {
  const mode = new URL(url).searchParams.get('sslmode');
  switch (mode) {
    case null:
      return undefined;
    case 'disable':
      return 'disable';
    case 'allow':
    case 'prefer':
    case 'require':
    case 'no-verify':
      return 'no-verify';
    case 'verify-ca':
    case 'verify-full':
      return 'verify';
    default:
      throw new ConfigError('DATABASE_URL', `has an unknown sslmode "${mode}"`);
  }
}

/**
 * SESSION_IDLE_DAYS (sliding) within SESSION_MAX_DAYS (absolute). SESSION_TTL_DAYS, the one
 * sliding lifetime of earlier versions, is still read: as the idle lifetime, and as the
 * default maximum when it is longer than 30 days, so that a deployment that set it keeps
 * starting, with sessions no longer than it had.
 */
function sessionLifetimes(env: Env): Pick<Config, 'sessionIdleDays' | 'sessionMaxDays'> {
  const legacy = read(env, 'SESSION_IDLE_DAYS') === undefined && read(env, 'SESSION_TTL_DAYS') !== undefined;
  const idleName = legacy ? 'SESSION_TTL_DAYS' : 'SESSION_IDLE_DAYS';
  const legacyDays = legacy ? integer(env, 'SESSION_TTL_DAYS', 30, 1, 3650) : 0;
  const sessionMaxDays = integer(env, 'SESSION_MAX_DAYS', Math.max(30, legacyDays), 1, 3650);
  const sessionIdleDays = integer(env, idleName, Math.min(7, sessionMaxDays), 1, 3650);
  if (sessionIdleDays > sessionMaxDays) {
    throw new ConfigError(idleName, `must not be more than SESSION_MAX_DAYS (${sessionMaxDays})`);
  }
  return { sessionIdleDays, sessionMaxDays };
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const nodeEnv = oneOf<NodeEnv>(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';
  const url = databaseUrl(env);
  const usePostgres = bool(env, 'USE_POSTGRES', url !== undefined);
  if (usePostgres && url === undefined) {
    throw new ConfigError('USE_POSTGRES', 'is true but DATABASE_URL is not set');
  }

  let postgres: PostgresConfig | null = null;
  if (url !== undefined) {
    // DATABASE_SSL wins; otherwise the URL's sslmode; otherwise the environment's default.
    const explicitSsl = read(env, 'DATABASE_SSL');
    const ssl =
      explicitSsl !== undefined
        ? oneOf<DatabaseSsl>(env, 'DATABASE_SSL', ['disable', 'no-verify', 'verify'], 'disable')
        : // Production verifies the server's certificate unless told otherwise: without it,
          // anyone on the path can pose as the database. A private network without TLS
          // (Render's internal URL) says DATABASE_SSL=disable.
          (sslFromUrl(url) ?? (production ? 'verify' : 'disable'));
    postgres = {
      url,
      ssl,
      poolMax: integer(env, 'DB_POOL_MAX', production ? 10 : 5, 1, 100),
      idleTimeoutMs: integer(env, 'DB_IDLE_TIMEOUT_MS', 10_000, 100, 3_600_000),
      // pg's connectionTimeoutMillis bounds both opening a connection and waiting for a free
      // one: DB_POOL_ACQUIRE_TIMEOUT_MS is the name operators look for.
      connectionTimeoutMs: integer(
        env,
        read(env, 'DB_POOL_ACQUIRE_TIMEOUT_MS') !== undefined
          ? 'DB_POOL_ACQUIRE_TIMEOUT_MS'
          : 'DB_CONNECTION_TIMEOUT_MS',
        5_000,
        100,
        120_000,
      ),
      statementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    };
  } else if (read(env, 'DATABASE_SSL') !== undefined) {
    oneOf<DatabaseSsl>(env, 'DATABASE_SSL', ['disable', 'no-verify', 'verify'], 'disable');
  }

  const config: Config = {
    nodeEnv,
    host: read(env, 'HOST') ?? '0.0.0.0',
    port: integer(env, 'PORT', 3000, 0, 65_535),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    databaseDriver: usePostgres ? 'postgres' : 'pglite',
    dataDir: path.resolve(read(env, 'DATA_DIR') ?? 'data'),
    postgres,
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    bodyLimitBytes: 1024 * 1024,
    appUrl: urlVariable(env, 'APP_URL', ['http:', 'https:'])?.replace(/\/+$/, '') ?? null,
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    ...sessionLifetimes(env),
    sessionCacheSeconds: integer(env, 'SESSION_CACHE_SECONDS', 5, 0, 5),
    rateLimits: {
      loginPerAccount: {
        max: integer(env, 'RATE_LIMIT_LOGIN_PER_ACCOUNT', 10, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
      },
      loginPerIp: {
        max: integer(env, 'RATE_LIMIT_LOGIN_PER_IP', 100, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
      },
      signupPerIp: {
        max: integer(env, 'RATE_LIMIT_SIGNUP_PER_IP', 20, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_SIGNUP_WINDOW_SECONDS', 3600, 1, 86_400),
      },
      invitePerIp: {
        max: integer(env, 'RATE_LIMIT_INVITE_ACCEPT_PER_IP', 20, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_INVITE_ACCEPT_WINDOW_SECONDS', 3600, 1, 86_400),
      },
      invitesPerOrganization: {
        max: integer(env, 'RATE_LIMIT_INVITES_PER_ORGANIZATION', 50, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_INVITES_WINDOW_SECONDS', 86_400, 1, 604_800),
      },
      passwordResetPerIp: {
        max: integer(env, 'RATE_LIMIT_PASSWORD_RESET_PER_IP', 20, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_PASSWORD_RESET_WINDOW_SECONDS', 3600, 1, 86_400),
      },
      passwordResetPerEmail: {
        max: integer(env, 'RATE_LIMIT_PASSWORD_RESET_PER_EMAIL', 3, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_PASSWORD_RESET_WINDOW_SECONDS', 3600, 1, 86_400),
      },
      verificationEmailsPerUser: {
        max: integer(env, 'RATE_LIMIT_VERIFICATION_EMAILS_PER_USER', 5, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_VERIFICATION_EMAILS_WINDOW_SECONDS', 3600, 1, 86_400),
      },
      emailLinksPerIp: {
        max: integer(env, 'RATE_LIMIT_EMAIL_LINKS_PER_IP', 30, 1, 1_000_000),
        windowSeconds: integer(env, 'RATE_LIMIT_EMAIL_LINKS_WINDOW_SECONDS', 3600, 1, 86_400),
      },
    },
    smtpUrl: urlVariable(env, 'SMTP_URL', ['smtp:', 'smtps:']) ?? null,
    emailFrom: read(env, 'EMAIL_FROM') ?? 'StackAudit <no-reply@stackaudit.local>',
    outboxPollMs: integer(env, 'OUTBOX_POLL_MS', 2_000, 50, 600_000),
    analysisWorkerEnabled: bool(env, 'ANALYSIS_WORKER_ENABLED', true),
    analysisConcurrency: integer(env, 'ANALYSIS_CONCURRENCY', 2, 1, 32),
    analysisPollMs: integer(env, 'ANALYSIS_POLL_MS', 1_000, 50, 600_000),
    fanoutPollMs: integer(env, 'FANOUT_POLL_MS', 1_000, 50, 600_000),
    analysisLeaseSeconds: integer(env, 'ANALYSIS_LEASE_SECONDS', 30, 5, 3_600),
    retentionEnabled: bool(env, 'RETENTION_ENABLED', false),
    metricsEnabled: bool(env, 'METRICS_ENABLED', true),
    metricsToken: read(env, 'METRICS_TOKEN') ?? null,
    stripe: stripeConfig(env),
    stripeApiBase: urlVariable(env, 'STRIPE_API_BASE', ['http:', 'https:']) ?? null,
    encryption: encryptionConfig(env),
    integrations: {
      quickbooks: oauthProvider(env, 'quickbooks'),
      xero: oauthProvider(env, 'xero'),
      google: oauthProvider(env, 'google'),
      microsoft: oauthProvider(env, 'microsoft'),
    },
    integrationPollMs: integer(env, 'INTEGRATION_POLL_MS', 5_000, 50, 600_000),
    oktaAllowLoopback: bool(env, 'OKTA_ALLOW_LOOPBACK', false),
    ai: aiConfig(env),
  };
  if (production && config.appUrl === null) {
    throw new ConfigError('APP_URL', 'must be set in production (links in emails and the CSRF check use it)');
  }
  return Object.freeze(config);
}
