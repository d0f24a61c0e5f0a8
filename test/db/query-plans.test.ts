/**
 * The list queries are served by an index matching their ORDER BY (no Sort step), on
 * both databases. Sequential scans are disabled so that the planner shows the index it
 * would use on a large table rather than scanning the few rows a test has.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';

import { drizzle } from 'drizzle-orm/node-postgres';

import type { Db } from '../../src/db/database.js';
import { audits } from '../../src/db/schema.js';
import { AccessRepository } from '../../src/repositories/access.repository.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { afterCursor, encodeCursor } from '../../src/repositories/pagination.js';
import { describeEachDatabase, type TestDatabase } from '../harness/databases.js';

async function plan(get: () => TestDatabase, query: string): Promise<string> {
  // SET LOCAL inside one transaction: on a pool, a plain SET could land on another connection.
  return get().database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL enable_seqscan = off`);
    const result = await tx.execute<{ 'QUERY PLAN': string }>(sql.raw(`EXPLAIN ${query}`));
    return (result as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

/** A statement as drizzle rendered it, its parameters written in as literals (EXPLAIN takes none). */
function withParameters(text: string, params: unknown[]): string {
  const literal = (value: unknown): string => {
    if (value === undefined || value === null) return 'NULL';
    if (typeof value === 'number') return String(value);
    if (value instanceof Date) return `'${value.toISOString()}'`;
    if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
    throw new Error(`no literal for a parameter of type ${typeof value}`);
  };
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

describeEachDatabase('query plans', (get) => {
  it.each([
    [
      'audits',
      "SELECT * FROM audits WHERE organization_id = 'o' ORDER BY created_at DESC, id DESC LIMIT 21",
      'idx_audits_org_created',
    ],
    [
      'activity',
      "SELECT * FROM collaboration_activity WHERE organization_id = 'o' ORDER BY created_at DESC, id DESC LIMIT 21",
      'idx_activity_org_created',
    ],
    [
      'tool costs',
      "SELECT * FROM tool_costs WHERE organization_id = 'o' ORDER BY created_at DESC, id DESC LIMIT 21",
      'idx_tool_costs_org_created',
    ],
    [
      'comments',
      "SELECT * FROM audit_comments WHERE audit_id = 'a' ORDER BY created_at, id LIMIT 21",
      'idx_comments_audit_created',
    ],
    [
      'analyses',
      "SELECT * FROM analysis_results WHERE audit_id = 'a' ORDER BY created_at DESC, id DESC LIMIT 1",
      'idx_analysis_audit_created',
    ],
    [
      // The narratives due: the worker's queue, oldest first.
      'narratives due',
      "SELECT analysis_id FROM audit_narratives WHERE status = 'pending' AND run_after <= now() ORDER BY run_after LIMIT 2",
      'idx_audit_narratives_due',
    ],
    [
      // The emails due: the outbox job's claim, in the order it sends them (its LIMIT ends the scan).
      'emails due',
      "SELECT id FROM email_outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 10",
      'idx_outbox_due',
    ],
    [
      // The comments whose people are still to be told: the fan-out's claim, oldest first.
      'comment fan-out',
      'SELECT comment_id FROM comment_fanout_queue ORDER BY created_at, comment_id LIMIT 200',
      'idx_comment_fanout_queue_created',
    ],
    [
      // Tokens an organization used today (every AI call checks its budget).
      'AI tokens of the day',
      "SELECT sum(coalesce(total_tokens, reserved_tokens)) FROM ai_calls WHERE organization_id = 'o' AND day = '2026-12-01'",
      'idx_ai_calls_organization_day',
    ],
  ])('%s: served by its index without sorting', async (_name, sql, index) => {
    const text = await plan(get, sql);
    expect(text).toContain(index);
    expect(text).not.toMatch(/\bSort\b/);
  });

  it.each([
    ['the first page', {}],
    ['a page after a cursor', { cursor: encodeCursor({ createdAt: new Date('2026-01-01T00:00:00Z'), id: 'audit_x' }) }],
    ['a page of one status', { status: 'completed' as const }],
  ])(
    'the audit list (%s): the statement PostgreSQL writes the page in reads the index, unsorted',
    async (_name, options) => {
      // The very statement AuditRepository.listPage sends, recorded by drizzle's logger (its
      // parameters written in); the plan is the real database's.
      const sent: { text: string; params: unknown[] }[] = [];
      const recording = drizzle({
        client: { query: async () => ({ rows: [], fields: [] }) } as never,
        logger: { logQuery: (text, params) => sent.push({ text, params }) },
      }) as unknown as Db;
      await new AuditRepository(recording).listPage('o', options).catch(() => null);
      const [statement] = sent;
      const text = await plan(get, withParameters(statement!.text, statement!.params));
      expect(text).toContain('idx_audits_org_created');
      expect(text).not.toMatch(/\bSort\b/);
    },
  );

  it("the comment fan-out's audience: whether each member had commented is one probe of audit_commenters' key", async () => {
    // Asked of audit_comments, PostgreSQL walked every comment of the audit per member (it
    // estimates one comment per audit for `audit_id = <outer column>`): no index of that table
    // other than its key may serve this statement, whatever the statistics.
    const sent: { text: string; params: unknown[] }[] = [];
    const recording = drizzle({
      client: { query: async () => ({ rows: [], fields: [] }) } as never,
      logger: { logQuery: (text, params) => sent.push({ text, params }) },
    }) as unknown as Db;
    await new AccessRepository(recording).commentAudiencesAcrossOrganizations(['cmt_a', 'cmt_b']);
    const text = await plan(get, withParameters(sent[0]!.text, sent[0]!.params));
    // By the audit at least: at worst it reads that audit's followers (people, not comments).
    expect(text).toMatch(
      /Scan using audit_commenters_pkey on audit_commenters\s[^\n]*\n\s*Index Cond: \(\(audit_id\)::text = /,
    );
    expect(text).not.toMatch(/idx_comments_/);
  });

  it('a page after a cursor starts the index scan at the cursor (a row comparison), not a filter', async () => {
    // The condition the lists build (afterCursor), rendered by drizzle, its parameters written in.
    const cursor = encodeCursor({ createdAt: new Date('2026-01-01T00:00:00Z'), id: 'audit_x' });
    const query = get()
      .database.db.select()
      .from(audits)
      .where(and(eq(audits.organizationId, 'o'), afterCursor(audits.createdAt, audits.id, cursor)))
      .orderBy(desc(audits.createdAt), desc(audits.id))
      .limit(21)
      .toSQL();
    const text = await plan(get, withParameters(query.sql, query.params));
    expect(text).toContain('idx_audits_org_created');
    expect(text).toMatch(/Index Cond: .*ROW\(created_at, \(?id\)?(::text)?\) < ROW\(/);
    expect(text).not.toMatch(/\bSort\b|Filter:/);
  });
});
