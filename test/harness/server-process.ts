/**
 * The real server as a separate process (`node --import tsx src/main.ts …`, or compiled
 * through scripts/serve.sh as npm start runs it: `startScript`), for what only a process
 * shows: persistence across SIGKILL, locks, shutdown, outages, boot races.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import { freePort } from './postgres-cluster.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The environment of a server or CLI process: no inherited database settings. */
export function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of [
    'DATABASE_URL',
    'USE_POSTGRES',
    'DATA_DIR',
    'PORT',
    'NODE_ENV',
    'DATABASE_SSL',
    'VITEST',
    'VITEST_POOL_ID',
    'VITEST_WORKER_ID',
    'MALLOC_MMAP_THRESHOLD_',
  ]) {
    delete base[key];
  }
  return { ...base, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts `serve` and resolves once /health answers 200 (or rejects with its output). A PORT in
 * `env` is used (a caller that must know the URL beforehand, e.g. for APP_URL); else a free one.
 * `startScript`: through scripts/serve.sh, as `npm start` and the Docker image run it: the
 * compiled server (dist/server, built by the suite's setup), Node `exec`ed by the script (the
 * child's pid and signals are the server's).
 */
export async function startServer(
  env: Record<string, string>,
  { timeoutMs = 60_000, startScript = false }: { timeoutMs?: number; startScript?: boolean } = {},
): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const [command, args] = startScript
    ? ['sh', ['scripts/serve.sh']]
    : [process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve']];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: processEnv({ PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const server: ServerProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void exited.then(() => (ended = true));
  while (Date.now() < deadline) {
    if (ended) throw new Error(`the server exited before it was healthy:\n${output}`);
    try {
      const response = await fetch(`${server.url}/health`);
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.kill();
  throw new Error(`the server was not healthy within ${timeoutMs} ms:\n${output}`);
}

/** A running process's command line and environment, as the kernel has them (Linux). */
export function processImage(pid: number): { argv: string[]; env: Record<string, string> } {
  const fields = (file: string) => fs.readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter(Boolean);
  return {
    argv: fields('cmdline'),
    env: Object.fromEntries(
      fields('environ').map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    ),
  };
}

/** Runs a CLI command to its end: `node --import tsx src/main.ts …args`. */
export function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: processEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}
