/** Structured JSON logs (pino). Secrets are redacted wherever they could appear. */
import { pino, type Logger } from 'pino';

import type { Config } from './config.js';

/** Keys that hold a secret, wherever a log object has them: at its top or one level down. */
const SECRET_KEYS = [
  'password',
  'passwordHash',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'apiToken',
  'connectionString',
];

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  // pino's `*.key` is one level down only: `{ token }` itself needs `token`.
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
];

/**
 * Paths with a secret token after them: invite links, public share links, emailed
 * verification and password reset links (the web pages and the API routes), calendar feeds.
 */
const SECRET_PATHS =
  /^(\/api\/invites\/|\/api\/shared\/|\/api\/auth\/password-reset\/|\/api\/calendar\/|\/invite\/|\/shared\/|\/verify-email\/|\/reset-password\/)[^/?]+/;

/** A request URL fit for a log line: tokens in the path and the query string are hidden. */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  return path.replace(SECRET_PATHS, '$1[redacted]') + (query === undefined ? '' : '?[query]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    serializers: {
      // Fastify's request serializer, with the URL redacted.
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'stackaudit' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** A connection URL fit for a log line: no user name or password. */
export function describeDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}
