/**
 * Tells the people a new comment concerns (services/comment.service.ts `fanOut` says how):
 * the queue is the comments themselves (`fanout_pending`). Polls every FANOUT_POLL_MS for
 * comments queued on other instances; `notify()` looks at once when this instance queued one.
 * Each pass takes batches until the queue is empty.
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import type { CommentService } from '../services/comment.service.js';
import { PollingLoop } from './polling-loop.js';

export class CommentFanoutWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly comments: CommentService,
    config: Config,
    logger: FastifyBaseLogger,
  ) {
    this.loop = new PollingLoop('comment fan-out', config.fanoutPollMs, () => this.drain(), logger);
  }

  start(): void {
    this.loop.start();
  }

  /** Finishes the batch in progress, then stops. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  notify(): void {
    this.loop.notify();
  }

  /** Tells everyone concerned by the comments queued now; returns how many comments. */
  async drain(): Promise<number> {
    let done = 0;
    for (;;) {
      const told = await this.comments.fanOut();
      done += told;
      if (told === 0 || this.loop.isStopped) return done;
    }
  }
}
