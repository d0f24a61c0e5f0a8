import { and, desc, eq, gte, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { toolCosts } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { afterCursor, pageSize, toPage, type Page, type PageRequest } from './pagination.js';

export type ToolCost = typeof toolCosts.$inferSelect;

const INSERT_CHUNK = 1000;

/** 'software' counts as spend; 'unreviewed' waits for a decision; 'not_software' is kept out. */
export type Review = 'software' | 'unreviewed' | 'not_software';

/** What a review decides about a charge. */
export interface Decision {
  review: Exclude<Review, 'unreviewed'>;
  toolName?: string;
  vendor?: string | null;
}

export interface NewToolCost {
  source: string;
  /** 'software' unless said. */
  review?: Review;
  toolName: string;
  vendor?: string | null;
  /** A decimal string with at most two places, e.g. "350.00": money never goes through floats. */
  amount: string;
  currency?: string;
  billingPeriodStart?: string | null;
  billingPeriodEnd?: string | null;
  metadata?: Record<string, unknown>;
}

export interface ToolCostFilter extends PageRequest {
  source?: string;
  /** Lines of this review state; 'software' (the spend) unless said. */
  review?: Review;
  /** Lines whose period starts on or after this date ('YYYY-MM-DD'). */
  from?: string;
  /** Lines whose period starts on or before this date. */
  to?: string;
}

/** The month ('YYYY-MM') a line's period starts in: what monthly totals group by. */
const periodMonth = sql<string>`to_char(date_trunc('month', ${toolCosts.billingPeriodStart}), 'YYYY-MM')`;
/** A tool's name compared without case or surrounding spaces. */
const toolNameKey = sql<string>`lower(btrim(${toolCosts.toolName}))`;
const lineCurrency = sql<string>`coalesce(${toolCosts.currency}, 'USD')`;
const sumOfAmounts = sql<string>`sum(${toolCosts.amount})::text`;

/**
 * An organization's software spend (the lines every total counts) whose period starts in
 * [from, until): idx_tool_costs_org_period.
 */
/** An organization's software lines (not those waiting for review or decided otherwise) with a period. */
const softwareWithPeriod = (organizationId: string) =>
  and(
    eq(toolCosts.organizationId, organizationId),
    eq(toolCosts.review, 'software'),
    isNotNull(toolCosts.billingPeriodStart),
  );

const softwareSpendIn = (organizationId: string, from: string, until: string) =>
  and(
    softwareWithPeriod(organizationId),
    gte(toolCosts.billingPeriodStart, from),
    lt(toolCosts.billingPeriodStart, until),
  );

export class ToolCostRepository {
  constructor(private readonly db: Executor) {}

  /** Inserts many lines in one statement. */
  async insertMany(organizationId: string, lines: NewToolCost[]): Promise<ToolCost[]> {
    if (lines.length === 0) return [];
    const now = new Date();
    return this.db
      .insert(toolCosts)
      .values(lines.map((line) => this.row(organizationId, line, now)))
      .returning();
  }

  private row(organizationId: string, line: NewToolCost, now: Date) {
    return {
      id: newId('toolCost'),
      organizationId,
      source: line.source,
      toolName: line.toolName,
      vendor: line.vendor ?? null,
      amount: line.amount,
      currency: line.currency ?? 'USD',
      billingPeriodStart: line.billingPeriodStart ?? null,
      billingPeriodEnd: line.billingPeriodEnd ?? null,
      metadata: line.metadata ?? {},
      review: line.review ?? 'software',
      importedAt: now,
      createdAt: now,
    };
  }

  /**
   * Inserts the lines whose external id (metadata.externalId) this organization and source
   * do not have yet, a thousand rows per statement (PostgreSQL allows 65,535 parameters);
   * returns how many were new. Call inside a transaction for all or nothing.
   */
  async insertNew(organizationId: string, lines: NewToolCost[]): Promise<number> {
    const now = new Date();
    let inserted = 0;
    for (let i = 0; i < lines.length; i += INSERT_CHUNK) {
      const rows = await this.db
        .insert(toolCosts)
        .values(lines.slice(i, i + INSERT_CHUNK).map((line) => this.row(organizationId, line, now)))
        .onConflictDoNothing()
        .returning({ id: toolCosts.id });
      inserted += rows.length;
    }
    return inserted;
  }

  /**
   * Software lines of at least `minDays` whose period ends on or after `since`: annual
   * contracts that renew (the renewals page, reminders, the calendar). Reads
   * idx_tool_costs_org_period_end.
   */
  async contractsEndingFrom(organizationId: string, since: string, minDays: number) {
    return this.db
      .select({
        toolName: toolCosts.toolName,
        vendor: toolCosts.vendor,
        amount: toolCosts.amount,
        currency: toolCosts.currency,
        periodStart: toolCosts.billingPeriodStart,
        periodEnd: toolCosts.billingPeriodEnd,
      })
      .from(toolCosts)
      .where(
        and(
          softwareWithPeriod(organizationId),
          gte(toolCosts.billingPeriodEnd, since),
          sql`${toolCosts.billingPeriodEnd} - ${toolCosts.billingPeriodStart} >= ${minDays}`,
        ),
      );
  }

  /** Spend per tool, currency and month (of the period's start) between two days, inclusive. */
  async monthlyTotals(
    organizationId: string,
    range: { from?: string; to?: string },
  ): Promise<{ toolName: string; currency: string; month: string; total: string }[]> {
    return this.db
      .select({ toolName: toolCosts.toolName, currency: lineCurrency, month: periodMonth, total: sumOfAmounts })
      .from(toolCosts)
      .where(
        and(
          softwareWithPeriod(organizationId),
          range.from ? gte(toolCosts.billingPeriodStart, range.from) : undefined,
          range.to ? lte(toolCosts.billingPeriodStart, range.to) : undefined,
        ),
      )
      .groupBy(toolCosts.toolName, sql`2`, sql`3`)
      .orderBy(toolCosts.toolName, sql`3`);
  }

  async list(organizationId: string, filter: ToolCostFilter = {}): Promise<Page<ToolCost>> {
    const limit = pageSize(filter);
    const rows = await this.db
      .select()
      .from(toolCosts)
      .where(
        and(
          eq(toolCosts.organizationId, organizationId),
          eq(toolCosts.review, filter.review ?? 'software'),
          filter.source ? eq(toolCosts.source, filter.source) : undefined,
          filter.from ? gte(toolCosts.billingPeriodStart, filter.from) : undefined,
          filter.to ? lte(toolCosts.billingPeriodStart, filter.to) : undefined,
          afterCursor(toolCosts.createdAt, toolCosts.id, filter.cursor),
        ),
      )
      .orderBy(desc(toolCosts.createdAt), desc(toolCosts.id))
      .limit(limit + 1);
    return toPage(rows, limit);
  }

  /**
   * Each tool's spend in [from, until) by currency: one row per tool (its name compared
   * without case or surrounding spaces; shown as its lines spell it most often) and currency,
   * largest first. Reads idx_tool_costs_org_period.
   */
  async totalsByToolBetween(
    organizationId: string,
    from: string,
    until: string,
  ): Promise<{ toolKey: string; toolName: string; vendor: string | null; currency: string | null; total: string }[]> {
    return this.db
      .select({
        toolKey: toolNameKey,
        toolName: sql<string>`mode() WITHIN GROUP (ORDER BY btrim(${toolCosts.toolName}))`,
        vendor: sql<string | null>`max(${toolCosts.vendor})`,
        currency: toolCosts.currency,
        total: sumOfAmounts,
      })
      .from(toolCosts)
      .where(softwareSpendIn(organizationId, from, until))
      .groupBy(toolNameKey, toolCosts.currency)
      .orderBy(desc(sql`sum(${toolCosts.amount})`), toolNameKey);
  }

  /**
   * Software spend on these tools (names compared lower-cased, without surrounding spaces) by
   * tool, currency and month of the period's start, in [from, until). Reads idx_tool_costs_org_period.
   */
  async monthlySpendOfTools(
    organizationId: string,
    names: string[],
    from: string,
    until: string,
  ): Promise<{ toolName: string; currency: string; month: string; total: string }[]> {
    if (names.length === 0) return [];
    return this.db
      .select({ toolName: toolNameKey, currency: lineCurrency, month: periodMonth, total: sumOfAmounts })
      .from(toolCosts)
      .where(and(softwareSpendIn(organizationId, from, until), inArray(toolNameKey, names)))
      .groupBy(sql`1`, sql`2`, sql`3`);
  }

  /** The months ('YYYY-MM') in [from, until) the organization has any software spend imported for. */
  async monthsWithSpend(organizationId: string, from: string, until: string): Promise<Set<string>> {
    const rows = await this.db
      .selectDistinct({ month: periodMonth })
      .from(toolCosts)
      .where(softwareSpendIn(organizationId, from, until));
    return new Set(rows.map((r) => r.month));
  }

  async findById(organizationId: string, toolCostId: string): Promise<ToolCost | null> {
    const [row] = await this.db
      .select()
      .from(toolCosts)
      .where(and(eq(toolCosts.id, toolCostId), eq(toolCosts.organizationId, organizationId)));
    return row ?? null;
  }

  /** Changes a line's tool, amount, currency or period; null when it is not this organization's. */
  async update(
    organizationId: string,
    toolCostId: string,
    changes: Partial<
      Pick<NewToolCost, 'toolName' | 'vendor' | 'amount' | 'currency' | 'billingPeriodStart' | 'billingPeriodEnd'>
    >,
  ): Promise<ToolCost | null> {
    const [row] = await this.db
      .update(toolCosts)
      .set(changes)
      .where(and(eq(toolCosts.id, toolCostId), eq(toolCosts.organizationId, organizationId)))
      .returning();
    return row ?? null;
  }

  /**
   * Decides the organization's unreviewed lines of one merchant (metadata.merchantKey) at
   * once, or one line by its id (a charge without a merchant key): software, as which tool, or
   * not software. Returns how many lines it decided (0: decided by someone else meanwhile).
   */
  async decide(
    organizationId: string,
    which: { merchantKey: string } | { toolCostId: string },
    decision: Decision,
  ): Promise<number> {
    const rows = await this.db
      .update(toolCosts)
      .set({
        review: decision.review,
        ...(decision.toolName ? { toolName: decision.toolName, vendor: decision.vendor ?? null } : {}),
      })
      .where(
        and(
          eq(toolCosts.organizationId, organizationId),
          eq(toolCosts.review, 'unreviewed'),
          'merchantKey' in which
            ? sql`${toolCosts.metadata} ->> 'merchantKey' = ${which.merchantKey}`
            : eq(toolCosts.id, which.toolCostId),
        ),
      )
      .returning({ id: toolCosts.id });
    return rows.length;
  }

  async delete(organizationId: string, toolCostId: string): Promise<boolean> {
    const rows = await this.db
      .delete(toolCosts)
      .where(and(eq(toolCosts.id, toolCostId), eq(toolCosts.organizationId, organizationId)))
      .returning({ id: toolCosts.id });
    return rows.length === 1;
  }
}
