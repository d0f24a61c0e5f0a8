/**
 * A throwaway PostgreSQL cluster from the machine's own binaries (initdb/pg_ctl under
 * /usr/lib/postgresql/N/bin, or on PATH): a temp directory, a free port, trust auth on
 * loopback, fsync off. As root it runs as the `postgres` user, since initdb refuses root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const INSTALL_HINT =
  'Install PostgreSQL (Debian/Ubuntu: `apt-get update && apt-get install -y postgresql`; ' +
  'macOS: `brew install postgresql`), or point TEST_DATABASE_URL at a server where the user may create databases. ' +
  'Set ALLOW_NO_POSTGRES=1 only to run the embedded-database half alone.';

export function findPostgresBin(): string | null {
  const candidates: string[] = [];
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    for (const version of fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))) {
      candidates.push(path.join(base, version, 'bin'));
    }
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(dir);
  return (
    candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) ?? null
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export class PostgresCluster {
  private constructor(
    readonly bin: string,
    readonly dir: string,
    readonly port: number,
    /** Extra server settings (`-c name=value`), e.g. the bench's pg_stat_statements. */
    private readonly settings: Record<string, string> = {},
  ) {}

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  urlFor(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  static async create(settings: Record<string, string> = {}): Promise<PostgresCluster> {
    const bin = findPostgresBin();
    if (!bin) throw new Error(`No PostgreSQL server binaries (initdb, pg_ctl) were found. ${INSTALL_HINT}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackaudit-pg-'));
    fs.chmodSync(dir, 0o755);
    if (isRoot()) execFileSync('chown', ['postgres:postgres', dir]);
    const cluster = new PostgresCluster(bin, dir, await freePort(), settings);
    cluster.run('initdb', [
      '-D',
      path.join(dir, 'data'),
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    cluster.start();
    return cluster;
  }

  private run(tool: string, args: string[]): void {
    const command = path.join(this.bin, tool);
    const result = isRoot()
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
      const log = path.join(this.dir, 'log');
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr || result.error?.message}\n${tail}`);
    }
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200${Object.entries(
      this.settings,
    )
      .map(([name, value]) => ` -c ${name}=${value}`)
      .join('')}`;
    this.run('pg_ctl', [
      '-D',
      path.join(this.dir, 'data'),
      '-w',
      '-t',
      '60',
      '-l',
      path.join(this.dir, 'log'),
      '-o',
      options,
      'start',
    ]);
  }

  /** Stops the server at once, as a crash or an outage would. */
  stop(): void {
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
