/**
 * Runs queued integration syncs: the connection's row is the job (queued → running with a
 * lease → idle), claimed with SKIP LOCKED so that with several instances each sync runs once;
 * a crashed instance's run is taken over when its lease expires. Failures retry with backoff
 * (services/integration.service.ts decides).
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import { SYNC_LEASE_SECONDS, type IntegrationService, type SyncJob } from '../services/integration.service.js';
import { QueueWorker } from './polling-loop.js';

/** Syncs one instance runs at once (each reads a provider's API for a while). */
const CONCURRENCY = 2;

export class IntegrationSyncWorker extends QueueWorker<SyncJob> {
  constructor(
    private readonly integrations: IntegrationService,
    config: Config,
    private readonly logger: FastifyBaseLogger,
  ) {
    super('integration sync', config.integrationPollMs, logger);
  }

  protected claim(): Promise<SyncJob[]> {
    return this.integrations.claimDueSyncs(CONCURRENCY, SYNC_LEASE_SECONDS);
  }

  protected run(row: SyncJob): Promise<void> {
    return this.integrations.runSync(row, this.logger);
  }
}
