/**
 * Every repository and route test runs on both databases: `describeEachDatabase` runs a
 * block once on a fresh embedded database and once on a fresh PostgreSQL database, each
 * cloned from the migrated templates of global-setup.ts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';

import type { Database, DriverName } from '../../src/db/database.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { silentLogger, testPostgresConfig } from './config.js';

export const DRIVERS: readonly DriverName[] = ['pglite', 'postgres'];

export interface TestDatabase {
  driver: DriverName;
  database: Database;
  /** postgres: the database's URL; pglite: the DATA_DIR. What a server process would be given. */
  location: string;
  /** The environment that points a server process at this database. */
  env: Record<string, string>;
  destroy(): Promise<void>;
}

export const postgresAvailable = (): boolean => inject('pgAdminUrl') !== null;

const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

async function adminQuery(sql: string): Promise<void> {
  const adminUrl = inject('pgAdminUrl');
  if (!adminUrl) throw new Error('no PostgreSQL server for this run');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new PostgreSQL database on the test server: migrated (from the template) or empty. */
export async function createPostgresDatabase(options: { migrated?: boolean; open?: boolean } = {}) {
  const name = uniqueName('sa_test');
  const template = options.migrated === false ? 'template0' : inject('pgTemplate');
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = new URL(inject('pgAdminUrl')!);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A new embedded data directory: migrated (a template copy) or blank (initialised only). */
export function createPgliteDir(options: { migrated?: boolean } = {}): string {
  const source = options.migrated === false ? inject('pgliteBlankDir') : inject('pgliteTemplateDir');
  const dir = path.join(inject('workDir'), uniqueName('pglite'));
  fs.cpSync(source, dir, { recursive: true, filter: (src) => path.basename(src) !== 'stackaudit.lock' });
  return dir;
}

export async function createTestDatabase(
  driver: DriverName,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  if (driver === 'postgres') {
    const created = await createPostgresDatabase(options);
    const database = openPostgres(testPostgresConfig(created.url), silentLogger);
    return {
      driver,
      database,
      location: created.url,
      env: { DATABASE_URL: created.url },
      async destroy() {
        await database.close();
        await created.drop();
      },
    };
  }
  const dir = createPgliteDir(options);
  const database = await openPglite(dir, silentLogger);
  return {
    driver,
    database,
    location: dir,
    env: { DATA_DIR: dir },
    async destroy() {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `body` once per database, each with its own fresh migrated database (opened before
 * the block's tests, destroyed after). The PostgreSQL block is skipped, visibly, only when
 * the run was started with ALLOW_NO_POSTGRES=1 and no server could be had.
 */
export function describeEachDatabase(title: string, body: (db: () => TestDatabase) => void): void {
  for (const driver of DRIVERS) {
    const skip = driver === 'postgres' && !postgresAvailable();
    describe.skipIf(skip)(`${title} [${driver}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(driver);
      }, 60_000);
      afterAll(async () => {
        await current?.destroy();
      });
      body(() => {
        if (!current) throw new Error('the test database is not open yet');
        return current;
      });
    });
  }
}
