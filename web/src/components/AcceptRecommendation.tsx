/**
 * A recommendation accepted (or not) on the audit page, and what the books show since: the
 * saving expected against the saving seen in the months after.
 */
import type { Acceptance, Recommendation } from '../api/types';
import { useDecideRecommendation } from '../api/savings';
import { money } from '../format';
import { ErrorNotice } from './Status';

const sameTools = (a: readonly string[], b: readonly string[]) => [...a].sort().join('|') === [...b].sort().join('|');

/** The acceptance of this recommendation among the audit's, if any. */
export const acceptanceOf = (rec: Recommendation, acceptances: readonly Acceptance[]) =>
  acceptances.find((a) => a.type === rec.type && sameTools(a.tools, rec.tools));

/**
 * Acceptances the current analysis no longer recommends: done already (the tool left the
 * stack), or the stack changed since. They still count on the dashboard, so the page shows
 * them too, with what the books show and a way to withdraw them.
 */
const acceptedEarlier = (recommendations: readonly Recommendation[], acceptances: readonly Acceptance[]) =>
  acceptances.filter((a) => !recommendations.some((rec) => acceptanceOf(rec, [a])));

const STATUS: Record<Acceptance['verification']['status'], string> = {
  waiting: 'waiting for a whole month of spend since',
  no_spend: 'no spend on these tools in the three months before: import spend to compare',
  seen: 'seen in the books',
  partly_seen: 'partly seen in the books',
  not_seen: 'not seen in the books yet',
};

function Verification({ acceptance, currency }: { acceptance: Acceptance; currency: string }) {
  const v = acceptance.verification;
  return (
    <p className="muted" aria-label={`Savings seen: ${acceptance.title}`}>
      Accepted {acceptance.acceptedAt ? new Date(acceptance.acceptedAt).toLocaleDateString() : ''} · {STATUS[v.status]}
      {v.seenMonthly !== null && (
        <>
          : {money(v.seenMonthly, currency)} a month seen of {money(v.expectedMonthly, currency)} expected (
          {money(v.baselineMonthly, currency)} a month before, {money(v.afterMonthly, currency)} after)
        </>
      )}
      {v.acceptanceIds.length > 1 && (
        <> · verified with {v.acceptanceIds.length - 1} other accepted on the same tools</>
      )}
    </p>
  );
}

function WithdrawButton({ auditId, acceptance }: { auditId: string; acceptance: Acceptance }) {
  const { withdraw } = useDecideRecommendation(auditId);
  return (
    <>
      <button
        type="button"
        className="outline secondary"
        aria-busy={withdraw.isPending}
        onClick={() => withdraw.mutate(acceptance.id)}
      >
        Withdraw the acceptance
      </button>
      {withdraw.error && <ErrorNotice error={withdraw.error} />}
    </>
  );
}

/** An acceptance whose recommendation the analysis no longer makes (acceptedEarlier). */
function EarlierAcceptance({
  auditId,
  acceptance,
  canDecide,
}: {
  auditId: string;
  acceptance: Acceptance;
  canDecide: boolean;
}) {
  return (
    <article aria-label={`Accepted earlier: ${acceptance.title}`}>
      <header>
        <strong>{acceptance.title}</strong>
      </header>
      <p>
        Expected to save <strong>{money(acceptance.expectedMonthlySavings, acceptance.currency)}</strong> a month
      </p>
      <Verification acceptance={acceptance} currency={acceptance.currency} />
      {canDecide && <WithdrawButton auditId={auditId} acceptance={acceptance} />}
    </article>
  );
}

export function AcceptRecommendation({
  auditId,
  rec,
  acceptance,
  canDecide,
  currency,
}: {
  auditId: string;
  rec: Recommendation;
  acceptance: Acceptance | undefined;
  canDecide: boolean;
  currency: string;
}) {
  const { accept } = useDecideRecommendation(auditId);
  if (rec.estimatedMonthlySavings <= 0 && !acceptance) return null;
  return (
    <>
      {acceptance && <Verification acceptance={acceptance} currency={currency} />}
      {canDecide && !acceptance && (
        <button
          type="button"
          aria-busy={accept.isPending}
          onClick={() => accept.mutate({ type: rec.type, tools: rec.tools })}
        >
          Accept: we will do this
        </button>
      )}
      {canDecide && acceptance && <WithdrawButton auditId={auditId} acceptance={acceptance} />}
      {accept.error && <ErrorNotice error={accept.error} />}
    </>
  );
}

/** The audit's acceptances its analysis no longer recommends, under "Accepted earlier" (nothing when none). */
export function AcceptedEarlier({
  recommendations,
  auditId,
  acceptances,
  canDecide,
}: {
  recommendations: readonly Recommendation[];
  auditId: string;
  acceptances: readonly Acceptance[];
  canDecide: boolean;
}) {
  const earlier = acceptedEarlier(recommendations, acceptances);
  if (earlier.length === 0) return null;
  return (
    <section aria-label="Accepted earlier">
      <h3>Accepted earlier</h3>
      <p className="muted">
        Accepted on this audit but no longer recommended by its analysis (done, or the stack changed since): still
        followed in the books and counted on the dashboard.
      </p>
      {earlier.map((acceptance) => (
        <EarlierAcceptance key={acceptance.id} auditId={auditId} acceptance={acceptance} canDecide={canDecide} />
      ))}
    </section>
  );
}
