/**
 * One Database over either driver: the embedded PGlite or a PostgreSQL server through a
 * pg Pool. Everything that differs between the two (type parsing, pool settings, closing,
 * errors, locking) lives in this folder, so repositories never know which one they run on.
 */
import type { Logger } from 'pino';

import type { Config } from '../config.js';
import type { Database } from './handle.js';

export * from './handle.js';

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseDriver === 'postgres') {
    if (config.postgres === null) throw new Error('postgres driver selected without DATABASE_URL');
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(config.postgres, logger);
  }
  const { openPglite } = await import('./pglite.js');
  return openPglite(config.dataDir, logger);
}
