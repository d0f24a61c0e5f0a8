/**
 * `npm run bench`: HTTP throughput and latency of the real server on a seeded database.
 *
 * PostgreSQL (a throwaway cluster, or BENCH_DATABASE_URL): 100 k audits across 1 k
 * organizations of very different sizes (five with 10 k audits each), with analyses,
 * comments and activity; the embedded database with 10 k audits. Then autocannon against
 * GET /api/audits/:id, GET /api/audits (first and a deep page, smallest and largest
 * organization), POST a comment and GET /health at 1, 16 and 64 connections, and, as a
 * floor, the same SQL through a raw pg Pool. Prints a table and writes bench/results.md.
 * BENCH_AUDITS and BENCH_SECONDS scale it down for a quick look; BENCH_ONLY=postgres|embedded
 * runs one database, BENCH_SCENARIOS=text only the scenarios whose name contains it, and
 * BENCH_NODE_ARGS adds flags to the server process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 * A partial run prints its table but leaves bench/results.md alone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';
import pg from 'pg';

import { hashToken } from '../src/domain/tokens.js';
import { PostgresCluster, freePort } from '../test/harness/postgres-cluster.js';

const AUDITS = Number(process.env.BENCH_AUDITS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,16,64').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY ?? '';
const SCENARIOS = process.env.BENCH_SCENARIOS ?? '';
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const PARTIAL = Boolean(ONLY || SCENARIOS || process.env.BENCH_CONNECTIONS);
const ROOT = path.resolve(import.meta.dirname, '..');

/** The resident memory of a process in MiB (Linux /proc), 0 where unknown. */
function rssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}
const peakRss = { postgres: 0, embedded: 0 };

