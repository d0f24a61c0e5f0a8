/**
 * Writes the AI narratives of analyses (services/ai.service.ts `writeNarrative` says how):
 * the queue is `audit_narratives` rows still 'pending', claimed with a lease. Polls every
 * ANALYSIS_POLL_MS; `notify()` looks at once when an analysis completed here. Runs only on
 * instances that run analyses, and only with a model configured (AI_*).
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import type { AiService, ClaimedNarrative } from '../services/ai.service.js';
import { QueueWorker } from './polling-loop.js';

export class NarrativeWorker extends QueueWorker<ClaimedNarrative> {
  constructor(
    private readonly ai: AiService,
    config: Config,
    private readonly logger: FastifyBaseLogger,
  ) {
    super('narrative', config.analysisPollMs, logger);
  }

  protected claim(): Promise<ClaimedNarrative[]> {
    return this.ai.claimNarratives();
  }

  protected async run(job: ClaimedNarrative): Promise<void> {
    const outcome = await this.ai.writeNarrative(job);
    const fields = { auditId: job.auditId, analysisId: job.analysisId, attempt: job.attempts };
    if (outcome.status === 'ready') this.logger.info(fields, 'narrative written');
    else if (outcome.status === 'retry')
      this.logger.warn({ ...fields, reason: outcome.reason }, 'narrative: will try again');
    else this.logger.warn({ ...fields, reason: outcome.reason }, 'narrative dropped');
  }
}
