/** Accepted recommendations and their verification as the contract's JSON (cents to amounts). */
import type { Verification } from '../../../domain/savings-verification.js';
import { fromCents } from '../../../domain/money.js';
import type { AcceptanceView, SavingsOverview } from '../../../services/savings.service.js';
import { iso } from '../../present.js';
import type { AcceptanceJson, SavingsJson } from './contract.js';

const amount = (cents: number | null) => (cents === null ? null : fromCents(cents));

function presentVerification(v: Verification): AcceptanceJson['verification'] {
  return {
    status: v.status,
    tools: v.tools,
    acceptanceIds: v.acceptanceIds,
    baselineMonths: v.baselineMonths,
    afterMonths: v.afterMonths,
    baselineMonthly: amount(v.baselineMonthlyCents),
    afterMonthly: amount(v.afterMonthlyCents),
    expectedMonthly: amount(v.expectedCents),
    seenMonthly: amount(v.seenCents),
  };
}

export function presentAcceptance({ acceptance: a, verification }: AcceptanceView): AcceptanceJson {
  return {
    id: a.id,
    auditId: a.auditId,
    type: a.type,
    title: a.title,
    tools: a.tools,
    expectedMonthlySavings: Number(a.expectedMonthlySavings),
    currency: a.currency,
    acceptedBy: a.acceptedBy,
    acceptedAt: iso(a.acceptedAt),
    verification: presentVerification(verification),
  };
}

export const presentSavings = (overview: SavingsOverview): SavingsJson => ({
  currency: overview.currency,
  items: overview.acceptances.map(presentAcceptance),
  total: {
    expectedMonthly: fromCents(overview.total.expectedCents),
    measuredExpectedMonthly: fromCents(overview.total.measuredExpectedCents),
    seenMonthly: fromCents(overview.total.seenCents),
  },
});
