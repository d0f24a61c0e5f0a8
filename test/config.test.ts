import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../src/config.js';
import { poolOptions } from '../src/db/postgres.js';

describe('configuration', () => {
  it('needs nothing in development: embedded database in ./data on port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseDriver: 'pglite',
      dataDir: path.resolve('data'),
      postgres: null,
      migrateOnStart: true,
      shutdownTimeoutMs: 10_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('rate limits are on by default with the documented values', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      loginPerAccount: { max: 10, windowSeconds: 900 },
      loginPerIp: { max: 100, windowSeconds: 900 },
      signupPerIp: { max: 20, windowSeconds: 3600 },
      invitePerIp: { max: 20, windowSeconds: 3600 },
      invitesPerOrganization: { max: 50, windowSeconds: 86_400 },
      passwordResetPerIp: { max: 20, windowSeconds: 3600 },
      passwordResetPerEmail: { max: 3, windowSeconds: 3600 },
      verificationEmailsPerUser: { max: 5, windowSeconds: 3600 },
      emailLinksPerIp: { max: 30, windowSeconds: 3600 },
    });
    expect(loadConfig({ NODE_ENV: 'production', APP_URL: 'https://app.example/' }).appUrl).toBe('https://app.example');
  });

  it('sessions: 7 idle days within 30 from the start by default; idle may not exceed the maximum', () => {
    expect(loadConfig({})).toMatchObject({ sessionIdleDays: 7, sessionMaxDays: 30 });
    expect(loadConfig({ SESSION_IDLE_DAYS: '2', SESSION_MAX_DAYS: '14' })).toMatchObject({
      sessionIdleDays: 2,
      sessionMaxDays: 14,
    });
    // The single sliding lifetime of earlier versions is read as the idle one.
    expect(loadConfig({ SESSION_TTL_DAYS: '3' })).toMatchObject({ sessionIdleDays: 3, sessionMaxDays: 30 });
    expect(loadConfig({ SESSION_MAX_DAYS: '5' })).toMatchObject({ sessionIdleDays: 5, sessionMaxDays: 5 });
    expect(() => loadConfig({ SESSION_IDLE_DAYS: '40' })).toThrow(
      /SESSION_IDLE_DAYS must not be more than SESSION_MAX_DAYS \(30\)/,
    );
    // An old deployment's longer setting keeps working: idle and maximum both that long.
    expect(loadConfig({ SESSION_TTL_DAYS: '90' })).toMatchObject({ sessionIdleDays: 90, sessionMaxDays: 90 });
    expect(() => loadConfig({ SESSION_TTL_DAYS: '40', SESSION_MAX_DAYS: '30' })).toThrow(
      /SESSION_TTL_DAYS must not be more/,
    );
    expect(() => loadConfig({ SESSION_MAX_DAYS: '0' })).toThrow(/SESSION_MAX_DAYS/);
  });

  it('DATABASE_URL selects the server, with the seed plan pool values', () => {
    const dev = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/sa' });
    expect(dev.databaseDriver).toBe('postgres');
    expect(dev.postgres).toMatchObject({
      poolMax: 5,
      idleTimeoutMs: 10_000,
      connectionTimeoutMs: 5_000,
      ssl: 'disable',
    });
    const prod = loadConfig({
      NODE_ENV: 'production',
      APP_URL: 'https://app.example',
      DATABASE_URL: 'postgres://u:p@db:5432/sa',
    });
    expect(prod.postgres).toMatchObject({ poolMax: 10, ssl: 'verify' });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/sa', DB_POOL_MAX: '3' }).postgres?.poolMax).toBe(3);
  });

  it('USE_POSTGRES=false keeps the embedded database even with DATABASE_URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/sa', USE_POSTGRES: 'false' });
    expect(config.databaseDriver).toBe('pglite');
    expect(config.postgres?.url).toBe('postgres://db/sa');
  });

  it('SSL: DATABASE_SSL wins, then the URL sslmode, then the environment default', () => {
    const ssl = (env: Record<string, string>) => loadConfig(env).postgres?.ssl;
    expect(ssl({ DATABASE_URL: 'postgres://db/sa?sslmode=require' })).toBe('no-verify');
    expect(ssl({ DATABASE_URL: 'postgres://db/sa?sslmode=verify-full' })).toBe('verify');
    expect(
      ssl({ DATABASE_URL: 'postgres://db/sa?sslmode=disable', NODE_ENV: 'production', APP_URL: 'https://a.example' }),
    ).toBe('disable');
    expect(ssl({ DATABASE_URL: 'postgres://db/sa?sslmode=require', DATABASE_SSL: 'verify' })).toBe('verify');
    // Production verifies the certificate unless the URL or DATABASE_SSL says otherwise
    // (Render's internal URL, without TLS: DATABASE_SSL=disable).
    const production = { NODE_ENV: 'production', APP_URL: 'https://a.example' };
    expect(ssl({ DATABASE_URL: 'postgres://db/sa', ...production })).toBe('verify');
    expect(ssl({ DATABASE_URL: 'postgres://db/sa?sslmode=require', ...production })).toBe('no-verify');
    expect(ssl({ DATABASE_URL: 'postgres://db/sa', DATABASE_SSL: 'disable', ...production })).toBe('disable');
    expect(ssl({ DATABASE_URL: 'postgres://db/sa?sslmode=require', DATABASE_SSL: 'disable', ...production })).toBe(
      'disable',
    );
    expect(ssl({ DATABASE_URL: 'postgres://db/sa' })).toBe('disable');
  });

  it('pool options carry the timeouts, keepAlive, and our SSL choice (not the URL parameter)', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/sa?sslmode=verify-full&application_name=x' });
    const options = poolOptions(config.postgres!);
    expect(options).toMatchObject({
      max: 5,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      statement_timeout: 30_000,
      ssl: { rejectUnauthorized: true },
    });
    expect(options.connectionString).not.toContain('sslmode');
    expect(options.connectionString).toContain('application_name=x');
    expect(poolOptions(loadConfig({ DATABASE_URL: 'postgres://db/sa' }).postgres!).ssl).toBe(false);
  });

  it.each([
    [{ PORT: '70000' }, 'PORT'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ DATABASE_URL: 'mysql://db/sa' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://db/sa?sslmode=sometimes' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://db/sa', DATABASE_SSL: 'maybe' }, 'DATABASE_SSL'],
    [{ DATABASE_URL: 'postgres://db/sa', DB_POOL_MAX: '0' }, 'DB_POOL_MAX'],
    [{ USE_POSTGRES: 'perhaps' }, 'USE_POSTGRES'],
    [{ USE_POSTGRES: 'true' }, 'USE_POSTGRES'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'production' }, 'APP_URL'],
    [{ APP_URL: 'ftp://files.example' }, 'APP_URL'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL'],
    [{ TRUST_PROXY_HOPS: '-1' }, 'TRUST_PROXY_HOPS'],
    [{ RATE_LIMIT_LOGIN_PER_ACCOUNT: '0' }, 'RATE_LIMIT_LOGIN_PER_ACCOUNT'],
    [{ STRIPE_SECRET_KEY: 'sk_test_1' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ STRIPE_WEBHOOK_SECRET: 'whsec_1' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_SECRET_KEY: 'pk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'secret' }, 'STRIPE_WEBHOOK_SECRET'],
    [
      { STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_PRICE_PRO: 'prod_1' },
      'STRIPE_PRICE_PRO',
    ],
  ])('refuses %o, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(`Invalid configuration: ${variable} `);
  });

  it('Stripe: off without keys; with both, the prices of the plans sold and an optional API origin', () => {
    expect(loadConfig({}).stripe).toBeNull();
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'rk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      STRIPE_PRICE_BUSINESS: 'price_B1',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    });
    expect(config.stripe).toEqual({
      secretKey: 'rk_live_abc',
      webhookSecret: 'whsec_abc',
      prices: { business: 'price_B1' },
    });
    expect(config.stripeApiBase).toBe('http://127.0.0.1:12111');
  });
});
