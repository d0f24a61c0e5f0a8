import type { App } from '../../src/http/app.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { silentLogger } from './config.js';

/** The real application over a test database, for app.inject. */
export async function buildTestApp(database: Database, env: Record<string, string> = {}): Promise<App> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return buildApp({ config, database, logger: silentLogger });
}
