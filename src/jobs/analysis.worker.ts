/**
 * Runs queued analyses (services/analysis.service.ts says how): polls the queue, runs up
 * to ANALYSIS_CONCURRENCY at once, logs each outcome. `notify()` looks at once when this
 * instance queued one.
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import type { AnalysisService, ClaimedAudit } from '../services/analysis.service.js';
import { QueueWorker } from './polling-loop.js';

export class AnalysisWorker extends QueueWorker<ClaimedAudit> {
  constructor(
    private readonly analyses: AnalysisService,
    config: Config,
    private readonly logger: FastifyBaseLogger,
  ) {
    super('analysis', config.analysisPollMs, logger);
  }

  protected claim(): Promise<ClaimedAudit[]> {
    return this.analyses.claimQueued();
  }

  protected async run(audit: ClaimedAudit): Promise<void> {
    const started = performance.now();
    const outcome = await this.analyses.run(audit);
    if (outcome.status === 'completed') {
      this.logger.info(
        { auditId: audit.id, tools: outcome.summary.toolCount, ms: Math.round(performance.now() - started) },
        'analysis completed',
      );
    } else if (outcome.status === 'failed') {
      this.logger.warn({ auditId: audit.id, reason: outcome.reason }, 'analysis failed');
    }
  }
}
