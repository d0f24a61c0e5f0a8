import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { isoText, type JsonText } from '../db/json-text.js';
import { prepared } from '../db/prepared.js';
import { audits, organizations } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { visibleAuditCondition } from './access.repository.js';
import { LIST_COLUMNS, type Audit, type AuditListItem } from './audit-columns.js';
import { auditListItemJson } from './audit-json.js';
import { decodeCursor, encodeCursor, pageSize, rowAfter, type PageRequest } from './pagination.js';

export { LIST_COLUMNS, type Audit, type AuditListItem };
export type AuditStatus = 'pending' | 'analyzing' | 'completed' | 'failed';

/** A page whose items are JSON text (an array), for the answer to pass on. */
export interface JsonPage {
  items: JsonText;
  nextCursor: string | null;
}

export interface ClaimedAudit {
  id: string;
  organizationId: string | null;
  stackData: unknown;
  generation: number;
  attempts: number;
}

const queued = () => ({
  status: 'pending' as const,
  completedAt: null,
  error: null,
  analysisLeaseUntil: null,
  analysisGeneration: sql`${audits.analysisGeneration} + 1`,
});

export interface NewAudit {
  id?: string;
  organizationId: string;
  userId: string | null;
  name: string;
  stackData: unknown;
  status?: AuditStatus;
}

export class AuditRepository {
  constructor(private readonly db: Executor) {}

