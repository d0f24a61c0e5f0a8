import { pino, type Logger } from 'pino';

import type { PostgresConfig } from '../../src/config.js';

export const silentLogger = pino({ level: 'silent' });

/** A logger that keeps what is logged at `warn` and above, one JSON line each, in `lines`. */
export function warningLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }), lines };
}

export function testPostgresConfig(url: string, overrides: Partial<PostgresConfig> = {}): PostgresConfig {
  return {
    url,
    ssl: 'disable',
    poolMax: 4,
    idleTimeoutMs: 10_000,
    connectionTimeoutMs: 5_000,
    statementTimeoutMs: 30_000,
    ...overrides,
  };
}
