/**
 * Real spend: tool cost lines (manual, imported from card and bank statements, synced from
 * accounting), the organization's exchange rates, and the spend summary in the base
 * currency. A line keeps its own currency; totals convert with the organization's rates and
 * report the currencies they could not convert, never summing them as if 1:1.
 */
import { createHash } from 'node:crypto';

import { transaction, type Database } from '../db/database.js';
import { toBaseCents } from '../domain/currency.js';
import { isCalendarDay } from '../domain/days.js';
import { fromCents, toCents } from '../domain/money.js';
import { parseStatement, type ColumnMapping } from '../domain/statements/layouts.js';
import { normalizeDescriptor, recogniseVendor } from '../domain/statements/vendors.js';
import { ValidationError } from '../errors.js';
import { requireAdmin, requireCreator } from '../policies/organization.policy.js';
import { ExchangeRateRepository } from '../repositories/exchange-rate.repository.js';
import { ToolCostRepository, type NewToolCost, type ToolCostFilter } from '../repositories/tool-cost.repository.js';
import type { Actor } from './actor.js';
import type { ExchangeRateView, Page, ToolCostView } from './views.js';
import { readSettings } from '../domain/organization-settings.js';
import type { SpendSummary, StatementImport } from '../domain/spend-views.js';

/** Lines listed back in an import's answer, at most (the counts are always complete). */
export const MAX_LISTED_LINES = 1000;
/** Rows of one statement, at most (the body limit of 1 MiB comes first for most files). */
export const MAX_STATEMENT_ROWS = 20_000;

export interface ManualCost {
  toolName: string;
  vendor?: string;
  amount: number;
  currency?: string;
  billingPeriodStart?: string;
  billingPeriodEnd?: string;
  notes?: string;
}

export type { SpendSummary, StatementImport } from '../domain/spend-views.js';

export interface RatesView {
  baseCurrency: string;
  rates: ExchangeRateView[];
}

export class SpendService {
  constructor(private readonly database: Database) {}

  list(actor: Actor, filter: ToolCostFilter): Promise<Page<ToolCostView>> {
    assertDays({ 'querystring.from': filter.from, 'querystring.to': filter.to });
    return new ToolCostRepository(this.database.db).list(actor.organization.id, filter);
  }

  async create(actor: Actor, input: ManualCost): Promise<ToolCostView> {
    requireCreator(actor);
    const { billingPeriodStart: start, billingPeriodEnd: end } = input;
    assertDays({ 'body.billingPeriodStart': start, 'body.billingPeriodEnd': end });
    if (start && end && end < start) {
      throw new ValidationError('The period ends before it starts.', [
        { field: 'body.billingPeriodEnd', message: `is before billingPeriodStart (${start})` },
      ]);
    }
    const [line] = await new ToolCostRepository(this.database.db).insertMany(actor.organization.id, [
      {
        source: 'manual',
        toolName: input.toolName.trim(),
        vendor: input.vendor?.trim() || null,
        amount: fromCents(toCents(input.amount)).toFixed(2),
        currency: input.currency ?? readSettings(actor.organization.settings).baseCurrency,
        billingPeriodStart: start ?? null,
        billingPeriodEnd: end ?? start ?? null,
        metadata: { enteredBy: actor.user.id, ...(input.notes ? { notes: input.notes } : {}) },
      },
    ]);
    return line!;
  }

  /**
   * A card or bank statement: software charges (and their refunds) become cost lines, all or
   * nothing; everything else is counted as skipped. Importing the same file again adds nothing.
   */
  async importStatement(
    actor: Actor,
    text: string,
    options: { mapping?: ColumnMapping; currency?: string } = {},
  ): Promise<StatementImport> {
    requireCreator(actor);
    const parsed = parseStatement(text, options.mapping);
    if (parsed.problems.length) {
      throw new ValidationError(
        `${parsed.problems.length} problem(s) in the statement: nothing was imported.`,
        parsed.problems.slice(0, 100),
      );
    }
    if (parsed.movements.length > MAX_STATEMENT_ROWS) {
      throw new ValidationError(`The statement has more than ${MAX_STATEMENT_ROWS} rows: split it.`, [
        { field: 'body', message: `has ${parsed.movements.length} rows` },
      ]);
    }
    const fallbackCurrency = options.currency ?? readSettings(actor.organization.settings).baseCurrency;
    const lines: NewToolCost[] = [];
    const recognized: StatementImport['recognized'] = [];
    const unrecognized: StatementImport['unrecognized'] = [];
    let skipped = parsed.skipped.length;
    for (const movement of parsed.movements) {
      const vendor = recogniseVendor(movement.description);
      const amount = fromCents(movement.spendCents);
      if (!vendor || movement.spendCents === 0) {
        skipped += 1;
        // Money coming in that is not a vendor's refund (a salary, a top-up) is not worth listing.
        if (movement.spendCents > 0 && unrecognized.length < MAX_LISTED_LINES) {
          unrecognized.push({ description: movement.description, amount, date: movement.date });
        }
        continue;
      }
      const currency = movement.currency ?? fallbackCurrency;
      const descriptor = normalizeDescriptor(movement.description);
      lines.push({
        source: 'csv',
        toolName: vendor.toolName,
        vendor: vendor.vendor,
        amount: amount.toFixed(2),
        currency,
        billingPeriodStart: movement.date,
        billingPeriodEnd: movement.date,
        metadata: {
          externalId: createHash('sha256')
            .update(`${movement.date}|${movement.spendCents}|${currency}|${descriptor}`)
            .digest('hex')
            .slice(0, 40),
          descriptor: movement.description,
          layout: parsed.layout,
          row: movement.row,
          importedBy: actor.user.id,
        },
      });
      if (recognized.length < MAX_LISTED_LINES) {
        recognized.push({ toolName: vendor.toolName, vendor: vendor.vendor, amount, currency, date: movement.date });
      }
    }
    const imported = await transaction(this.database.db, (tx) =>
      new ToolCostRepository(tx).insertNew(actor.organization.id, lines),
    );
    return {
      layout: parsed.layout,
      imported,
      skipped,
      duplicates: lines.length - imported,
      recognized,
      unrecognized,
    };
  }

