/**
 * Tells the people a new comment concerns (services/comment.service.ts `fanOut` says how):
 * the queue is `comment_fanout_queue`, one row per comment. Polls every FANOUT_POLL_MS for
 * comments queued on other instances; `notify()` looks at once when this instance queued one.
 * Each pass takes batches until one is not full (what is posted meanwhile is gathered again).
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Config } from '../config.js';
import { FANOUT_BATCH, type CommentService } from '../services/comment.service.js';
import { PollingLoop } from './polling-loop.js';

/** How long a comment posted here waits for others to be told with it. */
const GATHER_MS = 100;

export class CommentFanoutWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly comments: CommentService,
    config: Config,
    private readonly logger: FastifyBaseLogger,
    /** Comments were told (their emails are queued): wake this instance's outbox worker. */
    private readonly onTold: () => void = () => {},
  ) {
    this.loop = new PollingLoop('comment fan-out', config.fanoutPollMs, () => this.drain(), logger);
  }

  start(): void {
    this.loop.start();
  }

  /** Finishes the batch in progress, then stops (what is left queued waits for the next start, on any instance). */
  stop(): Promise<void> {
    if (this.gathering) clearTimeout(this.gathering);
    this.gathering = null;
    return this.loop.stop();
  }

  /**
   * A comment was queued here: tell its people within GATHER_MS, together with whatever else
   * is posted meanwhile. Under load that makes one batch (five statements) of many comments
   * instead of one per comment; a person sees the notification a tenth of a second later.
   */
  notify(): void {
    if (this.gathering) return;
    this.gathering = setTimeout(() => {
      this.gathering = null;
      this.loop.notify();
    }, GATHER_MS);
    this.gathering.unref();
  }

  private gathering: NodeJS.Timeout | null = null;

  /**
   * Tells everyone concerned by the comments queued now, a full batch after another; returns
   * how many comments. It stops after a batch that was not full: comments posted meanwhile
   * are gathered again (`notify`) rather than told one or two at a time as they arrive —
   * under a steady stream of comments, going on at once made batches of one or two, five
   * statements each.
   */
  async drain(): Promise<number> {
    let done = 0;
    for (;;) {
      const told = await this.comments.fanOut(undefined, (commentId, reason) =>
        this.logger.error({ commentId, reason }, 'comment fan-out: gave up on a comment (its people are not told)'),
      );
      done += told;
      if (told > 0) this.onTold();
      if (told < FANOUT_BATCH || this.loop.isStopped) return done;
    }
  }
}
