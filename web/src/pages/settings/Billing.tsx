import { useSearchParams } from 'react-router';

import { useBilling, useGoToStripe } from '../../api/billing';
import { ErrorNotice, Loading } from '../../components/Status';
import { money } from '../../format';
import { limitText, UsageMeters } from './UsageMeters';

/** The plan, its usage and the plans to switch to: Stripe Checkout and the billing portal (admins). */
export function Billing({ isAdmin }: { isAdmin: boolean }) {
  const [params] = useSearchParams();
  const checkoutOutcome = params.get('checkout');
  // Back from Checkout, the webhook may take a moment: watch for the plan to change.
  const billing = useBilling({ afterCheckout: checkoutOutcome === 'success' });
  // Checkout and the portal are Stripe's pages: the browser goes there.
  const go = useGoToStripe();
  if (billing.isPending) return <Loading what="Loading billing" />;
  if (billing.isError) return <ErrorNotice error={billing.error} />;
  const b = billing.data;
  return (
    <>
      {checkoutOutcome === 'success' && (
        <p role="status">Thank you: the plan changes here as soon as Stripe confirms the payment.</p>
      )}
      {checkoutOutcome === 'cancelled' && <p role="status">Checkout was cancelled; nothing changed.</p>}
      <article aria-label="Your plan">
        <header>
          <strong>{b.plan}</strong> plan{b.status !== 'none' ? ` · subscription ${b.status.replace(/_/g, ' ')}` : ''}
        </header>
        {b.currentPeriodEnd && (
          <p>
            {b.cancelAtPeriodEnd ? 'Ends' : 'Renews'} on {b.currentPeriodEnd.slice(0, 10)}
            {b.cancelAtPeriodEnd ? '; the organization then moves to the free plan (nothing is deleted).' : '.'}
          </p>
        )}
        <UsageMeters limits={b.limits} usage={b.usage} />
        {isAdmin && b.billingEnabled && b.status !== 'none' && (
          <button type="button" className="secondary" onClick={() => go.mutate('portal')} aria-busy={go.isPending}>
            Manage billing in Stripe
          </button>
        )}
      </article>
      {!b.billingEnabled && (
        <p className="muted">
          Billing is not set up on this server (no Stripe keys): plans are changed by whoever runs it.
        </p>
      )}
      {go.error && <ErrorNotice error={go.error} />}
      <h2>Plans</h2>
      <div className="cards">
        {b.plans.map((plan) => (
          <article key={plan.name} aria-label={`The ${plan.name} plan`}>
            <header>
              <strong>{plan.name}</strong>
              {plan.name === b.plan && <span className="status"> current</span>}
            </header>
            <div className="value">
              {plan.monthlyPriceUsd === null
                ? 'By contract'
                : plan.monthlyPriceUsd === 0
                  ? 'Free'
                  : `${money(plan.monthlyPriceUsd)}/mo`}
            </div>
            <p className="muted">
              {limitText(plan.limits.auditsPerMonth)} audits a month · {limitText(plan.limits.members)} members
            </p>
            {isAdmin && b.billingEnabled && plan.checkout && plan.name !== b.plan && (
              <button type="button" onClick={() => go.mutate({ plan: plan.name })} disabled={go.isPending}>
                Switch to {plan.name}
              </button>
            )}
          </article>
        ))}
      </div>
    </>
  );
}
