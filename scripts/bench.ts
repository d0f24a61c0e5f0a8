/**
 * `npm run bench`: HTTP throughput and latency of the real server on a seeded database.
 *
 * PostgreSQL (a throwaway cluster, or BENCH_DATABASE_URL): 100 k audits across 1 k
 * organizations of very different sizes (five with 10 k audits each), each with a real
 * team's stack, a fifth with the analysis the engine makes of it, comments and activity;
 * then VACUUM ANALYZE, as a database in service would have had. The embedded database gets
 * 10 k audits. Then autocannon against GET /api/audits/:id, GET /api/audits (first and a deep
 * page, smallest and largest organization), POST a comment, GET /health and a request refused
 * before any query (the HTTP stack alone) at 1, 16 and 64 connections, with the CPU each
 * process spent per request (server, PostgreSQL, autocannon: they share this machine's
 * cores). Floors: the same work without HTTP from one process, through the server's services
 * and as their very SQL through a raw pg Pool. Prints a table and writes bench/results.md
 * (bench/results-N.md for BENCH_AUDITS=N other than 100 k, e.g. 1000000).
 * BENCH_SECONDS sets each measurement's length; BENCH_ONLY=postgres|embedded runs one
 * database, BENCH_SCENARIOS=text only the scenarios whose name contains it (`floor` for the
 * floors), BENCH_CONNECTIONS=16,64 those levels, and BENCH_NODE_ARGS adds flags to the server
 * process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). A partial run prints its table but
 * writes no file.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { pino } from 'pino';

import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { openPostgres } from '../src/db/postgres.js';
import * as schema from '../src/db/schema.js';
import { analyze } from '../src/domain/analysis/engine.js';
import { hashToken } from '../src/domain/tokens.js';
import { AccessRepository } from '../src/repositories/access.repository.js';
import { AuditRepository } from '../src/repositories/audit.repository.js';
import { SessionRepository } from '../src/repositories/session.repository.js';
import { createServices } from '../src/services/index.js';
import { PostgresCluster, freePort } from '../test/harness/postgres-cluster.js';

const AUDITS = Number(process.env.BENCH_AUDITS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,16,64').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY ?? '';
const SCENARIOS = process.env.BENCH_SCENARIOS ?? '';
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const PARTIAL = Boolean(ONLY || SCENARIOS || process.env.BENCH_CONNECTIONS);
const ROOT = path.resolve(import.meta.dirname, '..');

/** The fields of /proc/PID/stat after the command name (state first), or null. */
function procStat(pid: number | string): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

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

const TICK_MS = 1000 / (Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);

/** CPU time (user + system) a process has used so far, in ms; with `reaped`, its waited-for children's too. */
function cpuMs(pid: number, reaped = false): number {
  const f = procStat(pid);
  if (!f) return 0;
  return (Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0)) * TICK_MS;
}

/** A PostgreSQL server's CPU so far: its postmaster, the backends it has reaped, and the live ones. */
function postgresCpuMs(postmaster: number): number {
  let total = cpuMs(postmaster, true);
  for (const entry of fs.readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && procStat(entry)?.[1] === String(postmaster)) total += cpuMs(Number(entry));
  }
  return total;
}

/** This process's CPU so far (the load generator, or the floors' client), in ms. */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Where a measurement's CPU went, per request, in microseconds: null where not measured. */
interface CpuPerRequest {
  /** The server process (for the floors: this process, which does the server's work). */
  server: number | null;
  /** The PostgreSQL server's processes (null: embedded in the server, or a remote server). */
  database: number | null;
  /** autocannon, in this process. */
  load: number | null;
}

/** Reads the CPU counters before some work and turns their growth into µs per request after it. */
function cpuMeter(probes: { server?: () => number; database?: (() => number) | null; load?: () => number }) {
  const read = () => ({
    server: probes.server?.() ?? null,
    database: probes.database?.() ?? null,
    load: probes.load?.() ?? null,
  });
  const before = read();
  return (requests: number): CpuPerRequest => {
    const after = read();
    const per = (a: number | null, b: number | null) =>
      a === null || b === null || requests === 0 ? null : Math.round(((a - b) * 1000) / requests);
    return {
      server: per(after.server, before.server),
      database: per(after.database, before.database),
      load: per(after.load, before.load),
    };
  };
}

const peakRss = { postgres: 0, embedded: 0 };

const us = (value: number | null) => (value === null ? '—' : String(value));

