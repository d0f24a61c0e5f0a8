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
import {
  applyMerchantDecision,
  merchantKey,
  normalizeDescriptor,
  recogniseVendor,
} from '../domain/statements/vendors.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { requireAdmin, requireCreator } from '../policies/organization.policy.js';
import { ExchangeRateRepository } from '../repositories/exchange-rate.repository.js';
import { VendorRuleRepository } from '../repositories/vendor-rule.repository.js';
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
    const rules = await new VendorRuleRepository(this.database.db).forKeys(
      actor.organization.id,
      parsed.movements.map((m) => merchantKey(m.description)),
    );
    const software: NewToolCost[] = [];
    const unreviewed: NewToolCost[] = [];
    const recognized: StatementImport['recognized'] = [];
    const unrecognized: StatementImport['unrecognized'] = [];
    let skipped = parsed.skipped.length;
    for (const movement of parsed.movements) {
      const vendor = recogniseVendor(movement.description);
      // Money coming in that is not a vendor's refund (a salary, a top-up) is not spend.
      if (movement.spendCents === 0 || (!vendor && movement.spendCents < 0)) {
        skipped += 1;
        continue;
      }
      const key = merchantKey(movement.description);
      const amount = fromCents(movement.spendCents);
      const currency = movement.currency ?? fallbackCurrency;
      const descriptor = normalizeDescriptor(movement.description);
      // Recognised software, else waiting for review — unless the organization decided about
      // this merchant already (the same rule as for synced lines).
      const line = applyMerchantDecision<NewToolCost>(
        {
          source: 'csv',
          review: vendor ? 'software' : 'unreviewed',
          toolName: vendor ? vendor.toolName : movement.description.trim().slice(0, 255),
          vendor: vendor?.vendor ?? null,
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
            merchantKey: key,
            layout: parsed.layout,
            row: movement.row,
            importedBy: actor.user.id,
          },
        },
        rules.get(key),
      );
      if (line.review === 'not_software') {
        skipped += 1;
      } else if (line.review === 'software') {
        software.push(line);
        if (recognized.length < MAX_LISTED_LINES) {
          const tool = { toolName: line.toolName, vendor: line.vendor ?? line.toolName };
          recognized.push({ ...tool, amount, currency, date: movement.date });
        }
      } else {
        unreviewed.push(line);
        if (unrecognized.length < MAX_LISTED_LINES) {
          unrecognized.push({ description: movement.description, amount, date: movement.date });
        }
      }
    }
    const [imported, kept] = await transaction(this.database.db, async (tx) => {
      const repository = new ToolCostRepository(tx);
      return [
        await repository.insertNew(actor.organization.id, software),
        await repository.insertNew(actor.organization.id, unreviewed),
      ];
    });
    return {
      layout: parsed.layout,
      imported,
      unreviewed: kept,
      skipped,
      duplicates: software.length + unreviewed.length - imported - kept,
      recognized,
      unrecognized,
    };
  }

  /**
   * Someone decided what a charge is: software (as which tool) or not. The decision is
   * remembered for its merchant (later imports and syncs follow it) and applied at once to
   * every unreviewed line of that merchant, in one transaction; how many lines it decided.
   */
  async review(
    actor: Actor,
    toolCostId: string,
    decision: { decision: 'software' | 'not_software'; toolName?: string; vendor?: string },
  ): Promise<{ decided: number; merchantKey: string }> {
    requireCreator(actor);
    const toolName = decision.toolName?.trim();
    if (decision.decision === 'software' && !toolName) {
      throw new ValidationError('Name the tool this charge pays for.', [
        { field: 'body.toolName', message: 'is required when the charge is software' },
      ]);
    }
    return transaction(this.database.db, async (tx) => {
      const lines = new ToolCostRepository(tx);
      const line = await lines.findById(actor.organization.id, toolCostId);
      if (!line) throw new NotFoundError('No such cost line.');
      const key = typeof line.metadata?.merchantKey === 'string' ? line.metadata.merchantKey : '';
      if (line.review !== 'unreviewed') throw new ConflictError('This line is not waiting for a review.');
      const vendor = decision.decision === 'software' ? decision.vendor?.trim() || toolName! : null;
      const outcome = {
        review: decision.decision,
        ...(decision.decision === 'software' ? { toolName: toolName!, vendor } : {}),
      };
      // A charge without a merchant name to remember (digits only, no vendor): this line alone.
      if (key === '') {
        const decided = await lines.decide(actor.organization.id, { toolCostId }, outcome);
        if (decided === 0) throw new ConflictError('This line was reviewed meanwhile.');
        return { decided, merchantKey: key };
      }
      await new VendorRuleRepository(tx).upsert(actor.organization.id, {
        merchantKey: key,
        decision: decision.decision,
        toolName: decision.decision === 'software' ? toolName! : null,
        vendor,
        decidedBy: actor.user.id,
      });
      const decided = await lines.decide(actor.organization.id, { merchantKey: key }, outcome);
      // Someone decided this merchant at the same moment: theirs stands, this one rolls back.
      if (decided === 0) throw new ConflictError('These charges were reviewed meanwhile.');
      return { decided, merchantKey: key };
    });
  }

  /** Corrects a cost line (tool, amount, currency, period); 404 for another organization's. */
  async update(actor: Actor, toolCostId: string, changes: Partial<Omit<ManualCost, 'notes'>>): Promise<ToolCostView> {
    requireCreator(actor);
    const repository = new ToolCostRepository(this.database.db);
    const current = await repository.findById(actor.organization.id, toolCostId);
    if (!current) throw new NotFoundError('No such cost line.');
    const start = changes.billingPeriodStart ?? current.billingPeriodStart ?? undefined;
    const end = changes.billingPeriodEnd ?? current.billingPeriodEnd ?? undefined;
    assertDays({
      'body.billingPeriodStart': changes.billingPeriodStart,
      'body.billingPeriodEnd': changes.billingPeriodEnd,
    });
    if (start && end && end < start) {
      throw new ValidationError('The period ends before it starts.', [
        { field: 'body.billingPeriodEnd', message: `is before billingPeriodStart (${start})` },
      ]);
    }
    const updated = await repository.update(actor.organization.id, toolCostId, {
      ...(changes.toolName !== undefined ? { toolName: changes.toolName.trim() } : {}),
      ...(changes.vendor !== undefined ? { vendor: changes.vendor.trim() || null } : {}),
      ...(changes.amount !== undefined ? { amount: fromCents(toCents(changes.amount)).toFixed(2) } : {}),
      ...(changes.currency !== undefined ? { currency: changes.currency } : {}),
      ...(changes.billingPeriodStart !== undefined ? { billingPeriodStart: changes.billingPeriodStart } : {}),
      ...(changes.billingPeriodEnd !== undefined ? { billingPeriodEnd: changes.billingPeriodEnd } : {}),
    });
    if (!updated) throw new NotFoundError('No such cost line.');
    return updated;
  }

  /** Deletes a cost line; 404 for another organization's. */
  async remove(actor: Actor, toolCostId: string): Promise<void> {
    requireCreator(actor);
    if (!(await new ToolCostRepository(this.database.db).delete(actor.organization.id, toolCostId))) {
      throw new NotFoundError('No such cost line.');
    }
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
