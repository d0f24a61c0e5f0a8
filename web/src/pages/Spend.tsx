import type { Me } from '../api/session';
import { useSpendSummary } from '../api/spend';
import { AuditFromSpend } from './spend/AuditFromSpend';
import { CostLines } from './spend/CostLines';
import { ReviewCharges } from './spend/ReviewCharges';
import { SpendTotals } from './spend/SpendTotals';
import { StatementImport } from './spend/StatementImport';

/** Real spend: card and bank statements in, spend by tool and by month out. */
export default function Spend({ me }: { me: Me }) {
  const summary = useSpendSummary();
  const canImport = me.user.role !== 'viewer';
  return (
    <section>
      <h1>Spend</h1>
      {canImport && <StatementImport />}
      <ReviewCharges canReview={canImport} />
      <SpendTotals summary={summary} isAdmin={me.user.role === 'admin'} />
      {canImport && summary.data && summary.data.byTool.length > 0 && <AuditFromSpend />}
      <CostLines canAdd={canImport} baseCurrency={summary.data?.currency ?? me.organization.settings.baseCurrency} />
    </section>
  );
}
