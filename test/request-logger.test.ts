/**
 * Each request's logger builds its pino child only when the request writes a line
 * (src/http/request-logger.ts): what is written must be exactly what the eager child writes.
 */
import { Writable } from 'node:stream';

import Fastify from 'fastify';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { lazyRequestLogger } from '../src/http/request-logger.js';
import { REDACTED_PATHS } from '../src/logger.js';

function capture(level: string): { logger: Logger; lines: () => Record<string, unknown>[]; children: () => number } {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  const logger = pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: null, timestamp: false },
    sink,
  );
  // Count the children built: the point of the lazy logger is how few. (pino's children inherit
  // from their parent, so this counts theirs too, each made on its own `this`.)
  let children = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each caller's own `this`
  const child = logger.child;
  logger.child = function (this: Logger, ...args: Parameters<Logger['child']>) {
    children += 1;
    return child.apply(this, args);
  } as Logger['child'];
  return {
    logger,
    lines: () =>
      written
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    children: () => children,
  };
}

describe('the request logger', () => {
  const apps: { close: () => Promise<unknown> }[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('writes what the eager pino child writes, bindings, level and redaction alike', () => {
    const eager = capture('info');
    const lazy = capture('info');
    const write = (log: Pick<Logger, 'info' | 'warn' | 'debug' | 'error'>) => {
      log.info({ body: { password: 's3cret' }, n: 1 }, 'one');
      log.warn('two %s', 'x');
      log.debug('not written at info');
      log.error(new Error('three'));
    };
    write(eager.logger.child({ reqId: 'r-1' }, {}));
    write(lazyRequestLogger(lazy.logger, { reqId: 'r-1' }, {}));
    const strip = (lines: Record<string, unknown>[]) =>
      lines.map(({ err, ...rest }) => ({
        ...rest,
        err: err === undefined ? undefined : (err as { message: string }).message,
      }));
    expect(strip(lazy.lines())).toEqual(strip(eager.lines()));
    expect(lazy.lines().map((l) => l.msg)).toEqual(['one', 'two x', 'three']);
    expect(JSON.stringify(lazy.lines())).not.toContain('s3cret');
    expect(lazy.lines().every((l) => l.reqId === 'r-1')).toBe(true);
  });

  it('builds no child for lines below the level, and one for the first line written', () => {
    const { logger, lines, children } = capture('warn');
    const log = lazyRequestLogger(logger, { reqId: 'r-2' }, {});
    log.info('quiet');
    log.debug('quiet');
    log.trace('quiet');
    expect(children()).toBe(0);
    expect(log.level).toBe('warn');
    log.warn('loud');
    log.error('louder');
    expect(children()).toBe(1);
    expect(lines().map((l) => [l.msg, l.reqId])).toEqual([
      ['loud', 'r-2'],
      ['louder', 'r-2'],
    ]);
  });

  it('follows a route’s own level, both ways, and a level set on it later', () => {
    const info = capture('info');
    const quiet = lazyRequestLogger(info.logger, { reqId: 'r-3' }, { level: 'warn' });
    quiet.info('not at warn');
    expect(info.children()).toBe(0);
    const warn = capture('warn');
    const verbose = lazyRequestLogger(warn.logger, { reqId: 'r-4' }, { level: 'debug' });
    verbose.debug('at debug');
    expect(warn.lines().map((l) => l.msg)).toEqual(['at debug']);
    const later = lazyRequestLogger(warn.logger, { reqId: 'r-5' }, {});
    later.level = 'info';
    later.info('after the level changed');
    expect(warn.lines().map((l) => l.msg)).toEqual(['at debug', 'after the level changed']);
    const child = lazyRequestLogger(warn.logger, { reqId: 'r-6' }, {}).child({ job: 'x' });
    child.warn('from a grandchild');
    expect(warn.lines().at(-1)).toMatchObject({ reqId: 'r-6', job: 'x', msg: 'from a grandchild' });
  });

  it('serves Fastify: request lines carry the request id, a quiet request builds nothing', async () => {
    const { logger, lines, children } = capture('info');
    const app = Fastify({ loggerInstance: logger, childLoggerFactory: lazyRequestLogger, genReqId: () => 'req-7' });
    apps.push(app);
    app.get('/loud', async (request) => {
      request.log.warn({ body: { token: 's3cret' } }, 'handler line');
      return { ok: true };
    });
    app.get('/quiet', { logLevel: 'warn' }, async () => ({ ok: true }));
    expect((await app.inject({ url: '/loud' })).statusCode).toBe(200);
    const loud = lines();
    expect(loud.map((l) => l.msg)).toEqual(['incoming request', 'handler line', 'request completed']);
    expect(loud.every((l) => l.reqId === 'req-7')).toBe(true);
    expect(JSON.stringify(loud)).not.toContain('s3cret');
    const before = children();
    expect((await app.inject({ url: '/quiet' })).statusCode).toBe(200);
    expect(lines()).toHaveLength(loud.length);
    expect(children()).toBe(before);
  });
});
