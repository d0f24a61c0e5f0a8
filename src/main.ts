/**
 * Entry point: `serve` (the default), `migrate [--status]`, `seed [--force]`.
 * npm scripts call it: npm start, npm run migrate, npm run seed.
 */
import fs from 'node:fs';
import path from 'node:path';

import { RestoreError, restoreBackup, writeBackup } from './cli/backup.js';
import { importLegacy } from './cli/import-legacy.js';
import { parseKey, SecretBox } from './domain/secret-box.js';
import { progressBar } from './cli/progress.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { openDatabase } from './db/database.js';
import { MigrationError, migrationStatus, runMigrations } from './db/migrate.js';
import { createLogger } from './logger.js';
import { DEMO, seedDemoData } from './cli/seed.js';
import { describeDatabase, serve } from './server.js';

const USAGE = `Usage: stackaudit [command] [options]

Commands:
  serve              run the server (default): migrate, then listen on PORT
  migrate            apply pending database migrations
  migrate --status   list applied and pending migrations
  seed [--force]     create the demo organization and user (refused in production without --force)
  import-legacy FILE load the old server's in-memory stores (a JSON snapshot), idempotently
  backup FILE        write a consistent snapshot of the whole database to FILE (JSON Lines)
  restore FILE [--force]
                     load a backup into an empty database (--force: replace what is there)
`;

async function withDatabase<T>(
  config: Config,
  fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(config, createLogger({ logLevel: 'warn' }));
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config, createLogger(config));
      return -1; // keeps running
    case 'migrate':
      return withDatabase(config, async (database) => {
        console.log(`Database: ${describeDatabase(config)}`);
        if (args.includes('--status')) {
          const status = await migrationStatus(database);
          for (const m of status) console.log(`  ${m.applied ? 'applied' : 'pending'}  ${m.name}`);
          const pending = status.filter((m) => !m.applied).length;
          console.log(`${status.length - pending} applied, ${pending} pending`);
          return 0;
        }
        const applied = await runMigrations(database);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the schema is up to date.');
        return 0;
      });
    case 'seed': {
      if (config.nodeEnv === 'production' && !args.includes('--force')) {
        console.error(
          'Refusing to seed demo data with NODE_ENV=production (it creates a known login). Add --force to do it anyway.',
        );
        return 1;
      }
      return withDatabase(config, async (database) => {
        await runMigrations(database);
        const result = await seedDemoData(database);
        console.log(`Database: ${describeDatabase(config)}`);
        console.log(`Organization ${DEMO.organizationId}: ${result.organizationCreated ? 'created' : 'already there'}`);
        console.log(
          `User ${DEMO.email}: ${result.userCreated ? 'created' : 'already there'} (password ${DEMO.password})`,
        );
        console.log(
          `Demo audit ${result.auditId}: ${result.demoContentCreated ? 'created, with six months of spend, comments and an accepted recommendation' : 'already there'}`,
        );
        return 0;
      });
    }
    case 'import-legacy': {
      const file = args.find((a) => !a.startsWith('--'));
      if (!file) {
        process.stderr.write('Name the snapshot file: npm run import-legacy -- FILE\n');
        return 2;
      }
      let snapshot: unknown;
      try {
        snapshot = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
      } catch (error) {
        console.error(`Cannot read ${file} as JSON: ${(error as Error).message}`);
        return 1;
      }
      return withDatabase(config, async (database) => {
        await runMigrations(database);
        const box = config.encryption
          ? new SecretBox(parseKey(config.encryption.key), config.encryption.previousKeys.map(parseKey))
          : null;
        const report = await importLegacy(database, snapshot, box ? { seal: (text) => box.seal(text) } : {});
        let invalid = 0;
        for (const [store, r] of Object.entries(report)) {
          invalid += r.invalid.length;
          console.log(
            `${store.padEnd(24)} imported ${r.imported}, skipped ${r.skipped} (already there), invalid ${r.invalid.length}`,
          );
          for (const bad of r.invalid) console.log(`  invalid #${bad.index} (${String(bad.id)}): ${bad.reason}`);
          for (const warning of r.warnings) console.log(`  note: ${warning}`);
        }
        console.log(
          invalid ? `Done, with ${invalid} invalid record(s) left out (listed above).` : 'Done: every record is in.',
        );
        return 0;
      });
    }
    case 'backup':
    case 'restore': {
      const file = args.find((a) => !a.startsWith('--'));
      if (!file) {
        process.stderr.write(`Name the backup file: npm run ${command} -- FILE\n`);
        return 2;
      }
      return withDatabase(config, async (database) => {
        console.error(`Database: ${describeDatabase(config)}`);
        if (command === 'backup') {
          const header = await writeBackup(database, path.resolve(file), progressBar());
          const rows = Object.values(header.tables).reduce((a, b) => a + b, 0);
          console.log(
            `Backed up ${rows} rows of ${Object.keys(header.tables).length} tables (schema ${header.migrations.at(-1) ?? 'empty'}) to ${file}`,
          );
        } else {
          const result = await restoreBackup(
            database,
            path.resolve(file),
            { force: args.includes('--force') },
            progressBar(),
          );
          const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
          console.log(`Restored ${rows} rows; every table's row count matches the backup.`);
        }
        return 0;
      });
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof ConfigError ||
      error instanceof DataDirLockedError ||
      error instanceof MigrationError ||
      error instanceof RestoreError
    ) {
      console.error(`StackAudit cannot start: ${error.message}`);
    } else {
      console.error('StackAudit stopped on an unexpected error:', error);
    }
    process.exitCode = 1;
  },
);
