/**
 * Once per `vitest run`: one PostgreSQL cluster (or TEST_DATABASE_URL) with a migrated
 * template database, and one initialised embedded data directory, blank and migrated.
 * Test files clone these (CREATE DATABASE … TEMPLATE; a directory copy) instead of
 * initialising their own, which is what keeps the suite fast.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';
import type { TestProject } from 'vitest/node';

import { buildServer, buildWeb, serverBuildStale } from '../scripts/build.js';
import { runMigrations } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { openPostgres } from '../src/db/postgres.js';
import { BROWSER_INSTALL_HINT, BROWSER_SKIPPED_BANNER, browserAvailable, CHROMIUM } from './harness/browser.js';
import { INSTALL_HINT, PostgresCluster } from './harness/postgres-cluster.js';
import { silentLogger, testPostgresConfig } from './harness/config.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL (its database: postgres) where tests may create databases; null when skipped. */
    pgAdminUrl: string | null;
    pgTemplate: string;
    pgliteBlankDir: string;
    pgliteTemplateDir: string;
    workDir: string;
  }
}

const PG_TEMPLATE = 'stackaudit_template';

async function preparePostgres(): Promise<{ adminUrl: string; cluster: PostgresCluster | null }> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { adminUrl: external, cluster: null };
  const cluster = await PostgresCluster.create();
  return { adminUrl: cluster.adminUrl, cluster };
}

export default async function setup(project: TestProject) {
  const browser = browserAvailable();
  if (!browser && process.env.REQUIRE_BROWSER === '1') {
    throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}. ${BROWSER_INSTALL_HINT}`);
  }
  // The web app, built as `npm run build` builds it: the browser tests and servers serve it.
  await buildWeb();
  // The server compiled, as npm start runs it (scripts/serve.sh): the tests that start it so.
  if (serverBuildStale()) buildServer();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackaudit-test-'));
  const pgliteBlankDir = path.join(workDir, 'pglite-blank');
  const pgliteTemplateDir = path.join(workDir, 'pglite-template');

  let postgres: { adminUrl: string; cluster: PostgresCluster | null } | null = null;
  try {
    postgres = await preparePostgres();
  } catch (error) {
    if (process.env.ALLOW_NO_POSTGRES !== '1') {
      throw new Error(`The PostgreSQL half of the test suite cannot run: ${(error as Error).message}\n${INSTALL_HINT}`);
    }
  }

  // The embedded template: initialised once (~2 s), then copied per test file.
  const blank = await openPglite(pgliteBlankDir, silentLogger);
  await blank.close();
  fs.cpSync(pgliteBlankDir, pgliteTemplateDir, { recursive: true });
  const template = await openPglite(pgliteTemplateDir, silentLogger);
  await runMigrations(template);
  await template.close();

  if (postgres) {
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE}`);
    await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`);
    await admin.end();
    const url = new URL(postgres.adminUrl);
    url.pathname = `/${PG_TEMPLATE}`;
    const database = openPostgres(testPostgresConfig(url.toString()), silentLogger);
    await runMigrations(database);
    await database.close();
  }

  project.provide('pgAdminUrl', postgres?.adminUrl ?? null);
  project.provide('pgTemplate', PG_TEMPLATE);
  project.provide('pgliteBlankDir', pgliteBlankDir);
  project.provide('pgliteTemplateDir', pgliteTemplateDir);
  project.provide('workDir', workDir);

  return async () => {
    await postgres?.cluster?.destroy();
    fs.rmSync(workDir, { recursive: true, force: true });
    if (!browser) process.stdout.write(BROWSER_SKIPPED_BANNER);
    if (!postgres) {
      process.stdout.write(
        '\n*** POSTGRESQL TESTS WERE SKIPPED (ALLOW_NO_POSTGRES=1): ONLY THE EMBEDDED DATABASE WAS TESTED. ***\n\n',
      );
    }
  };
}