function printRow(row: Row): void {
  const unit = row.scenario.startsWith('floor') ? 'q/s  ' : 'req/s';
  console.log(
    `${row.database.padEnd(10)} ${row.scenario.padEnd(52)} c=${String(row.connections).padStart(2)} ${String(row.rps).padStart(6)} ${unit}  p50 ${row.p50} ms  p99 ${row.p99} ms  errors ${row.errors}  CPU µs/req server ${us(row.cpu.server)} db ${us(row.cpu.database)} load ${us(row.cpu.load)}`,
  );
}

interface Row {
  database: string;
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpu: CpuPerRequest;
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
  // A stack like a real team's (known tools, two overlaps, idle seats, renewals) and the
  // analysis the engine makes of it, so that rows and answers are the size users get.
  const stackData = {
    currency: 'USD',
    tools: [
      {
        name: 'Slack',
        category: 'communication',
        monthlyCost: 437.5,
        seats: 50,
        activeSeats: 41,
        renewalDate: '2027-02-01',
      },
      { name: 'Microsoft Teams', category: 'communication', monthlyCost: 200, seats: 50, activeSeats: 9 },
      {
        name: 'Zoom',
        category: 'video_conferencing',
        monthlyCost: 149.9,
        seats: 10,
        activeSeats: 4,
        renewalDate: '2026-12-15',
      },
      { name: 'Google Meet', category: 'video_conferencing', monthlyCost: 0, seats: 50, activeSeats: 30 },
      { name: 'Jira', category: 'project_management', monthlyCost: 387.5, seats: 50, activeSeats: 35 },
      { name: 'Asana', category: 'project_management', monthlyCost: 274.5, seats: 20, activeSeats: 6 },
      { name: 'Notion', category: 'documentation', monthlyCost: 400, seats: 50, activeSeats: 44 },
      { name: 'Confluence', category: 'documentation', monthlyCost: 287.5, seats: 50, activeSeats: 12 },
      { name: 'Figma', category: 'design', monthlyCost: 225, seats: 15, activeSeats: 11, renewalDate: '2027-06-30' },
      { name: 'GitHub', category: 'development', monthlyCost: 840, seats: 40, activeSeats: 38 },
      { name: '1Password', category: 'password_management', monthlyCost: 399.5, seats: 50, activeSeats: 47 },
      { name: 'HubSpot', category: 'crm', monthlyCost: 1600, seats: 8, activeSeats: 5, renewalDate: '2027-01-10' },
    ],
  };
  const analysis = analyze({ stack: stackData, today: new Date().toISOString().slice(0, 10) });
  const stack = JSON.stringify(stackData);
  // Half the audits in five big organizations, the other half spread over the rest; each
  // row written once (an UPDATE afterwards would leave a dead copy of every row to vacuum).
  const orgOf = `CASE WHEN i <= ${perBig * bigOrgs} THEN 1 + (i % ${bigOrgs}) ELSE ${bigOrgs + 1} + (i % ${orgs - bigOrgs}) END`;
  await query(
    `INSERT INTO audits (id, organization_id, user_id, name, stack_data, status, created_at, tool_count, total_monthly_cost, potential_monthly_savings)
     SELECT 'audit_b' || i, 'org_b' || o, 'user_b' || o, 'Audit ' || i, $1::jsonb, 'completed', now() - (i || ' seconds')::interval,
            $2, $3, $4
       FROM generate_series(1, ${audits}) i, LATERAL (SELECT ${orgOf} AS o) org`,
    [stack, analysis.summary.toolCount, analysis.summary.totalMonthlyCost, analysis.summary.potentialMonthlySavings],
  );
  await query(
    `INSERT INTO analysis_results (id, audit_id, summary, recommendations, cost_analysis, risk_assessment, created_at)
    SELECT 'analysis_b' || i, 'audit_b' || i, $1::jsonb, $2::jsonb, $3::jsonb, $4::jsonb, now()
      FROM generate_series(1, ${Math.round(audits / 5)}) i`,
    [
      JSON.stringify(analysis.summary),
      JSON.stringify(analysis.recommendations),
      JSON.stringify(analysis.costAnalysis),
      JSON.stringify(analysis.riskAssessment),
    ],
  );
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
  // A database in service is vacuumed and analysed; measuring before autovacuum has been
  // through a million fresh rows would measure autovacuum.
  await query('VACUUM ANALYZE');
  return { small, large: 'org_b1', token, largeToken, auditId: 'audit_b5' };
}

