/**
 * The web app, built by `npm run build` into dist/web and served by this process at `/`:
 * hashed assets cached for a year, index.html never cached, and every other GET outside
 * /api answered with index.html (the app's own router takes it from there).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** The package's folder: the nearest one above `from` with a package.json (from src/… or dist/server/…). */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return from;
  }
}

export const WEB_DIR = path.join(packageRoot(path.dirname(fileURLToPath(import.meta.url))), 'dist', 'web');

/** The built app's index.html, or null when the web app has not been built. */
export function readWebIndex(dir = WEB_DIR): string | null {
  try {
    return fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  } catch {
    return null;
  }
}

/** Answers a GET outside /api with the app's page; false when it is not one (the caller 404s). */
export function spaFallback(index: string | null) {
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (!index || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
    const pathname = request.url.split('?')[0] ?? '';
    if (pathname.startsWith('/api/') || pathname === '/api' || path.extname(pathname) !== '') return false;
    void reply.code(200).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
    return true;
  };
}

export const webPlugin = fp<{ dir: string }>(async function web(app: FastifyInstance, { dir }) {
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false, // one route per built file; anything else falls through to the app page or a 404
    index: false,
    setHeaders(res, file) {
      res.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
});
