import { pino } from 'pino';

import type { PostgresConfig } from '../../src/config.js';

export const silentLogger = pino({ level: 'silent' });

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