/** The configuration the measured server runs with (the floors' services too). */
const SERVER_ENV = {
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  APP_URL: 'http://127.0.0.1',
  DATABASE_SSL: 'disable',
  RATE_LIMIT_LOGIN_PER_IP: '1000000',
  METRICS_ENABLED: 'false',
};

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
    env: { ...process.env, ...SERVER_ENV, ...env, PORT: String(port), HOST: '127.0.0.1' },
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
  probes: Parameters<typeof cpuMeter>[0],
  init: Partial<autocannon.Options> & { expectStatus?: number } = {},
): Promise<Omit<Row, 'database' | 'scenario'>> {
  const { expectStatus, ...options } = init;
  const meter = cpuMeter(probes);
  const result = await autocannon({ url, connections, duration: SECONDS, ...options });
  const cpu = meter(result.requests.total);
  // An answer other than the scenario's (2xx, unless it expects another) is an error.
  const expected = expectStatus ? (result.statusCodeStats?.[`${expectStatus}`]?.count ?? 0) : result['2xx'];
  return {
    connections,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.requests.total - expected,
    cpu,
  };
}

async function benchServer(
  database: 'postgres' | 'embedded',
  url: string,
  pid: number,
  databaseCpu: (() => number) | null,
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
  const scenarios: [string, Partial<autocannon.Options> & { url: string; expectStatus?: number }][] = [
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
    // The HTTP stack alone: refused before any query (the ceiling of a request that needs one).
    ['GET /api/audits without a session (401)', { url: `${url}/api/audits`, expectStatus: 401 }],
  ];
  for (const [scenario, init] of scenarios.filter(([name]) => name.includes(SCENARIOS))) {
    // A second of it unmeasured first: the route's code optimised, its statements prepared on
    // the pool's connections (otherwise whichever scenario runs first pays for that).
    const { expectStatus: _expectStatus, ...warm } = init;
    await autocannon({ ...warm, connections: 16, duration: 1 });
    for (const connections of CONNECTIONS) {
      const m = await measure(
        init.url,
        connections,
        { server: () => cpuMs(pid), database: databaseCpu, load: ownCpuMs },
        init,
      );
      const row = { database, scenario, ...m };
      rows.push(row);
      peakRss[database] = Math.max(peakRss[database], rssMiB(pid));
      printRow(row);
    }
  }
}

/**
 * Floors: the work of GET /api/audits/:id and of GET /api/audits (largest organization, first
 * page) done 16 at a time from this one process without HTTP — first through the server's own
 * services (session lookup and read, the same prepared statements), then the very SQL they
 * send (recorded from drizzle) through a raw pg Pool. What the server does above the first is
 * its HTTP work; the second is what any design that reads the session and the audit from
 * PostgreSQL on each request costs before doing anything else.
 */
