/**
 * The organization's own Stripe account as a spend source (a restricted, read-only key):
 * the fee of each balance transaction is a cost of the tool Stripe. The SDK client itself
 * comes from stripe-client.ts, which billing uses for the platform's own account.
 */
import type Stripe from 'stripe';

import { fromCents } from '../domain/money.js';
import type { NewToolCost } from '../repositories/tool-cost.repository.js';
import type { MappedRecords } from './mapping.js';

/** Currencies Stripe counts in whole units, not hundredths. */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** Resolves when Stripe accepts the key (it reads the balance); rejects with Stripe's error otherwise. */
export async function checkStripeKey(stripe: Stripe): Promise<void> {
  await stripe.balance.retrieve();
}

/** The fee of each balance transaction since a day: the cost of the tool Stripe. */
export async function stripeFees(stripe: Stripe, since: Date): Promise<MappedRecords> {
  const lines: NewToolCost[] = [];
  const skipped: MappedRecords['skipped'] = [];
  const list = stripe.balanceTransactions.list({
    created: { gte: Math.floor(since.getTime() / 1000) },
    limit: 100,
  });
  for await (const txn of list) {
    if (!txn.fee) {
      skipped.push({ externalId: txn.id, reason: 'no fee' });
      continue;
    }
    const currency = txn.currency.toLowerCase();
    const amount = ZERO_DECIMAL.has(currency) ? txn.fee : fromCents(txn.fee);
    const day = new Date(txn.created * 1000).toISOString().slice(0, 10);
    lines.push({
      source: 'stripe',
      toolName: 'Stripe',
      vendor: 'Stripe',
      amount: amount.toFixed(2),
      currency: currency.toUpperCase(),
      billingPeriodStart: day,
      billingPeriodEnd: day,
      metadata: { externalId: txn.id, kind: txn.type },
    });
  }
  return { lines, skipped };
}
