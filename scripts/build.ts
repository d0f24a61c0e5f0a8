/**
 * Builds what `npm start` serves: the server as JavaScript (dist/server, by tsc with
 * tsconfig.build.json, its SQL migrations beside it) and the web app (dist/web, by Vite).
 *
 * The server runs compiled, not through tsx: tsx's loader runs on a thread of its own with a
 * V8 heap of its own, which cost the server ~30 MiB of resident memory for nothing after
 * the start (benchmark on PostgreSQL, 2026-12-04: peak RSS 193 MiB compiled, 225 through tsx;
 * docs/OPERATIONS.md, "Memory").
 *
 * `node --import tsx scripts/build.ts` builds both; `--if-needed` (npm start's prestart, the
 * benchmark, the test suite's setup) builds the server only when a source is newer than its
 * build, and the web app only when it is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_DIR = path.join(ROOT, 'dist', 'server');
/** Written last: a build stopped half-way has none, and counts as missing. */
const STAMP = path.join(SERVER_DIR, '.built');
/** What the server's build is made of besides src/. */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its directory
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/** Whether dist/server is missing, half-written, or older than a source it is built from (`root`: the package's folder). */
export function serverBuildStale(root = ROOT): boolean {
  const stamp = path.join(root, path.relative(ROOT, STAMP));
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  return [path.join(root, 'src'), ...INPUTS.map((name) => path.join(root, name))].some(
    (entry) => fs.existsSync(entry) && newestMtime(entry) > built,
  );
}

/**
 * Compiles src/ into dist/server afresh: into a folder of its own, moved into place once whole
 * (a server running from the old build, or another build at the same time, never sees half of
 * one), nothing of an older build left behind. The stamp carries the time the build began: a
 * source saved while it ran is newer, and the next start builds again.
 */
export function buildServer(): void {
  const began = new Date();
  const next = `${SERVER_DIR}.${process.pid}.tmp`;
  fs.rmSync(next, { recursive: true, force: true });
  try {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', next], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    // tsc emits JavaScript and the JSON it imports; the migrations are read from beside migrate.js.
    fs.cpSync(path.join(ROOT, 'src', 'db', 'migrations'), path.join(next, 'db', 'migrations'), { recursive: true });
    const stamp = path.join(next, path.basename(STAMP));
    fs.writeFileSync(stamp, `${began.toISOString()}\n`);
    fs.utimesSync(stamp, began, began);
    fs.rmSync(SERVER_DIR, { recursive: true, force: true });
    fs.renameSync(next, SERVER_DIR);
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
  }
}

export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

/** Whether this file is the command being run (symbolic links in the path resolved on both sides). */
function runAsScript(): boolean {
  try {
    return (
      process.argv[1] !== undefined &&
      fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (runAsScript()) {
  const ifNeeded = process.argv.includes('--if-needed');
  if (!ifNeeded || serverBuildStale()) {
    console.log('Building the server into dist/server…');
    try {
      buildServer();
    } catch (error) {
      // Without dev dependencies (npm ci --omit=dev) there is no TypeScript: build beforehand.
      console.error(
        `The server could not be built (${(error as Error).message}): run npm run build where TypeScript is installed.`,
      );
      process.exit(1);
    }
  }
  if (!ifNeeded || !fs.existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) {
    console.log('Building the web app into dist/web…');
    try {
      await buildWeb();
    } catch (error) {
      // The API works without it: say so rather than refuse to start.
      console.error(`The web app could not be built (${(error as Error).message}); serving the API only.`);
      if (!ifNeeded) process.exit(1);
    }
  }
}