async function floors(
  connectionString: string,
  env: Record<string, string>,
  databaseCpu: (() => number) | null,
  ids: Awaited<ReturnType<typeof seed>>,
  rows: Row[],
): Promise<void> {
  const silent = pino({ level: 'silent' });
  const config = loadConfig({ ...process.env, ...env, DATABASE_URL: connectionString, DB_POOL_MAX: '16' });
  const database = openPostgres(config.postgres!, silent);
  const services = createServices(database, config);

  // The statements, as drizzle sends them, for the raw replay.
  const recorded: { text: string; params: unknown[] }[] = [];
  const capture = new pg.Pool({ connectionString, max: 1 });
  const recording = drizzle({
    client: capture,
    schema,
    logger: { logQuery: (text, params) => recorded.push({ text, params }) },
  }) as unknown as Db;
  const session = await new SessionRepository(recording).findLiveByTokenHashAcrossOrganizations(
    hashToken(ids.largeToken),
  );
  if (!session?.organization) throw new Error('the benchmark session is missing');
  await new AccessRepository(recording).auditWithAnalysis(session.organization.id, ids.auditId, session.user);
  const byId = recorded.splice(0);
  await new AuditRepository(recording).listByOrganization(session.organization.id, {
    visibleTo: { userId: session.user.id, role: session.user.role },
  });
  const list = [byId[0]!, ...recorded.splice(0)];
  await capture.end();

  const raw = new pg.Pool({ connectionString, max: 16 });
  const replay = (statements: typeof byId, label: string) => async () => {
    for (const [i, statement] of statements.entries())
      await raw.query({ name: `floor_${label}_${i}`, text: statement.text, values: statement.params });
  };
  const authenticated = async () => {
    const result = await services.auth.authenticate(ids.largeToken);
    if (!result?.actor) throw new Error('the benchmark session is missing');
    return result.actor;
  };
  const floors: [string, () => Promise<unknown>][] = [
    [
      'floor: GET /api/audits/:id, services without HTTP',
      async () => services.audits.get(await authenticated(), ids.auditId),
    ],
    ['floor: GET /api/audits/:id, its SQL through raw pg', replay(byId, 'audit')],
    [
      'floor: GET /api/audits (largest org), services without HTTP',
      async () => services.audits.list(await authenticated(), {}),
    ],
    ['floor: GET /api/audits (largest org), its SQL through raw pg', replay(list, 'list')],
  ];
  for (const [scenario, work] of floors) {
    for (let i = 0; i < 200; i++) await work(); // warm: statements prepared, code optimised
    let done = 0;
    const latencies: number[] = [];
    const meter = cpuMeter({ server: ownCpuMs, database: databaseCpu });
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() < end) {
          const start = performance.now();
          await work();
          latencies.push(performance.now() - start);
          done++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const row: Row = {
      database: 'postgres',
      scenario,
      connections: 16,
      rps: Math.round(done / SECONDS),
      p50: Math.round(latencies[Math.floor(latencies.length / 2)]! * 100) / 100,
      p99: Math.round(latencies[Math.floor(latencies.length * 0.99)]! * 100) / 100,
      errors: 0,
      cpu: meter(done),
    };
    rows.push(row);
    printRow(row);
  }
  await raw.end();
  await database.close();
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (ONLY !== 'embedded') await benchPostgres(rows);
  if (ONLY !== 'postgres') await benchEmbedded(rows);
  if (PARTIAL) {
    console.log(`\nServer peak RSS: ${peakRss.postgres} MiB (PostgreSQL), ${peakRss.embedded} MiB (embedded)`);
    console.log('A partial run (BENCH_ONLY, BENCH_SCENARIOS or BENCH_CONNECTIONS): no results file is written.');
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
    // The throwaway cluster's CPU is measured; a server elsewhere (BENCH_DATABASE_URL) is not.
    const postmaster = cluster
      ? Number(fs.readFileSync(path.join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
      : null;
    const databaseCpu = postmaster ? () => postgresCpuMs(postmaster) : null;
    const server = await startServer({ DATABASE_URL: url, DB_POOL_MAX: '10' });
    try {
      await benchServer('postgres', server.url, server.pid, databaseCpu, ids, rows);
    } finally {
      server.stop();
    }
    if (!SCENARIOS || 'floor'.includes(SCENARIOS)) await floors(url, SERVER_ENV, databaseCpu, ids, rows);
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
    const database = await openPglite(dataDir, pino({ level: 'silent' }));
    await runMigrations(database);
    const ids = await seed((text, params) => database.query(text, params), embeddedAudits);
    await database.close();
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      await benchServer('embedded', server.url, server.pid, null, ids, rows);
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
    '| database | scenario | connections | req/s | p50 ms | p99 ms | errors | CPU µs/req: server | PostgreSQL | autocannon |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.database} | ${r.scenario} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${us(r.cpu.server)} | ${us(r.cpu.database)} | ${us(r.cpu.load)} |`,
    ),
    '',
    'CPU µs/req: the CPU time each process spent per request during the measurement (user + system, from /proc). ' +
      'On this machine all three share its cores, so their sum bounds the throughput: 2 cores = 2,000,000 µs a second. ' +
      "Floors: the same work from this one process without HTTP (its CPU in the server column); 'q/s' there is requests' worth of statements a second. " +
      'Embedded: PostgreSQL runs inside the server process.',
    '',
    `Server process peak RSS during the runs: ${peakRss.postgres} MiB on PostgreSQL, ${peakRss.embedded} MiB on the embedded database (PGlite's WebAssembly heap included).`,
    '',
  ];
  console.log(`\nServer peak RSS: ${peakRss.postgres} MiB (PostgreSQL), ${peakRss.embedded} MiB (embedded)`);
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  const file = AUDITS === 100_000 ? 'results.md' : `results-${AUDITS}.md`;
  fs.writeFileSync(path.join(ROOT, 'bench', file), lines.join('\n'));
  console.log(`\nWritten to bench/${file}`);
}

await main();