  /** Spend by tool and by month in the base currency: each tool's price history. */
  async summary(actor: Actor, range: { from?: string; to?: string }): Promise<SpendSummary> {
    assertDays({ 'querystring.from': range.from, 'querystring.to': range.to });
    if (range.from && range.to && range.to < range.from) {
      throw new ValidationError('The range ends before it starts.', [
        { field: 'querystring.to', message: `is before from (${range.from})` },
      ]);
    }
    const organizationId = actor.organization.id;
    const base = readSettings(actor.organization.settings).baseCurrency;
    const [rows, rates] = await Promise.all([
      new ToolCostRepository(this.database.db).monthlyTotals(organizationId, range),
      new ExchangeRateRepository(this.database.db).asTable(organizationId),
    ]);
    const missing = new Set<string>();
    const tools = new Map<string, Map<string, number>>();
    const months = new Map<string, number>();
    for (const row of rows) {
      const cents = toBaseCents(toCents(row.total), row.currency, base, rates);
      if (cents === null) {
        missing.add(row.currency);
        continue;
      }
      const perMonth = tools.get(row.toolName) ?? new Map<string, number>();
      perMonth.set(row.month, (perMonth.get(row.month) ?? 0) + cents);
      tools.set(row.toolName, perMonth);
      months.set(row.month, (months.get(row.month) ?? 0) + cents);
    }
    const byTool = [...tools]
      .map(([toolName, perMonth]) => {
        const list = [...perMonth].sort(([a], [b]) => a.localeCompare(b));
        const total = list.reduce((sum, [, cents]) => sum + cents, 0);
        return { toolName, totalCents: total, months: list.map(([month, c]) => ({ month, amount: fromCents(c) })) };
      })
      .sort((a, b) => b.totalCents - a.totalCents || a.toolName.localeCompare(b.toolName))
      .map(({ toolName, totalCents, months: m }) => ({ toolName, total: fromCents(totalCents), months: m }));
    return {
      currency: base,
      byTool,
      byMonth: [...months]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, cents]) => ({ month, total: fromCents(cents) })),
      missingRates: [...missing].sort(),
    };
  }

  async exchangeRates(actor: Actor): Promise<RatesView> {
    return {
      baseCurrency: readSettings(actor.organization.settings).baseCurrency,
      rates: await new ExchangeRateRepository(this.database.db).list(actor.organization.id),
    };
  }

  /** Replaces the organization's rates as a whole (admin). */
  async replaceExchangeRates(actor: Actor, rates: { currency: string; rate: number }[]): Promise<RatesView> {
    requireAdmin(actor);
    const base = readSettings(actor.organization.settings).baseCurrency;
    const problems: { field: string; message: string }[] = [];
    const seen = new Set<string>();
    rates.forEach((r, i) => {
      if (r.currency === base) {
        problems.push({ field: `body.rates.${i}.currency`, message: `is the base currency (${base}): its rate is 1` });
      }
      if (seen.has(r.currency)) problems.push({ field: `body.rates.${i}.currency`, message: 'is listed twice' });
      seen.add(r.currency);
    });
    if (problems.length) throw new ValidationError('The exchange rates are not valid: see details.', problems);
    const saved = await transaction(this.database.db, (tx) =>
      new ExchangeRateRepository(tx).replace(
        actor.organization.id,
        rates.map((r) => ({ currency: r.currency, rate: decimal(r.rate) })),
      ),
    );
    return { baseCurrency: base, rates: saved.sort((a, b) => a.currency.localeCompare(b.currency)) };
  }
}

/** YYYY-MM-DD is checked by the schema; whether the day exists (no 30 February) here. */
function assertDays(fields: Record<string, string | undefined>): void {
  const problems = Object.entries(fields)
    .filter(([, value]) => value !== undefined && !isCalendarDay(value))
    .map(([field, value]) => ({ field, message: `"${value}" is not a day in the calendar` }));
  if (problems.length) throw new ValidationError('Not a day in the calendar.', problems);
}

/** A rate as a plain decimal string with at most 10 places (never "1e-7"). */
function decimal(rate: number): string {
  return rate.toFixed(10).replace(/\.?0+$/, '');
}
