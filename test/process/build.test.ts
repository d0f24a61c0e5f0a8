/**
 * When npm start rebuilds the server (scripts/build.ts, `--if-needed`): a build is stale when
 * it is missing or when anything it is built from changed after the build began — a source
 * edited, added or deleted, or the TypeScript settings and dependencies. A stale build that
 * passed for fresh would serve yesterday's code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { serverBuildStale } from '../../scripts/build.js';

let root: string;
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
/** Sets a file's (or folder's) modification time. */
const touch = (file: string, seconds: number) => fs.utimesSync(file, at(seconds), at(seconds));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stackaudit-build-'));
  fs.mkdirSync(path.join(root, 'src', 'db'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'main.ts'), '');
  fs.writeFileSync(path.join(root, 'src', 'db', 'schema.ts'), '');
  fs.writeFileSync(path.join(root, 'tsconfig.json'), '{}');
  for (const entry of ['src/db/schema.ts', 'src/main.ts', 'src/db', 'src', 'tsconfig.json'])
    touch(path.join(root, entry), 10);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A build that began at `seconds`. */
function built(seconds: number): void {
  fs.mkdirSync(path.join(root, 'dist', 'server'), { recursive: true });
  const stamp = path.join(root, 'dist', 'server', '.built');
  fs.writeFileSync(stamp, '');
  touch(stamp, seconds);
}

it('a missing build (or one stopped before its stamp) is stale; a build newer than every input is not', () => {
  expect(serverBuildStale(root)).toBe(true);
  fs.mkdirSync(path.join(root, 'dist', 'server'), { recursive: true });
  expect(serverBuildStale(root)).toBe(true);
  built(20);
  expect(serverBuildStale(root)).toBe(false);
});

it('a source edited, added or deleted after the build began makes it stale', () => {
  built(20);
  touch(path.join(root, 'src', 'db', 'schema.ts'), 30);
  expect(serverBuildStale(root)).toBe(true);

  built(40);
  fs.writeFileSync(path.join(root, 'src', 'db', 'added.ts'), '');
  expect(serverBuildStale(root)).toBe(true);

  // The added file and its folder dated before the next build: fresh again, until a deletion.
  touch(path.join(root, 'src', 'db', 'added.ts'), 35);
  touch(path.join(root, 'src', 'db'), 35);
  built(50);
  expect(serverBuildStale(root)).toBe(false);
  fs.rmSync(path.join(root, 'src', 'main.ts'));
  expect(serverBuildStale(root)).toBe(true);
});

it('changed TypeScript settings or dependencies make it stale too', () => {
  built(20);
  touch(path.join(root, 'tsconfig.json'), 30);
  expect(serverBuildStale(root)).toBe(true);
  built(40);
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
  touch(path.join(root, 'package-lock.json'), 50);
  expect(serverBuildStale(root)).toBe(true);
});
