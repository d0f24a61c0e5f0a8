/**
 * Several server instances on one PostgreSQL database: each a full application with its own
 * connection pool (and, with buildAppWithWorker, its own workers). Registers the set-up and
 * tear-down on the enclosing describe block.
 */
import { afterAll, beforeAll } from 'vitest';

import type { Database } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres.js';
import type { App } from '../../src/http/app.js';
import { silentLogger, testPostgresConfig } from './config.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface Instances {
  /** The shared database, through the first instance's pool. */
  shared: TestDatabase;
  /** Each instance's pool, the first one being shared.database. */
  pools: Database[];
  apps: App[];
}

export function instancesOnOnePostgres(count: number, build: (database: Database) => Promise<App>): () => Instances {
  let state: Instances | undefined;
  beforeAll(async () => {
    const shared = await createTestDatabase('postgres');
    const pools = [shared.database];
    for (let i = 1; i < count; i++) pools.push(openPostgres(testPostgresConfig(shared.location), silentLogger));
    const apps: App[] = [];
    for (const pool of pools) apps.push(await build(pool));
    state = { shared, pools, apps };
  });
  afterAll(async () => {
    if (!state) return;
    for (const app of state.apps) await app.close();
    for (const pool of state.pools.slice(1)) await pool.close();
    await state.shared.destroy();
  });
  return () => {
    if (!state) throw new Error('the instances are not up yet');
    return state;
  };
}