  async create(input: NewAudit): Promise<Audit> {
    const now = new Date();
    const [row] = await this.db
      .insert(audits)
      .values({
        id: input.id ?? newId('audit'),
        organizationId: input.organizationId,
        userId: input.userId,
        name: input.name,
        stackData: input.stackData,
        status: input.status ?? 'pending',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  }

  async findById(organizationId: string, auditId: string): Promise<Audit | null> {
    const [row] = await this.db
      .select()
      .from(audits)
      .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)));
    return row ?? null;
  }

  /** The stack data of these audits of the organization, by audit id (what a diff compares). */
  async stacksOf(organizationId: string, auditIds: string[]): Promise<Map<string, unknown>> {
    const rows = await this.db
      .select({ id: audits.id, stackData: audits.stackData })
      .from(audits)
      .where(and(eq(audits.organizationId, organizationId), inArray(audits.id, auditIds)));
    return new Map(rows.map((r) => [r.id, r.stackData]));
  }

  /** For public share links, which name the audit before any organization is known. */
  async findByIdAcrossOrganizations(auditId: string): Promise<Audit | null> {
    const [row] = await this.db.select().from(audits).where(eq(audits.id, auditId));
    return row ?? null;
  }

  /**
   * A page of GET /api/audits, newest first, optionally of one status and only what a user may
   * view: its items as the answer's JSON text, written by PostgreSQL (db/json-text.ts,
   * audit-json.ts), and the cursor of the next page. Served by idx_audits_org_created.
   */
  async listPage(
    organizationId: string,
    options: PageRequest & { status?: AuditStatus; visibleTo?: { userId: string; role: string | null } } = {},
  ): Promise<JsonPage> {
    const limit = pageSize(options);
    const cursor = options.cursor ? decodeCursor(options.cursor) : null;
    const restricted = options.visibleTo !== undefined && options.visibleTo.role !== 'admin';
    // One prepared statement per shape of the query and page size (db/prepared.ts): the list
    // is a hot path. The page size is written into the aggregate's bounds, so each size is a
    // statement of its own (drizzle binds the scan's LIMIT as a parameter).
    const name = `audit_list${options.status ? '_status' : ''}${restricted ? '_visible' : ''}${cursor ? '_after' : ''}_${limit}`;
    const statement = prepared(this.db, name, (db) => {
      // The page and one row more (is there a next page?), newest first.
      const rows = db
        .select({ item: sql<JsonText>`${auditListItemJson}`.as('item'), createdAt: audits.createdAt, id: audits.id })
        .from(audits)
        .where(
          and(
            eq(audits.organizationId, sql.placeholder('organizationId')),
            options.status ? eq(audits.status, sql.placeholder('status')) : undefined,
            restricted
              ? visibleAuditCondition(db, audits.id, { userId: sql.placeholder('userId'), role: null })
              : undefined,
            cursor
              ? rowAfter(audits.createdAt, audits.id, sql.placeholder('cursorAt'), sql.placeholder('cursorId'))
              : undefined,
          ),
        )
        .orderBy(desc(audits.createdAt), desc(audits.id))
        .limit(limit + 1)
        .as('page_rows');
      const n = sql.raw(String(limit));
      const inOrder = sql`ORDER BY ${rows.createdAt} DESC, ${rows.id} DESC`;
      return db
        .select({
          items: sql<JsonText>`'[' || coalesce(array_to_string((array_agg(${rows.item} ${inOrder}))[1:${n}], ','), '') || ']'`,
          more: sql<boolean>`count(*) > ${n}`,
          // The last item's key: the next page starts after it.
          lastAt: sql<string | null>`(array_agg(${isoText(rows.createdAt)} ${inOrder}))[${n}]`,
          lastId: sql<string | null>`(array_agg(${rows.id} ${inOrder}))[${n}]`,
        })
        .from(rows)
        .prepare(name);
    });
    const [page] = await statement.execute({
      organizationId,
      status: options.status,
      userId: options.visibleTo?.userId,
      cursorAt: cursor?.createdAt,
      cursorId: cursor?.id,
    });
    return {
      items: page!.items,
      // A row without a creation time (the column allows it; nothing here writes one) pages on
      // as toPage does: from the epoch.
      nextCursor: page!.more ? encodeCursor({ createdAt: page!.lastAt ?? new Date(0), id: page!.lastId! }) : null,
    };
  }

  /** How many audits the organization created since a moment (the monthly plan limit). */
  async countCreatedSince(organizationId: string, since: Date): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(audits)
      .where(and(eq(audits.organizationId, organizationId), gte(audits.createdAt, since)));
    return row?.count ?? 0;
  }

  async rename(organizationId: string, auditId: string, name: string): Promise<Audit | null> {
    return this.update(organizationId, auditId, { name });
  }

  /** New stack data, and a fresh analysis queued for it (the audit goes back to pending). */
  async replaceStackData(organizationId: string, auditId: string, stackData: unknown): Promise<Audit | null> {
    const [row] = await this.db
      .update(audits)
      .set({ stackData, ...queued(), updatedAt: new Date() })
      .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)))
      .returning();
    return row ?? null;
  }

  /** Queues a fresh analysis: status pending, a new generation (an older run in flight is discarded). */
  async queueAnalysis(organizationId: string, auditId: string): Promise<Audit | null> {
    const [row] = await this.db
      .update(audits)
      .set({ ...queued(), updatedAt: new Date() })
      .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)))
      .returning();
    return row ?? null;
  }

  /**
   * Claims up to `limit` audits to analyse, across organizations (the worker serves them
   * all): pending ones, and 'analyzing' ones whose lease ran out (their worker died).
   * SKIP LOCKED lets several instances claim at once without taking the same audit.
   */
  async claimForAnalysisAcrossOrganizations(
    limit: number,
    leaseSeconds: number,
    now = new Date(),
  ): Promise<ClaimedAudit[]> {
    const due = this.db
      .select({ id: audits.id })
      .from(audits)
      .where(
        or(
          eq(audits.status, 'pending'),
          and(
            eq(audits.status, 'analyzing'),
            or(lt(audits.analysisLeaseUntil, now), sql`${audits.analysisLeaseUntil} IS NULL`),
          ),
        ),
      )
      .orderBy(asc(audits.updatedAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    return this.db
      .update(audits)
      .set({
        status: 'analyzing',
        analysisLeaseUntil: new Date(now.getTime() + leaseSeconds * 1000),
        analysisAttempts: sql`${audits.analysisAttempts} + 1`,
      })
      .where(inArray(audits.id, due))
      .returning({
        id: audits.id,
        organizationId: audits.organizationId,
        stackData: audits.stackData,
        generation: audits.analysisGeneration,
        attempts: audits.analysisAttempts,
      });
  }

  /** Marks the claimed generation completed with its totals; false when a newer one was queued meanwhile. */
  async completeAnalysis(
    organizationId: string,
    auditId: string,
    generation: number,
    totals: { toolCount: number; totalMonthlyCost: string; potentialMonthlySavings: string },
    at = new Date(),
  ): Promise<boolean> {
    const rows = await this.db
      .update(audits)
      .set({ status: 'completed', completedAt: at, error: null, analysisLeaseUntil: null, ...totals })
      .where(
        and(
          eq(audits.id, auditId),
          eq(audits.organizationId, organizationId),
          eq(audits.analysisGeneration, generation),
          eq(audits.status, 'analyzing'),
        ),
      )
      .returning({ id: audits.id });
    return rows.length === 1;
  }

  async failAnalysis(organizationId: string, auditId: string, generation: number, error: string): Promise<boolean> {
    const rows = await this.db
      .update(audits)
      .set({ status: 'failed', error: error.slice(0, 2000), analysisLeaseUntil: null })
      .where(
        and(
          eq(audits.id, auditId),
          eq(audits.organizationId, organizationId),
          eq(audits.analysisGeneration, generation),
        ),
      )
      .returning({ id: audits.id });
    return rows.length === 1;
  }

  /**
   * Retention, across organizations (a background job serves them all): deletes audits
   * older than each organization's settings.auditRetentionDays (`defaultDays` where unset
   * or not a whole number). Returns what it deleted, for the log.
   */
  async deleteExpiredAcrossOrganizations(
    defaultDays: number,
    now = new Date(),
  ): Promise<{ id: string; organizationId: string | null; name: string }[]> {
    const days = sql`CASE WHEN jsonb_typeof(${organizations.settings} -> 'auditRetentionDays') = 'number'
      AND (${organizations.settings} ->> 'auditRetentionDays')::numeric >= 1
      THEN floor((${organizations.settings} ->> 'auditRetentionDays')::numeric)::int ELSE ${defaultDays}::int END`;
    const expired = this.db
      .select({ id: audits.id })
      .from(audits)
      .innerJoin(organizations, eq(organizations.id, audits.organizationId))
      .where(lt(audits.createdAt, sql`${now}::timestamptz - make_interval(days => ${days})`));
    return this.db
      .delete(audits)
      .where(inArray(audits.id, expired))
      .returning({ id: audits.id, organizationId: audits.organizationId, name: audits.name });
  }

  /** For /metrics: analyses waiting or running across organizations, and the oldest one's age. */
  async queueStatsAcrossOrganizations(): Promise<{ depth: number; oldestSeconds: number }> {
    const [row] = await this.db
      .select({
        depth: sql<number>`count(*)::int`,
        oldestSeconds: sql<number>`coalesce(extract(epoch FROM now() - min(${audits.updatedAt})), 0)::float8`,
      })
      .from(audits)
      .where(inArray(audits.status, ['pending', 'analyzing']));
    return { depth: row?.depth ?? 0, oldestSeconds: Number(row?.oldestSeconds ?? 0) };
  }

  /** The organization's audit created just before this one (the default of a diff). */
  async findPrevious(
    organizationId: string,
    audit: Pick<Audit, 'createdAt' | 'id'>,
    visibleTo?: { userId: string; role: string | null },
  ): Promise<AuditListItem | null> {
    const [row] = await this.db
      .select(LIST_COLUMNS)
      .from(audits)
      .where(
        and(
          eq(audits.organizationId, organizationId),
          // The row comparison the lists' cursors use: the index scan starts at this audit.
          rowAfter(audits.createdAt, audits.id, audit.createdAt ?? new Date(0), audit.id),
          visibleTo ? visibleAuditCondition(this.db, audits.id, visibleTo) : undefined,
        ),
      )
      .orderBy(desc(audits.createdAt), desc(audits.id))
      .limit(1);
    return row ?? null;
  }

  async setStatus(
    organizationId: string,
    auditId: string,
    status: AuditStatus,
    completedAt: Date | null = status === 'completed' ? new Date() : null,
  ): Promise<Audit | null> {
    return this.update(organizationId, auditId, { status, completedAt });
  }

  /** Deletes the audit; its analyses, comments, shares and activity go with it (ON DELETE CASCADE). */
  async delete(organizationId: string, auditId: string): Promise<boolean> {
    const rows = await this.db
      .delete(audits)
      .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)))
      .returning({ id: audits.id });
    return rows.length === 1;
  }

  private async update(
    organizationId: string,
    auditId: string,
    values: Partial<Pick<Audit, 'name' | 'stackData' | 'status' | 'completedAt'>>,
  ): Promise<Audit | null> {
    const [row] = await this.db
      .update(audits)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(audits.id, auditId), eq(audits.organizationId, organizationId)))
      .returning();
    return row ?? null;
  }
}
