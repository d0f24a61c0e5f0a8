/**
 * A body over the size limit is a 413 the client receives (#14): over a real TCP connection,
 * a client streaming a 2 MB body reads the contract's 413, not ECONNRESET or EPIPE; and a
 * client that never stops is cut off after a bounded amount.
 *
 * The client is a plain socket that writes its whole body, in paced 64 KiB chunks as over a
 * network, before it reads the answer, as many clients do. (node:http's client reads the
 * answer while it writes, and on loopback the kernel's buffers swallow 2 MB at once: either
 * would hide the reset.) One database is enough: the body is refused before any handler.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { DRAIN_LIMIT_BYTES } from '../../src/http/plugins/errors.js';
import { buildTestApp } from '../harness/app.js';
import { createTestDatabase, type TestDatabase } from '../harness/databases.js';

interface Outcome {
  /** The answer as received (status line, headers, body), '' if none arrived. */
  answer: string;
  /** The socket's error (EPIPE, ECONNRESET), null if none. */
  error: string | null;
  /** Bytes of the body written before the socket failed or the body was done. */
  written: number;
}

const CHUNK = Buffer.alloc(64 * 1024, '1,');

/** POSTs `total` bytes to /api/audits, declared by Content-Length or sent chunked; then reads the answer. */
function post(port: number, total: number, framing: 'content-length' | 'chunked', paceMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.pause(); // nothing is read before the body is written
    const outcome: Outcome = { answer: '', error: null, written: 0 };
    socket.on('error', (error: NodeJS.ErrnoException) => (outcome.error ??= error.code ?? error.message));
    socket.on('data', (data: Buffer) => (outcome.answer += data.toString('utf8')));
    socket.on('close', () => resolve(outcome));
    socket.on('connect', () => {
      void (async () => {
        const length = framing === 'content-length' ? `Content-Length: ${total}` : 'Transfer-Encoding: chunked';
        socket.write(`POST /api/audits HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n${length}\r\n\r\n`);
        while (outcome.error === null && !socket.destroyed && outcome.written < total) {
          const piece = CHUNK.subarray(0, Math.min(CHUNK.length, total - outcome.written));
          outcome.written += piece.length;
          const data =
            framing === 'content-length'
              ? piece
              : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
          if (!socket.write(data)) {
            await new Promise((done) => socket.once('drain', done).once('close', done));
          }
          if (paceMs) await sleep(paceMs);
        }
        if (outcome.error === null && !socket.destroyed && framing === 'chunked') socket.write('0\r\n\r\n');
        socket.resume();
      })();
    });
  });
}

describe('a body over the limit, over TCP', () => {
  let database: TestDatabase;
  let app: App;
  let port: number;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    app = await buildTestApp(database.database);
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  it.each(['content-length', 'chunked'] as const)(
    'streaming 2 MB (%s): the client reads the 413 in the contract format, then the connection closes',
    async (framing) => {
      const outcome = await post(port, 2 * 1024 * 1024, framing, 2);
      expect(outcome.error).toBeNull();
      expect(outcome.written).toBe(2 * 1024 * 1024);
      const [head, body] = outcome.answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 413 /);
      expect(head?.toLowerCase()).toContain('connection: close');
      expect(JSON.parse(body ?? '')).toEqual({
        error: { code: 'payload_too_large', message: expect.stringContaining('1 MiB') as string },
      });
    },
  );

  it('a client that never stops is cut off once it has sent a bounded amount', async () => {
    const outcome = await post(port, 256 * 1024 * 1024, 'chunked', 0);
    // The server stopped reading near the bound (plus what socket buffers hold), far short
    // of the 256 MB offered, and the client's writes failed from then on.
    expect(outcome.error).not.toBeNull();
    expect(outcome.written).toBeLessThan(1024 * 1024 + DRAIN_LIMIT_BYTES + 16 * 1024 * 1024);
  }, 30_000);
});
