/**
 * A background pass run every `intervalMs`, never two at once, that can be woken early
 * (`notify`) and stopped after the pass in progress. The workers (analysis, outbox) each
 * run their pass on one of these.
 */
import type { FastifyBaseLogger } from 'fastify';

export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private again = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
    private readonly logger: FastifyBaseLogger,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Waits for the pass in progress, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Run a pass now (or right after the one in progress) rather than at the next interval. */
  notify(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.logger.warn({ err: { message: (error as Error).message } }, `${this.name}: pass failed`),
        )
        .finally(() => {
          this.running = null;
          const soon = this.again;
          this.again = false;
          this.schedule(soon ? 0 : this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}

/**
 * A worker over a queue kept in the database (the analysis queue on audits, the sync queue on
 * integration connections): each pass claims a batch, runs it, and claims again until
 * nothing is due. Subclasses say how to claim and how to run one item.
 */
export abstract class QueueWorker<T> {
  private readonly loop: PollingLoop;

  constructor(name: string, intervalMs: number, logger: FastifyBaseLogger) {
    this.loop = new PollingLoop(name, intervalMs, () => this.drain(), logger);
  }

  protected abstract claim(): Promise<T[]>;
  protected abstract run(item: T): Promise<void>;

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Something was queued in this process: look now rather than at the next poll. */
  notify(): void {
    this.loop.notify();
  }

  /** Runs everything due now, a claimed batch at a time; returns how many it ran. */
  async drain(): Promise<number> {
    let done = 0;
    for (;;) {
      const claimed = await this.claim();
      await Promise.all(claimed.map((item) => this.run(item)));
      done += claimed.length;
      if (claimed.length === 0 || this.loop.isStopped) return done;
    }
  }
}
