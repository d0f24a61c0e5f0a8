/** Tool costs and exchange rates as the contract's JSON. */
import type { ExchangeRateView, ToolCostView } from '../../../services/views.js';
import { iso } from '../../present.js';

export function presentToolCost(line: ToolCostView) {
  return {
    id: line.id,
    source: line.source,
    toolName: line.toolName,
    vendor: line.vendor,
    amount: Number(line.amount),
    currency: line.currency ?? 'USD',
    billingPeriodStart: line.billingPeriodStart,
    billingPeriodEnd: line.billingPeriodEnd,
    metadata: line.metadata ?? {},
    review: line.review as 'software' | 'unreviewed' | 'not_software',
    importedAt: iso(line.importedAt),
    createdAt: iso(line.createdAt),
  };
}

export const presentRates = (view: { baseCurrency: string; rates: ExchangeRateView[] }) => ({
  baseCurrency: view.baseCurrency,
  rates: view.rates.map((r) => ({ currency: r.currency, rate: Number(r.rate), updatedAt: iso(r.updatedAt) })),
});
