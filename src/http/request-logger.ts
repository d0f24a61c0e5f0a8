/**
 * Each request's logger, built only when the request logs something.
 *
 * Fastify gives every request a child of the server's logger with its request id bound. A pino
 * child is built eagerly: its bindings are serialised (through the redaction) and its level
 * methods set up — several microseconds of every request, a tenth of what a refused request
 * costs the server, spent even when the request writes no line: at `LOG_LEVEL=warn` an answered
 * request logs nothing, and the quiet routes (/health, /ready, /metrics) log at `warn` at any
 * level. This factory (Fastify's `childLoggerFactory`) gives a request a logger that builds the
 * pino child on its first line at an enabled level, or its first `child()`: a line, when one is
 * written, is exactly the child's (same bindings, serializers, redaction, level); a request that
 * writes none costs one small object. pino has no lazy child of its own.
 */
import type { FastifyBaseLogger } from 'fastify';
import { levels, type Bindings, type ChildLoggerOptions } from 'pino';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** pino's number for a level; `silent` logs nothing; a custom level unknown here logs everything. */
function threshold(level: string): number {
  return level === 'silent' ? Infinity : (levels.values[level] ?? 0);
}

class LazyRequestLogger implements FastifyBaseLogger {
  #built: FastifyBaseLogger | undefined;
  readonly #threshold: number;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {
    this.#threshold = threshold(options.level ?? parent.level);
  }

  /** The pino child, built once. */
  private get real(): FastifyBaseLogger {
    return (this.#built ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.#built?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  // Each method: nothing below the level (pino's own method would be a no-op), else the child's.
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }

  private write(method: Method, args: unknown[]): void {
    // Once built (a level set on it, say), the child decides.
    if (this.#built === undefined && threshold(method) < this.#threshold) return;
    const real = this.real;
    Reflect.apply(real[method], real, args);
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, its pino child built on first use. */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options);
}
