/**
 * Every upcoming renewal of the organization (its latest audit and connected spend), with
 * filters; and, for admins, the calendar feed's secret URL.
 */
import { useState } from 'react';
import { Link } from 'react-router';

import { useCalendarFeed, useRenewals, type RenewalFilters } from '../api/renewals';
import { useMe } from '../api/session';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice, Loading } from '../components/Status';
import { inDays, money } from '../format';

function CalendarFeedBox() {
  const { status, replace, remove } = useCalendarFeed(true);
  const url = replace.data?.url;
  return (
    <article aria-labelledby="calendar-feed-heading">
      <h2 id="calendar-feed-heading">Calendar feed</h2>
      <p className="muted">
        Subscribe to the renewals from Google Calendar, Outlook or Apple Calendar: one event per renewal and one per
        last day to cancel. Anyone with the link can read it; a new link stops the old one.
      </p>
      {status.isError && <ErrorNotice error={status.error} />}
      {url ? (
        <p>
          <input aria-label="Calendar feed URL" readOnly value={url} /> <CopyButton text={url} label="Copy the link" />
          <br />
          <small className="muted">Shown once: only a fingerprint of it is kept.</small>
        </p>
      ) : (
        status.data?.active && (
          <p className="muted">
            A feed is on (made {status.data.createdAt ? new Date(status.data.createdAt).toLocaleDateString() : ''}).
          </p>
        )
      )}
      <div className="actions">
        <button type="button" disabled={replace.isPending} onClick={() => replace.mutate()}>
          {status.data?.active ? 'Make a new link' : 'Make a calendar link'}
        </button>
        {status.data?.active && (
          <button
            type="button"
            className="secondary outline"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
          >
            Turn the feed off
          </button>
        )}
      </div>
      {(replace.error ?? remove.error) && <ErrorNotice error={(replace.error ?? remove.error)!} />}
    </article>
  );
}

export default function Renewals() {
  const me = useMe();
  const [filters, setFilters] = useState<RenewalFilters>({});
  const renewals = useRenewals(filters);
  const set = (patch: Partial<RenewalFilters>) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <section aria-labelledby="renewals-heading">
      <h1 id="renewals-heading">Renewals</h1>
      <form className="grid" onSubmit={(e) => e.preventDefault()} aria-label="Filter the renewals">
        <label>
          Within
          <select
            value={filters.withinDays ?? ''}
            onChange={(e) => set({ withinDays: e.target.value === '' ? undefined : Number(e.target.value) })}
          >
            <option value="">the next 400 days</option>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="180">180 days</option>
          </select>
        </label>
        <label>
          From
          <select
            value={filters.source ?? ''}
            onChange={(e) => set({ source: (e.target.value || undefined) as RenewalFilters['source'] })}
          >
            <option value="">the latest audit and spend</option>
            <option value="audit">the latest audit</option>
            <option value="spend">connected spend</option>
          </select>
        </label>
        <label>
          Tool or owner
          <input type="search" value={filters.search ?? ''} onChange={(e) => set({ search: e.target.value })} />
        </label>
        <label>
          <input
            type="checkbox"
            checked={filters.needsNotice ?? false}
            onChange={(e) => set({ needsNotice: e.target.checked })}
          />
          Notice still to give
        </label>
      </form>
      {renewals.isPending && <Loading what="Loading the renewals" />}
      {renewals.isError && <ErrorNotice error={renewals.error} />}
      {renewals.data && (
        <>
          <p className="muted">
            Today is {renewals.data.today} ({renewals.data.timeZone}). Reminders are emailed{' '}
            {renewals.data.reminderLeadDays.length === 0
              ? 'never (no lead times set)'
              : `${renewals.data.reminderLeadDays.join(', ')} days before each last day to cancel (else renewal)`}
            .
          </p>
          {renewals.data.items.length === 0 ? (
            <p className="muted">No renewal to come. Dates come from the tools of the latest audit and annual spend.</p>
          ) : (
            <div className="table-scroll">
              <table aria-label="Upcoming renewals">
                <thead>
                  <tr>
                    <th scope="col">Tool</th>
                    <th scope="col">Renews</th>
                    <th scope="col">Cancel by</th>
                    <th scope="col">A month</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Recommendation</th>
                  </tr>
                </thead>
                <tbody>
                  {renewals.data.items.map((r) => (
                    <tr key={`${r.source}-${r.tool}-${r.renewalDate}`}>
                      <th scope="row">
                        {r.tool}
                        <div className="muted">
                          {r.source === 'audit' && r.auditId ? (
                            <Link to={`/audits/${r.auditId}`}>latest audit</Link>
                          ) : (
                            'connected spend'
                          )}
                        </div>
                      </th>
                      <td>
                        <time dateTime={r.renewalDate}>{r.renewalDate}</time>
                        <div className="muted">{inDays(r.daysLeft)}</div>
                      </td>
                      <td>{r.cancelBy ?? '—'}</td>
                      <td>{money(r.monthlyCost, r.currency)}</td>
                      <td>{r.owner ?? '—'}</td>
                      <td>
                        {r.recommendation
                          ? `${r.recommendation.title} (${money(r.recommendation.estimatedMonthlySavings, r.currency)} a month)`
                          : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {me.data?.user.role === 'admin' && <CalendarFeedBox />}
    </section>
  );
}