interface Row {
  database: string;
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Seeds organizations, users with sessions, audits, analyses, comments and activity, in SQL. */
async function seed(
  query: (sql: string, params?: unknown[]) => Promise<unknown>,
  audits: number,
): Promise<{ small: string; large: string; token: string; auditId: string; largeToken: string }> {
  const orgs = Math.max(10, Math.round(audits / 100));
  const bigOrgs = 5;
  const perBig = Math.round(audits / 2 / bigOrgs);
  await query(
    `INSERT INTO organizations (id, name, plan, settings) SELECT 'org_b' || i, 'Org ' || i, 'enterprise', '{}'::jsonb FROM generate_series(1, ${orgs}) i`,
  );
  await query(`INSERT INTO users (id, email, password_hash, name, organization_id, role, plan)
    SELECT 'user_b' || i, 'u' || i || '@bench.example', 'x', 'User ' || i, 'org_b' || i, 'admin', 'enterprise' FROM generate_series(1, ${orgs}) i`);
  // Half the audits in five big organizations, the other half spread over the rest.
  const stack = JSON.stringify({
    currency: 'USD',
    tools: Array.from({ length: 10 }, (_, i) => ({
      name: `Tool ${i}`,
      monthlyCost: 10 * i,
      seats: 10,
      activeSeats: 7,
    })),
  });
  await query(
    `INSERT INTO audits (id, organization_id, user_id, name, stack_data, status, created_at, tool_count, total_monthly_cost, potential_monthly_savings)
     SELECT 'audit_b' || i,
            CASE WHEN i <= ${perBig * bigOrgs} THEN 'org_b' || (1 + (i % ${bigOrgs})) ELSE 'org_b' || (${bigOrgs + 1} + (i % ${orgs - bigOrgs})) END,
            NULL, 'Audit ' || i, $1::jsonb, 'completed', now() - (i || ' seconds')::interval, 10, 450, 90
       FROM generate_series(1, ${audits}) i`,
    [stack],
  );
  await query(`UPDATE audits SET user_id = 'user_b' || substr(organization_id, 6)`);
  await query(`INSERT INTO analysis_results (id, audit_id, summary, recommendations, cost_analysis, risk_assessment, created_at)
    SELECT 'analysis_b' || i, 'audit_b' || i, '{"toolCount":10,"totalMonthlyCost":450}'::jsonb, '[]'::jsonb, '{}'::jsonb, '{"score":10}'::jsonb, now()
      FROM generate_series(1, ${Math.round(audits / 5)}) i`);
  await query(`INSERT INTO audit_comments (id, audit_id, user_id, content, created_at, updated_at)
    SELECT 'cmt_b' || i, 'audit_b' || (1 + i % ${audits}), 'user_b' || (1 + (1 + i % ${audits}) % ${bigOrgs}), 'Comment ' || i, now(), now() FROM generate_series(1, ${Math.round(audits / 5)}) i`);
  await query(`INSERT INTO collaboration_activity (id, organization_id, audit_id, user_id, action, metadata, created_at)
    SELECT 'act_b' || i, a.organization_id, a.id, a.user_id, 'audit_created', '{}'::jsonb, a.created_at FROM audits a
     JOIN generate_series(1, ${Math.round(audits / 2)}) i ON a.id = 'audit_b' || i`);
  const token = 'bench-small-org-token-000000000000000000000';
  const largeToken = 'bench-large-org-token-000000000000000000000';
  const small = `org_b${orgs}`;
  await query(
    `INSERT INTO sessions (id, token_hash, user_id, expires_at) VALUES ('sess_b1', $1, $2, now() + interval '1 day'), ('sess_b2', $3, 'user_b1', now() + interval '1 day')`,
    [hashToken(token), `user_b${orgs}`, hashToken(largeToken)],
  );
  await query('ANALYZE');
  return { small, large: 'org_b1', token, largeToken, auditId: 'audit_b5' };
}

async function startServer(env: Record<string, string>): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  // The flags `npm start` runs the server with (its heap cap), then any of BENCH_NODE_ARGS.
  const startFlags = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start
    .split(' ')
    .filter((word) => word.startsWith('--max-'));
  const child = spawn(process.execPath, [...startFlags, ...NODE_ARGS, '--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      APP_URL: 'http://127.0.0.1',
      DATABASE_SSL: 'disable',
      RATE_LIMIT_LOGIN_PER_IP: '1000000',
      METRICS_ENABLED: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

async function measure(
  url: string,
  connections: number,
  init: Partial<autocannon.Options> = {},
): Promise<Omit<Row, 'database' | 'scenario'>> {
  const result = await autocannon({ url, connections, duration: SECONDS, ...init });
  return {
    connections,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function benchServer(
  database: 'postgres' | 'embedded',
  url: string,
  pid: number,
  ids: Awaited<ReturnType<typeof seed>>,
  rows: Row[],
): Promise<void> {
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const firstPage = (await (await fetch(`${url}/api/audits?limit=20`, { headers: auth(ids.largeToken) })).json()) as {
    nextCursor: string;
  };
  // A cursor deep into the largest organization's list (the last one a page gives out).
  let cursor = firstPage.nextCursor;
  for (let i = 0; i < 20; i++) {
    const page = await fetch(`${url}/api/audits?limit=100&cursor=${cursor}`, { headers: auth(ids.largeToken) });
    const next = ((await page.json()) as { nextCursor: string | null }).nextCursor;
    if (!next) break;
    cursor = next;
  }
  const scenarios: [string, Partial<autocannon.Options> & { url: string }][] = [
    ['GET /api/audits/:id', { url: `${url}/api/audits/${ids.auditId}`, headers: auth(ids.largeToken) }],
    ['GET /api/audits (smallest org)', { url: `${url}/api/audits`, headers: auth(ids.token) }],
    ['GET /api/audits (largest org)', { url: `${url}/api/audits`, headers: auth(ids.largeToken) }],
    [
      'GET /api/audits (largest org, deep page)',
      { url: `${url}/api/audits?cursor=${cursor}`, headers: auth(ids.largeToken) },
    ],
    [
      'POST comment',
      {
        url: `${url}/api/audits/${ids.auditId}/comments`,
        method: 'POST',
        headers: { ...auth(ids.largeToken), 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'Benchmark comment' }),
      },
    ],
    ['GET /health', { url: `${url}/health` }],
  ];
  for (const [scenario, init] of scenarios.filter(([name]) => name.includes(SCENARIOS))) {
    for (const connections of CONNECTIONS) {
      const m = await measure(init.url, connections, init);
      rows.push({ database, scenario, ...m });
      peakRss[database] = Math.max(peakRss[database], rssMiB(pid));
      console.log(
        `${database.padEnd(10)} ${scenario.padEnd(42)} c=${String(connections).padStart(2)} ${String(m.rps).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  errors ${m.errors}`,
      );
    }
  }
}

async function rawFloor(connectionString: string, ids: Awaited<ReturnType<typeof seed>>, rows: Row[]): Promise<void> {
  const pool = new pg.Pool({ connectionString, max: 16 });
  const queries: [string, string, unknown[]][] = [
    ['raw SQL: audit by id', 'SELECT * FROM audits WHERE id = $1 AND organization_id = $2', [ids.auditId, ids.large]],
    [
      'raw SQL: first page (largest org)',
      'SELECT id, name, status, created_at, tool_count FROM audits WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 21',
      [ids.large],
    ],
  ];
  for (const [scenario, text, params] of queries) {
    let done = 0;
    const latencies: number[] = [];
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() < end) {
          const start = performance.now();
          await pool.query(text, params);
          latencies.push(performance.now() - start);
          done++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const row = {
      database: 'postgres',
      scenario,
      connections: 16,
      rps: Math.round(done / SECONDS),
      p50: Math.round(latencies[Math.floor(latencies.length / 2)]! * 100) / 100,
      p99: Math.round(latencies[Math.floor(latencies.length * 0.99)]! * 100) / 100,
      errors: 0,
    };
    rows.push(row);
    console.log(
      `${row.database.padEnd(10)} ${scenario.padEnd(42)} c=16 ${String(row.rps).padStart(6)} q/s    p50 ${row.p50} ms  p99 ${row.p99} ms`,
    );
  }
  await pool.end();
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (ONLY !== 'embedded') await benchPostgres(rows);
  if (ONLY !== 'postgres') await benchEmbedded(rows);
  if (PARTIAL) {
    console.log(`\nServer peak RSS: ${peakRss.postgres} MiB (PostgreSQL), ${peakRss.embedded} MiB (embedded)`);
    console.log(
      'A partial run (BENCH_ONLY, BENCH_SCENARIOS or BENCH_CONNECTIONS): bench/results.md is left as it was.',
    );
    return;
  }
  writeResults(rows);
}

async function benchPostgres(rows: Row[]): Promise<void> {
  let cluster: PostgresCluster | null = null;
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    cluster = await PostgresCluster.create();
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE stackaudit_bench');
    await admin.end();
    url = cluster.urlFor('stackaudit_bench');
  }
  try {
    console.log(`Seeding PostgreSQL with ${AUDITS} audits…`);
    const migrate = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: 'inherit',
    });
    await new Promise((r) => migrate.on('exit', r));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const started = Date.now();
    const ids = await seed((text, params) => client.query(text, params), AUDITS);
    await client.end();
    console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const server = await startServer({ DATABASE_URL: url, DB_POOL_MAX: '10' });
    try {
      await benchServer('postgres', server.url, server.pid, ids, rows);
    } finally {
      server.stop();
    }
    if (!SCENARIOS || 'raw SQL'.includes(SCENARIOS)) await rawFloor(url, ids, rows);
  } finally {
    await cluster?.destroy();
  }
}

async function benchEmbedded(rows: Row[]): Promise<void> {
  // The embedded database, with 10 k audits (PGlite loads about 900 rows/s through the API; SQL is faster).
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackaudit-bench-pglite-'));
  try {
    const embeddedAudits = Math.min(AUDITS, 10_000);
    console.log(`Seeding the embedded database with ${embeddedAudits} audits…`);
    const { openPglite } = await import('../src/db/pglite.js');
    const { runMigrations } = await import('../src/db/migrate.js');
    const { pino } = await import('pino');
    const database = await openPglite(dataDir, pino({ level: 'silent' }));
    await runMigrations(database);
    const ids = await seed((text, params) => database.query(text, params), embeddedAudits);
    await database.close();
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      await benchServer('embedded', server.url, server.pid, ids, rows);
    } finally {
      server.stop();
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function writeResults(rows: Row[]): void {
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString()}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL from the machine, ${AUDITS} audits (embedded: ${Math.min(AUDITS, 10_000)}), ${SECONDS} s per measurement, autocannon on the same machine.`,
    '',
    '| database | scenario | connections | req/s | p50 ms | p99 ms | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) => `| ${r.database} | ${r.scenario} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`,
    ),
    '',
    `Server process peak RSS during the runs: ${peakRss.postgres} MiB on PostgreSQL, ${peakRss.embedded} MiB on the embedded database (PGlite's WebAssembly heap included).`,
    '',
  ];
  console.log(`\nServer peak RSS: ${peakRss.postgres} MiB (PostgreSQL), ${peakRss.embedded} MiB (embedded)`);
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), lines.join('\n'));
  console.log('\nWritten to bench/results.md');
}

await main();
