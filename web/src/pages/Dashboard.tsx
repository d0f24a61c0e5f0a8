import { Link } from 'react-router';

import { useAudit, useAudits } from '../api/audits';
import { useSavings } from '../api/savings';
import type { Me } from '../api/session';
import { RenewalTimeline } from '../components/RenewalTimeline';
import { ErrorNotice, Loading } from '../components/Status';
import { money, todayIn } from '../format';

export function Dashboard({ me }: { me: Me }) {
  const currency = me.organization.settings.baseCurrency;
  const audits = useAudits();
  const latest = audits.data?.items.find((a) => a.status === 'completed');
  const detail = useAudit(latest?.id);
  const savings = useSavings();

  if (audits.isPending) return <Loading what="Loading your audits" />;
  if (audits.isError) return <ErrorNotice error={audits.error} />;
  const items = audits.data.items;
  const canCreate = me.user.role !== 'viewer';

  if (items.length === 0) {
    return (
      <section>
        <h1>Dashboard</h1>
        <article>
          <h2>No audits yet</h2>
          <p>
            Start by listing the tools your company pays for: their monthly cost and seats. StackAudit then finds
            overlapping tools, unused seats and renewals coming up.
          </p>
          {canCreate ? (
            <Link role="button" to="/audits/new">
              Create your first audit
            </Link>
          ) : (
            <p className="muted">An admin or member of your organization creates audits; you will see them here.</p>
          )}
        </article>
      </section>
    );
  }

  const renewals = detail.data?.analysis?.costAnalysis.renewalsNext90Days ?? [];
  return (
    <section>
      <h1>Dashboard</h1>
      <div className="cards">
        <article>
          <div className="muted">Monthly spend (latest audit)</div>
          <div className="value">{money(latest?.totalMonthlyCost ?? null, currency)}</div>
        </article>
        <article>
          <div className="muted">Savings found</div>
          <div className="value">{money(latest?.potentialMonthlySavings ?? null, currency)}</div>
        </article>
        <article>
          <div className="muted">Renewals in 90 days</div>
          <div className="value">{latest ? renewals.length : '—'}</div>
        </article>
        {savings.data && savings.data.items.length > 0 && (
          <article>
            <div className="muted">Savings seen in the books</div>
            <div className="value" data-testid="savings-seen">
              {money(savings.data.total.seenMonthly, savings.data.currency)}
            </div>
            <small className="muted">
              of {money(savings.data.total.measuredExpectedMonthly, savings.data.currency)} expected a month, from{' '}
              {savings.data.items.length} accepted recommendation{savings.data.items.length === 1 ? '' : 's'}
              {savings.data.total.expectedMonthly > savings.data.total.measuredExpectedMonthly &&
                ` (${money(savings.data.total.expectedMonthly - savings.data.total.measuredExpectedMonthly, savings.data.currency)} not measurable yet)`}
            </small>
          </article>
        )}
      </div>
      {renewals.length > 0 && (
        <>
          <h2>Renewals coming up</h2>
          <RenewalTimeline renewals={renewals} currency={currency} today={todayIn(me.organization.settings.timeZone)} />
        </>
      )}
      <h2>Audits</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Date</th>
              <th scope="col">Monthly cost</th>
              <th scope="col">Potential savings</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/audits/${a.id}`}>{a.name}</Link>
                </td>
                <td>
                  <span className="status">{a.status}</span>
                </td>
                <td>{a.createdAt ? new Date(a.createdAt).toLocaleDateString() : '—'}</td>
                <td>{money(a.totalMonthlyCost, currency)}</td>
                <td>{money(a.potentialMonthlySavings, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
