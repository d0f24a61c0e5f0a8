/**
 * `serve`: open the database, apply pending migrations, listen; on SIGTERM/SIGINT stop
 * accepting, let in-flight requests finish (at most SHUTDOWN_TIMEOUT_MS) and close the
 * database cleanly.
 */
import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';

import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { runMigrations } from './db/migrate.js';
import { buildApp, type App } from './http/app.js';
import { IntegrationSyncWorker } from './jobs/integration-sync.worker.js';
import { AnalysisWorker } from './jobs/analysis.worker.js';
import { CommentFanoutWorker } from './jobs/comment-fanout.worker.js';
import { MaintenanceWorker } from './jobs/maintenance.js';
import { TableUpkeepWorker } from './jobs/table-upkeep.worker.js';
import { NarrativeWorker } from './jobs/narrative.worker.js';
import { EmailService } from './services/email.service.js';
import { createServices } from './services/index.js';
import { OutboxWorker } from './jobs/outbox.worker.js';
import { JobQueue } from './jobs/queue.js';
import { describeDatabaseUrl } from './logger.js';

export function describeDatabase(config: Config): string {
  return config.databaseDriver === 'postgres' && config.postgres
    ? `PostgreSQL server at ${describeDatabaseUrl(config.postgres.url)}`
    : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
}

export interface RunningServer {
  app: App;
  database: Database;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  logger.info({ driver: config.databaseDriver }, `opening ${describeDatabase(config)}`);
  if (config.databaseDriver === 'pglite' && config.postgres) {
    logger.warn('USE_POSTGRES=false: serving from the embedded database although DATABASE_URL is set');
  }
  const database = await openDatabase(config, logger);
  let app: App | undefined;
  let jobs: JobQueue | undefined;
  let outbox: OutboxWorker | undefined;
  /** The workers started so far: stopped, last first, if the start fails after them. */
  const started: { stop(): unknown }[] = [];
  try {
    if (config.migrateOnStart) {
      const applied = await runMigrations(database);
      logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'schema up to date');
    }
    // The services wake the worker, which needs the services (the callback runs after both exist).
    const services = createServices(database, config, {
      onAnalysisQueued: () => analysis.notify(),
      onCommentQueued: () => fanout.notify(),
      onNarrativeQueued: () => narratives.notify(),
    });
    const analysis = new AnalysisWorker(services.analyses, config, logger);
    // A comment's emails go out as soon as its fan-out queued them, not at the outbox's next poll.
    const fanout = new CommentFanoutWorker(services.comments, config, logger, () => outbox?.notify());
    const narratives = new NarrativeWorker(services.ai, config, logger);
    // Every call to the model, logged without its content.
    services.ai.onCall = (call) => logger.info({ aiCall: call }, 'ai call');
    let workersRunning = false;
    app = await buildApp({
      config,
      logger,
      services,
      readiness: async () => {
        const base = await services.operations.readiness();
        return { ready: base.ready && workersRunning, checks: { ...base.checks, workers: workersRunning } };
      },
    });
    // Background work without a row of its own (the weekly digest, hourly): pg-boss. Started
    // before listening: once /health answers, the start is done (a stop signal finds it whole).
    jobs = new JobQueue(database, app.log);
    await jobs.start();
    const queue = jobs;
    const url = await app.listen({ host: config.host, port: config.port });
    const sender = new OutboxWorker(new EmailService(database, config, app.log), config, app.log);
    outbox = sender;
    sender.start();
    started.push(sender);
    // Comments' notifications and emails: every instance tells what it finds queued.
    fanout.start();
    started.push(fanout);
    if (config.nodeEnv === 'production' && !config.smtpUrl) {
      // Nobody could confirm an address (so nobody joins by domain or claims one) or reset a password.
      logger.warn('SMTP_URL is not set: emails (verification, password reset, invites) are logged, not sent');
    }
    const syncs = new IntegrationSyncWorker(services.integrations, config, app.log);
    services.integrations.onSyncQueued = () => syncs.notify();
    const maintenance = new MaintenanceWorker(services.maintenance, app.log, config.retentionEnabled, async (now) => {
      await services.integrations.queueDailySyncs(now);
      const billing = await services.billing.endLapsed(now);
      if (billing.downgraded.length) {
        logger.info({ organizations: billing.downgraded }, 'billing: paid periods over, back on the free plan');
      }
    });
    maintenance.start();
    started.push(maintenance);
    // The embedded database has no autovacuum (PGlite runs PostgreSQL's single-user backend).
    const upkeep = database.driver === 'pglite' ? new TableUpkeepWorker(services.maintenance, app.log) : null;
    upkeep?.start();
    if (upkeep) started.push(upkeep);
    // Picks up whatever was queued before this start, including runs a crash interrupted.
    if (config.analysisWorkerEnabled) {
      analysis.start();
      if (config.ai) narratives.start();
      syncs.start();
      started.push(analysis, narratives, syncs);
      await queue.work(services);
    } else
      logger.warn('ANALYSIS_WORKER_ENABLED=false: this instance queues analyses, syncs and jobs but does not run them');
    workersRunning = true;
    logger.info(
      { driver: database.driver, version: await database.serverVersion() },
      `StackAudit listening on ${url} (database: ${describeDatabase(config)})`,
    );
    let stopping: Promise<void> | undefined;
    const runningApp = app;
    return {
      app,
      database,
      url,
      stop() {
        stopping ??= (async () => {
          try {
            workersRunning = false;
            maintenance.stop();
            await upkeep?.stop();
            await analysis.stop();
            await narratives.stop();
            await syncs.stop();
            await fanout.stop();
            await sender.stop();
            await queue.stop(config.shutdownTimeoutMs);
            await runningApp.close();
          } finally {
            await database.close();
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const worker of started.reverse()) await Promise.resolve(worker.stop()).catch(() => {});
    await jobs?.stop(1_000).catch(() => {});
    await app?.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}

/** Runs the server until a signal, then shuts down within config.shutdownTimeoutMs. */
export async function serve(config: Config, logger: Logger): Promise<void> {
  const server = await startServer(config, logger);
  closeWithGrace({ delay: config.shutdownTimeoutMs, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'stopping after an unexpected error');
    else logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await server.stop();
    logger.info('stopped');
  });
}
