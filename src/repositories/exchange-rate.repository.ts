import { asc, eq } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { exchangeRates } from '../db/schema.js';

export type ExchangeRate = typeof exchangeRates.$inferSelect;

export class ExchangeRateRepository {
  constructor(private readonly db: Executor) {}

  async list(organizationId: string): Promise<ExchangeRate[]> {
    return this.db
      .select()
      .from(exchangeRates)
      .where(eq(exchangeRates.organizationId, organizationId))
      .orderBy(asc(exchangeRates.currency));
  }

  /** The rates as numbers: 1 unit of currency = rate units of the base. */
  async asTable(organizationId: string): Promise<Record<string, number>> {
    const rows = await this.list(organizationId);
    return Object.fromEntries(rows.map((r) => [r.currency, Number(r.rate)]));
  }

  /** Replaces the whole table (call inside a transaction). Rates are decimal strings. */
  async replace(organizationId: string, rates: { currency: string; rate: string }[]): Promise<ExchangeRate[]> {
    await this.db.delete(exchangeRates).where(eq(exchangeRates.organizationId, organizationId));
    if (rates.length === 0) return [];
    const now = new Date();
    return this.db
      .insert(exchangeRates)
      .values(rates.map((r) => ({ organizationId, currency: r.currency, rate: r.rate, updatedAt: now })))
      .returning();
  }
}
