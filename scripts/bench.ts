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
 * process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`; BENCH_POOL_MAX its pool on PostgreSQL, 10 by default; BENCH_SERVER_STDOUT=1 shows its
 * standard output, e.g. for `--trace-gc`). Where PostgreSQL's time goes: BENCH_PG_STATEMENTS=N
 * prints the N statements it spent most time on (pg_stat_statements), BENCH_PG_SETTINGS adds
 * settings to the throwaway cluster (e.g. auto_explain's) and BENCH_PG_LOG=path keeps its log.
 * Each run times a fixed workload before and after (the machine check: this shared machine's
 * speed moves by up to 1.5× within minutes). A partial run prints its table but writes no file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { pino } from 'pino';

import { buildServer, serverBuildStale } from './build.js';
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
/** Measurements of each side per level, in alternating order; the best of each is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** BENCH_PG_STATEMENTS=N: the throwaway cluster records statements (pg_stat_statements) and the N costliest are printed. */
const PG_STATEMENTS = Number(process.env.BENCH_PG_STATEMENTS ?? 0);
/**
 * BENCH_PG_SETTINGS=name=value,name=value: more settings for the throwaway cluster (e.g.
 * auto_explain's); BENCH_PG_LOG=path keeps its log there.
 */
const PG_SETTINGS = Object.fromEntries(
  (process.env.BENCH_PG_SETTINGS ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const PG_LOG = process.env.BENCH_PG_LOG;
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

/**
 * A PostgreSQL server's CPU so far: its postmaster, the backends it has reaped, and the live
 * ones. A backend reaped while its siblings are read would be counted nowhere (a pool that
 * closes idle connections made a measurement's PostgreSQL CPU negative), so the reading is
 * taken again until the postmaster reaped nobody meanwhile.
 */
function postgresCpuMs(postmaster: number): number {
  const reaped = () => cpuMs(postmaster, true) - cpuMs(postmaster);
  for (;;) {
    const before = reaped();
    let live = 0;
    for (const entry of fs.readdirSync('/proc')) {
      if (/^\d+$/.test(entry) && procStat(entry)?.[1] === String(postmaster)) live += cpuMs(Number(entry));
    }
    if (reaped() === before) return cpuMs(postmaster, true) + live;
  }
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

const peakRss = { postgres: 0, embedded: 0, bar: 0 };
/** The machine check's readings, ms (main). */
const machine = { before: 0, after: 0 };

const us = (value: number | null) => (value === null ? '—' : String(value));

/** One side of a measurement. */
interface Measured {
  /** Requests a second: with a drain, over the measurement and the drain. */
  rps: number;
  /** How long the work left behind took after the measurement (0: none looked for). */
  drainedMs?: number;
  p50: number;
  p99: number;
  errors: number;
  cpu: CpuPerRequest;
}

/** A measurement of StackAudit, and of what it is compared with in the same run, where anything. */
interface Row extends Measured {
  database: string;
  scenario: string;
  connections: number;
  bar: (Measured & { label: string }) | null;
}

const ratio = (row: Row) => (row.bar && row.bar.rps > 0 ? `${(row.rps / row.bar.rps).toFixed(2)}×` : '—');

const drained = (m: Measured) => (m.drainedMs === undefined ? '' : ` drain ${m.drainedMs} ms`);

function printRow(row: Row): void {
  const unit = row.scenario.startsWith('floor') ? 'q/s  ' : 'req/s';
  const bar = row.bar
    ? `  | ${row.bar.label} ${row.bar.rps} ${unit} p99 ${row.bar.p99} ms, CPU µs/req ${us(row.bar.cpu.server)} db ${us(row.bar.cpu.database)}${drained(row.bar)} errors ${row.bar.errors} → ${ratio(row)}`
    : '';
  console.log(
    `${row.database.padEnd(9)} ${row.scenario.padEnd(48)} c=${String(row.connections).padStart(2)} ${String(row.rps).padStart(6)} ${unit} p50 ${row.p50} p99 ${row.p99} ms errors ${row.errors} CPU µs/req server ${us(row.cpu.server)} db ${us(row.cpu.database)} load ${us(row.cpu.load)}${drained(row)}${bar}`,
  );
}

/** Seeds organizations, users with sessions, audits, analyses, comments and activity, in SQL. */
async function seed(
  query: (sql: string, params?: unknown[]) => Promise<unknown>,
  audits: number,
): Promise<{
  small: string;
  large: string;
  token: string;
  auditId: string;
  largeToken: string;
  mentionEmail: string;
}> {
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
  // Their authors follow those audits, as the comments' own statement records it.
  await query(`INSERT INTO audit_commenters (audit_id, user_id, first_commented_at)
    SELECT audit_id, user_id, min(created_at) FROM audit_comments GROUP BY audit_id, user_id`);
  await query(`INSERT INTO collaboration_activity (id, organization_id, audit_id, user_id, action, metadata, created_at)
    SELECT 'act_b' || i, a.organization_id, a.id, a.user_id, 'audit_created', '{}'::jsonb, a.created_at FROM audits a
     JOIN generate_series(1, ${Math.round(audits / 2)}) i ON a.id = 'audit_b' || i`);
  // The largest organization has a team: its comments notify someone (a mention) as users' do.
  await query(`INSERT INTO users (id, email, password_hash, name, organization_id, role, plan)
    SELECT 'user_b1_m' || i, 'member' || i || '@bench.example', 'x', 'Member ' || i, 'org_b1', 'member', 'enterprise' FROM generate_series(1, 4) i`);
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
  return { small, large: 'org_b1', token, largeToken, auditId: 'audit_b5', mentionEmail: 'member1@bench.example' };
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

/** A process the benchmark started: where it answers, its pid (for its CPU and memory), how to stop it. */
interface Started {
  url: string;
  pid: number;
  stop: () => void;
}

/** Starts a server process and waits until `readyPath` answers (any status). */
async function startProcess(
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined>; readyPath: string; command?: string },
): Promise<Started> {
  const port = await freePort();
  const child = spawn(options.command ?? process.execPath, args, {
    cwd: options.cwd,
    env: { ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      await fetch(`${url}${options.readyPath}`);
      return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

async function startServer(env: Record<string, string>): Promise<Started> {
  // As `npm start` runs it (its heap cap, its malloc setting on the embedded database), plus
  // any of BENCH_NODE_ARGS; the script `exec`s Node, so the pid measured is the server's.
  return startProcess([path.join('scripts', 'serve.sh'), ...NODE_ARGS], {
    command: 'sh',
    cwd: ROOT,
    env: { ...process.env, ...SERVER_ENV, ...env },
    readyPath: '/health',
  });
}

/** The bar: ../shared/baseline's seed-plan app, installed once into a scratch copy (its source is read-only). */
const BASELINE_SOURCE = path.resolve(ROOT, process.env.BENCH_BASELINE_DIR ?? '../shared/baseline/seed-plan-app');
const BASELINE_SECRET = 'bench-baseline-jwt-secret';

function installBaseline(): string | null {
  if (!fs.existsSync(path.join(BASELINE_SOURCE, 'package.json'))) return null;
  const lock = fs.readFileSync(path.join(BASELINE_SOURCE, 'package-lock.json'));
  const key = createHash('sha256').update(lock).digest('hex').slice(0, 12);
  const dir = path.join(ROOT, 'node_modules', '.cache', 'bench-baseline', key);
  if (!fs.existsSync(path.join(dir, 'node_modules'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(BASELINE_SOURCE, dir, { recursive: true, filter: (from) => !from.includes('node_modules') });
    console.log(`Installing the baseline (${BASELINE_SOURCE}) into ${dir}…`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  } else {
    // The source may have changed since the install (same lock file): copy it again.
    fs.cpSync(path.join(BASELINE_SOURCE, 'src'), path.join(dir, 'src'), { recursive: true });
  }
  return dir;
}

/** A token the baseline accepts for a user, made with its own jsonwebtoken (no login needed). */
function baselineToken(dir: string, userId: string, organizationId: string): string {
  const jwt = createRequire(path.join(dir, 'package.json'))('jsonwebtoken') as {
    sign: (payload: object, secret: string, options: object) => string;
  };
  return jwt.sign({ userId, organizationId }, BASELINE_SECRET, { algorithm: 'HS256', expiresIn: '1d' });
}

async function measure(
  url: string,
  connections: number,
  probes: Parameters<typeof cpuMeter>[0],
  init: Partial<autocannon.Options> & { expectStatus?: number; drain?: boolean } = {},
  /** How many jobs the requests left queued in the database (where it can be asked). */
  pending?: () => Promise<number>,
): Promise<Measured> {
  const { expectStatus, drain, ...options } = init;
  const meter = cpuMeter(probes);
  const result = await autocannon({ url, connections, duration: SECONDS, ...options });
  // Work a request left to do after answering (a comment's fan-out and emails) is part of it:
  // its time and CPU (the server's and PostgreSQL's) count until it is done.
  const drained = drain ? await drainAfter(probes.server, pending) : 0;
  const cpu = meter(result.requests.total);
  // An answer other than the scenario's (2xx, unless it expects another) is an error.
  const expected = expectStatus ? (result.statusCodeStats?.[`${expectStatus}`]?.count ?? 0) : result['2xx'];
  return {
    rps: drain ? Math.round(result.requests.total / (SECONDS + drained / 1000)) : Math.round(result.requests.average),
    ...(drain ? { drainedMs: drained } : {}),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.requests.total - expected,
    cpu,
  };
}

type Target = Partial<autocannon.Options> & {
  url: string;
  expectStatus?: number;
  /** The request leaves work behind (the comment): count it until it is done (drainAfter). */
  drain?: boolean;
};

/**
 * Milliseconds until these processes together use under `share` of a core over a window of
 * `windowMs` (up to a minute), the quiet window not counted.
 */
async function quietAfter(
  counters: ((() => number) | null | undefined)[],
  windowMs = 250,
  share = 0.05,
): Promise<number> {
  const total = () => counters.reduce((sum, read) => sum + (read?.() ?? 0), 0);
  const start = performance.now();
  for (;;) {
    const before = total();
    const at = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    if (total() - before < windowMs * share || at - start > 60_000) return Math.round(at - start);
  }
}

/**
 * Milliseconds until the work requests left behind is done: nothing of it queued (where
 * `pending` can tell) and the server quiet. Quiet is the server's own CPU: PostgreSQL's
 * autovacuum, started by either side's writes, would otherwise lengthen whichever drain it
 * fell in. A quiet server alone is not enough: its worker may be waiting for PostgreSQL with
 * thousands of jobs still queued (a run reported 9,965 left after a drain of 252 ms).
 */
async function drainAfter(server: (() => number) | undefined, pending?: () => Promise<number>): Promise<number> {
  const start = performance.now();
  for (;;) {
    const from = performance.now();
    const quietAt = from + (await quietAfter([server]));
    if (!pending || (await pending()) === 0) return Math.round(quietAt - start);
    if (performance.now() - start > 120_000)
      throw new Error('The work the requests left queued was not done in two minutes.');
  }
}

/** Waits (up to a minute) until these processes together use under a tenth of a core for a second. */
async function settle(counters: (() => number)[]): Promise<void> {
  if ((await quietAfter(counters, 1000, 0.1)) > 60_000) {
    console.log('The server did not settle within a minute: measuring anyway.');
  }
}

/** One scenario: StackAudit's request, and the same request to the baseline (or the floor) where it has one. */
interface Scenario {
  name: string;
  ours: Target;
  /** What the ratio compares with: the baseline, or for the 401 the bare Fastify server. */
  bar?: {
    label: 'baseline' | 'bare Fastify' | "bare Fastify sending StackAudit's headers";
    pid: number;
    target: Target;
  };
}

const better = (a: Measured | undefined, b: Measured): Measured => (!a || b.rps > a.rps ? b : a);

async function benchServer(
  database: 'postgres' | 'embedded',
  server: Started,
  databaseCpu: (() => number) | null,
  ids: Awaited<ReturnType<typeof seed>>,
  bars: { baseline: (Started & { token: string }) | null; bare: Started | null },
  rows: Row[],
  /** How many jobs are left queued in the database (PostgreSQL only: PGlite lives in the server). */
  backlog?: () => Promise<number>,
): Promise<void> {
  const url = server.url;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const firstPage = (await (await fetch(`${url}/api/audits?limit=20`, { headers: auth(ids.largeToken) })).json()) as {
    nextCursor: string;
  };
  // A cursor deep into the largest organization's list (the last one a page gives out), and
  // the same position as the baseline's offset.
  let cursor = firstPage.nextCursor;
  let offset = 20;
  for (let i = 0; i < 20; i++) {
    const page = await fetch(`${url}/api/audits?limit=100&cursor=${cursor}`, { headers: auth(ids.largeToken) });
    const next = ((await page.json()) as { nextCursor: string | null }).nextCursor;
    if (!next) break;
    cursor = next;
    offset += 100;
  }
  const base = bars.baseline;
  const baseline = (target: Target): Scenario['bar'] =>
    base ? { label: 'baseline', pid: base.pid, target: { ...target, url: `${base.url}${target.url}` } } : undefined;
  const on = (target: Target): Target => ({ ...target, url: `${url}${target.url}` });
  const comment = (token: string) => ({
    method: 'POST' as const,
    headers: { ...auth(token), 'content-type': 'application/json' },
    // A mention: the fan-out (a notification and an email) happens as it would for users.
    body: JSON.stringify({ content: `Benchmark comment for @${ids.mentionEmail}` }),
  });
  const scenarios: Scenario[] = [
    {
      name: 'GET /api/audits/:id',
      ours: on({ url: `/api/audits/${ids.auditId}`, headers: auth(ids.largeToken) }),
      bar: baseline({ url: `/api/audits/${ids.auditId}`, headers: auth(base?.token ?? '') }),
    },
    {
      name: 'GET /api/audits (largest org, first page)',
      ours: on({ url: '/api/audits?limit=20', headers: auth(ids.largeToken) }),
      bar: baseline({ url: '/api/audits?limit=20&offset=0', headers: auth(base?.token ?? '') }),
    },
    { name: 'GET /api/audits (smallest org)', ours: on({ url: '/api/audits?limit=20', headers: auth(ids.token) }) },
    {
      name: `GET /api/audits (largest org, deep page: ${offset} in)`,
      ours: on({ url: `/api/audits?limit=20&cursor=${cursor}`, headers: auth(ids.largeToken) }),
      bar: baseline({ url: `/api/audits?limit=20&offset=${offset}`, headers: auth(base?.token ?? '') }),
    },
    {
      name: 'POST /api/audits/:id/comments',
      ours: on({ url: `/api/audits/${ids.auditId}/comments`, ...comment(ids.largeToken), drain: true }),
      bar: baseline({ url: `/api/audits/${ids.auditId}/comments`, ...comment(base?.token ?? ''), drain: true }),
    },
    { name: 'GET /health', ours: on({ url: '/health' }), bar: baseline({ url: '/health' }) },
    {
      // The HTTP stack alone: refused before any query (the ceiling of a request that needs one).
      name: 'GET /api/audits without a session (401)',
      ours: on({ url: '/api/audits', expectStatus: 401 }),
      bar: bars.bare
        ? {
            label: 'bare Fastify',
            pid: bars.bare.pid,
            target: { url: `${bars.bare.url}/api/audits`, expectStatus: 401 },
          }
        : undefined,
    },
    {
      // The same, against a floor that sends the same headers: what is left is StackAudit's own.
      name: 'GET /api/audits without a session (401)',
      ours: on({ url: '/api/audits', expectStatus: 401 }),
      bar: bars.bare
        ? {
            label: "bare Fastify sending StackAudit's headers",
            pid: bars.bare.pid,
            target: { url: `${bars.bare.url}/api/audits/with-headers`, expectStatus: 401 },
          }
        : undefined,
    },
  ];
  // A server starts with housekeeping (the maintenance pass refreshes every organization's
  // renewals), runs hourly jobs (the digest at :00, renewals at :05, reminders at :10 — on
  // 1,000 organizations, tens of seconds of work) and finishes a comment's fan-out and emails
  // after its measurement: each measurement starts once the servers and PostgreSQL are quiet.
  const quiet = [
    () => cpuMs(server.pid),
    ...(bars.baseline ? [() => cpuMs(bars.baseline!.pid)] : []),
    ...(databaseCpu ? [databaseCpu] : []),
  ];
  for (const scenario of scenarios.filter(({ name }) => name.includes(SCENARIOS))) {
    const sides = [
      { pid: server.pid, target: scenario.ours },
      ...(scenario.bar ? [{ pid: scenario.bar.pid, target: scenario.bar.target }] : []),
    ];
    // A second of each unmeasured first: the route's code optimised, its statements prepared
    // on the pool's connections (otherwise whichever scenario runs first pays for that).
    for (const { target } of sides) {
      const { expectStatus: _expectStatus, drain: _drain, ...warm } = target;
      await autocannon({ ...warm, connections: 16, duration: 1 });
    }
    for (const connections of CONNECTIONS) {
      // Rounds in alternating order (the machine's other load varies): the best of each.
      const best: (Measured | undefined)[] = sides.map(() => undefined);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? sides.keys() : [...sides.keys()].reverse();
        for (const i of order) {
          const side = sides[i]!;
          await settle(quiet);
          const m = await measure(
            side.target.url,
            connections,
            { server: () => cpuMs(side.pid), database: databaseCpu, load: ownCpuMs },
            side.target,
            i === 0 ? backlog : undefined,
          );
          best[i] = better(best[i], m);
          if (i === 0) {
            const rss = rssMiB(server.pid);
            peakRss[database] = Math.max(peakRss[database], rss);
            console.log(`  server RSS after ${connections} connections: ${rss} MiB`);
          } else peakRss.bar = Math.max(peakRss.bar, rssMiB(side.pid));
        }
      }
      const row: Row = {
        database,
        scenario: scenario.name,
        connections,
        ...best[0]!,
        bar: scenario.bar && best[1] ? { label: scenario.bar.label, ...best[1] } : null,
      };
      rows.push(row);
      printRow(row);
    }
  }
}

/**
 * Floors: the work of GET /api/audits/:id and of GET /api/audits (largest organization, first
 * page) done 16 at a time from this one process without HTTP, on the server's own path — the
 * session found in the session cache (listening, as the server's is), then the page's one
 * statement — first through the server's own services, then that very SQL (recorded from
 * drizzle) through a raw pg Pool. What the route costs above the first is its HTTP work; the
 * second is what reading the answer from PostgreSQL costs before anything else.
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
  await services.auth.sessionCache.start();

  // The statements, as drizzle sends them, for the raw replay: the server's session is cached,
  // so only the page's own statements.
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
  recorded.splice(0);
  await new AccessRepository(recording).auditPage(session.organization.id, ids.auditId, session.user);
  const byId = recorded.splice(0);
  await new AuditRepository(recording).listPage(session.organization.id, {
    visibleTo: { userId: session.user.id, role: session.user.role },
  });
  const list = recorded.splice(0);
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
      async () => services.audits.page(await authenticated(), ids.auditId),
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
      bar: null,
    };
    rows.push(row);
    printRow(row);
  }
  await raw.end();
  await services.auth.sessionCache.stop();
  await database.close();
}

/**
 * How fast this machine is right now: the best of five runs of a fixed single-threaded
 * workload (JSON the size of a few audit pages written and read, and hashed), in ms. This
 * machine's speed moves by up to 1.5× within minutes (it is shared), so each run records it
 * before and after measuring: two runs' absolute rates compare only as far as their checks
 * agree; ratios within one run do not need it.
 */
function machineCheck(): number {
  const page = {
    items: Array.from({ length: 400 }, (_, i) => ({ id: `audit_${i}`, name: `Q${i} stack`, cost: i * 1.5 })),
  };
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 150; i++) {
      const text = JSON.stringify(page);
      createHash('sha256').update(text).digest('hex');
      JSON.parse(text);
    }
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return Math.round(best * 10) / 10;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  // The server measured is the one npm start runs: compiled, from sources as they are now.
  if (serverBuildStale()) {
    console.log('Building the server into dist/server…');
    buildServer();
  }
  machine.before = machineCheck();
  console.log(`Machine check (a fixed workload, best of 5): ${machine.before} ms`);
  if (ONLY !== 'embedded') await benchPostgres(rows);
  if (ONLY !== 'postgres') await benchEmbedded(rows);
  machine.after = machineCheck();
  console.log(
    `\nServer peak RSS: ${peakRss.postgres} MiB (PostgreSQL), ${peakRss.embedded} MiB (embedded); baseline ${peakRss.bar} MiB`,
  );
  console.log(`Machine check: ${machine.before} ms before the runs, ${machine.after} ms after`);
  if (PARTIAL) {
    console.log('A partial run (BENCH_ONLY, BENCH_SCENARIOS, BENCH_CONNECTIONS): no results file is written.');
    return;
  }
  writeResults(rows);
}

/**
 * The statements PostgreSQL spent most time on since the seed (StackAudit's, the baseline's
 * and the workers' alike): where a route's database CPU goes.
 */
async function printStatements(url: string, limit: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      calls: string;
      total_ms: number;
      mean_us: number;
      rows: string;
      blocks: number;
      query: string;
    }>(
      `SELECT calls, total_exec_time AS total_ms, mean_exec_time * 1000 AS mean_us, rows,
              (shared_blks_hit + shared_blks_read)::float8 / calls AS blocks,
              regexp_replace(query, '\\s+', ' ', 'g') AS query
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $1`,
      [limit],
    );
    console.log('\nStatements by PostgreSQL time (pg_stat_statements):');
    for (const r of rows) {
      console.log(
        `${r.total_ms.toFixed(0).padStart(8)} ms ${r.calls.padStart(8)} calls ${r.mean_us.toFixed(0).padStart(6)} µs ${r.rows.padStart(8)} rows ${r.blocks.toFixed(0).padStart(5)} blocks  ${r.query.slice(0, 240)}`,
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * The bare Fastify 401 server (scripts/bench-bare-fastify.mjs), run by node itself, given the
 * headers of StackAudit's own 401 (all but those Node.js writes itself, the body's and the
 * request id, which it makes for each answer as StackAudit does).
 */
async function startBareFastify(server: Started): Promise<Started> {
  const answer = await fetch(`${server.url}/api/audits`);
  await answer.arrayBuffer();
  const own = new Set(['connection', 'content-length', 'content-type', 'date', 'keep-alive', 'x-request-id']);
  const headers = Object.fromEntries([...answer.headers].filter(([name]) => !own.has(name)));
  return startProcess([path.join(ROOT, 'scripts', 'bench-bare-fastify.mjs')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', BARE_HEADERS: new URLSearchParams(headers).toString() },
    readyPath: '/api/audits',
  });
}

async function benchPostgres(rows: Row[]): Promise<void> {
  let cluster: PostgresCluster | null = null;
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    cluster = await PostgresCluster.create({
      ...(PG_STATEMENTS > 0
        ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' }
        : {}),
      ...PG_SETTINGS,
    });
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE stackaudit_bench');
    await admin.end();
    url = cluster.urlFor('stackaudit_bench');
  }
  const stops: (() => void)[] = [];
  try {
    const baselineDir = installBaseline();
    if (!baselineDir)
      console.log(`No baseline at ${BASELINE_SOURCE} (BENCH_BASELINE_DIR): measuring StackAudit alone.`);
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
    if (PG_STATEMENTS > 0 && cluster) {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await client.query('SELECT pg_stat_statements_reset()');
    }
    await client.end();
    console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The throwaway cluster's CPU is measured; a server elsewhere (BENCH_DATABASE_URL) is not.
    const postmaster = cluster
      ? Number(fs.readFileSync(path.join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
      : null;
    const databaseCpu = postmaster ? () => postgresCpuMs(postmaster) : null;
    const server = await startServer({ DATABASE_URL: url, DB_POOL_MAX: process.env.BENCH_POOL_MAX ?? '10' });
    stops.push(server.stop);
    // The baseline on the same database, as its README runs it (its pool: max 20).
    const baseline = baselineDir
      ? await startProcess(['src/index.js'], {
          cwd: baselineDir,
          env: { PATH: process.env.PATH, DATABASE_URL: url, JWT_SECRET: BASELINE_SECRET },
          readyPath: '/health',
        })
      : null;
    if (baseline) stops.push(baseline.stop);
    const bare = await startBareFastify(server);
    stops.push(bare.stop);
    // One connection for the drain's question, opened now: a backend started per question
    // would add its start-up to the measured PostgreSQL CPU.
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    stops.push(() => void watcher.end());
    await benchServer(
      'postgres',
      server,
      databaseCpu,
      ids,
      {
        baseline:
          baseline && baselineDir ? { ...baseline, token: baselineToken(baselineDir, 'user_b1', 'org_b1') } : null,
        bare,
      },
      rows,
      async () => {
        // The comments' fan-out jobs and the emails they queued.
        const { rows: counts } = await watcher.query<{ queued: number }>(
          `SELECT (SELECT count(*)::int FROM comment_fanout_queue) +
                  (SELECT count(*)::int FROM email_outbox WHERE status IN ('pending', 'sending')) AS queued`,
        );
        return counts[0]!.queued;
      },
    );
    for (const stop of stops.splice(0)) stop();
    if (PG_STATEMENTS > 0) await printStatements(url, PG_STATEMENTS);
    if (!SCENARIOS || 'floor'.includes(SCENARIOS)) await floors(url, SERVER_ENV, databaseCpu, ids, rows);
  } finally {
    for (const stop of stops) stop();
    if (PG_LOG && cluster) fs.copyFileSync(path.join(cluster.dir, 'log'), PG_LOG);
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
    let bare: Started | null = null;
    try {
      bare = await startBareFastify(server);
      await benchServer('embedded', server, null, ids, { baseline: null, bare }, rows);
    } finally {
      server.stop();
      bare?.stop();
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function writeResults(rows: Row[]): void {
  const cell = (m: Measured | null | undefined, pick: (m: Measured) => number | null) => (m ? us(pick(m)) : '—');
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString()}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL from the machine, ${AUDITS} audits (embedded: ${Math.min(AUDITS, 10_000)}), ${SECONDS} s per measurement, ${ROUNDS} rounds in alternating order (best of each), autocannon on the same machine.`,
    '',
    `Machine check: a fixed single-threaded workload (\`machineCheck\` in scripts/bench.ts) took ${machine.before} ms before the runs and ${machine.after} ms after. This machine is shared and its speed moves: compare another run's absolute rates only as far as its check agrees; ratios within a run need no check.`,
    '',
    'The bar: `../shared/baseline/seed-plan-app` (the seed plan as written: Express, `pg`, JWT, `SELECT *`, offset paging) on the same database in the same run; for the 401, a bare Fastify server answering the same 401 (`scripts/bench-bare-fastify.mjs`), once as Fastify sends it and once with the headers StackAudit’s 401 carries (its security headers and a request id): the second isolates what those headers cost.',
    '',
    '| database | scenario | conns | StackAudit req/s | bar req/s | ratio | p99 ms | bar p99 ms | CPU µs/req: StackAudit | PostgreSQL | bar | PostgreSQL for bar | autocannon | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.database} | ${r.scenario}${r.bar ? ` (vs ${r.bar.label})` : ''} | ${r.connections} | ${r.rps} | ${cell(r.bar, (m) => m.rps)} | ${ratio(r)} | ${r.p99} | ${cell(r.bar, (m) => m.p99)} | ${us(r.cpu.server)} | ${us(r.cpu.database)} | ${cell(r.bar, (m) => m.cpu.server)} | ${cell(r.bar, (m) => m.cpu.database)} | ${us(r.cpu.load)} | ${r.errors + (r.bar?.errors ?? 0)} |`,
    ),
    '',
    'CPU µs/req: the CPU time each process spent per request during the measurement (user + system, from /proc). ' +
      'On this machine all of them share its cores, so their sum bounds the throughput: 2 cores = 2,000,000 µs a second. ' +
      "Floors: the same work from this one process without HTTP (its CPU in the StackAudit column); 'req/s' there is requests' worth of statements a second. " +
      'Embedded: PostgreSQL runs inside the server process.',
    '',
    `Server process peak RSS during the runs: ${peakRss.postgres} MiB on PostgreSQL, ${peakRss.embedded} MiB on the embedded database (PGlite's WebAssembly heap included); the baseline's ${peakRss.bar} MiB.`,
    '',
  ];
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  const file = AUDITS === 100_000 ? 'results.md' : `results-${AUDITS}.md`;
  fs.writeFileSync(path.join(ROOT, 'bench', file), lines.join('\n'));
  console.log(`\nWritten to bench/${file}`);
}

await main();
