import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { useMe } from '../api/session';
import { ErrorNotice, Loading } from '../components/Status';
import { ActivityFeed, Comments, ShareDialog } from '../components/Collaboration';
import { CategoryPie } from '../components/LazyCharts';
import { ConfirmDialog } from '../components/Modal';
import { api } from '../api/client';
import type { Analysis, Audit, AuditDiff, AuditView, Items, Recommendation } from '../api/types';
import { money, valueText } from '../format';

function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  return (
    <dl className="evidence">
      {Object.entries(evidence).map(([key, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{key}</dt>
          <dd>{valueText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function RecommendationCard({ rec, currency }: { rec: Recommendation; currency: string }) {
  const [open, setOpen] = useState(false);
  return (
    <article>
      <header>
        <strong>{rec.title}</strong> <span className="status">{rec.priority} priority</span>
      </header>
      <p>{rec.detail}</p>
      <p>
        Saves <strong>{money(rec.estimatedMonthlySavings, currency)}</strong> a month · confidence{' '}
        {Math.round(rec.confidence * 100)}%
      </p>
      <button type="button" className="outline secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide the evidence' : 'Show the evidence'}
      </button>
      {open && (
        <section aria-label={`Evidence: ${rec.title}`}>
          <Evidence evidence={rec.evidence} />
        </section>
      )}
    </article>
  );
}

const DAY = 86_400_000;
const daysFromToday = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - Date.now()) / DAY);
const inDays = (n: number) => (n === 0 ? 'today' : n > 0 ? `in ${n} day${n === 1 ? '' : 's'}` : `${-n} days ago`);

/** Renewals in date order, each with the last day to cancel (from the notice period). */
function RenewalTimeline({
  renewals,
  currency,
}: {
  renewals: Analysis['costAnalysis']['renewalsNext90Days'];
  currency: string;
}) {
  if (renewals.length === 0) return <p className="muted">No renewal in the next 90 days.</p>;
  const sorted = [...renewals].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <ol className="timeline" aria-label="Renewal timeline">
      {sorted.map((r) => {
        const cancelIn = r.cancelBy ? daysFromToday(r.cancelBy) : null;
        return (
          <li key={`${r.name}-${r.date}`}>
            <time dateTime={r.date}>{r.date}</time> <strong>{r.name}</strong> renews {inDays(daysFromToday(r.date))} ·{' '}
            {money(r.monthlyCost, currency)} a month
            {r.cancelBy && (
              <div className={cancelIn !== null && cancelIn < 14 ? 'field-error' : 'muted'}>
                Cancel by <time dateTime={r.cancelBy}>{r.cancelBy}</time> ({inDays(cancelIn!)})
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The analysis of an audit, read-only: shared by the audit page and the public view. */
export function AnalysisView({ audit, analysis }: { audit: Audit; analysis: Analysis | null }) {
  const currency = analysis?.costAnalysis.currency ?? audit.stackData?.currency ?? 'USD';
  return (
    <>
      <p>
        <span className="status" role="status">
          {audit.status === 'completed'
            ? 'Analysis complete'
            : audit.status === 'failed'
              ? 'Analysis failed'
              : 'Analyzing…'}
        </span>
      </p>
      {audit.status === 'failed' && <ErrorNotice error={new Error(audit.error ?? 'The analysis failed.')} />}
      {(audit.status === 'pending' || audit.status === 'analyzing') && <Loading what="Analyzing your stack" />}
      {analysis && (
        <>
          <p>{analysis.summary.headline}</p>
          <div className="cards">
            <article>
              <div className="muted">Monthly cost</div>
              <div className="value">{money(analysis.summary.totalMonthlyCost, currency)}</div>
            </article>
            <article>
              <div className="muted">Annual cost</div>
              <div className="value">{money(analysis.summary.totalAnnualCost, currency)}</div>
            </article>
            <article>
              <div className="muted">Potential savings</div>
              <div className="value" data-testid="potential-savings">
                {money(analysis.summary.potentialMonthlySavings, currency)}
              </div>
            </article>
            <article>
              <div className="muted">Health score</div>
              <div className="value">{analysis.summary.healthScore}</div>
            </article>
            <article>
              <div className="muted">Risk</div>
              <div className="value">{analysis.riskAssessment.level}</div>
            </article>
          </div>
          <h2>Recommendations</h2>
          {analysis.recommendations.length === 0 ? (
            <p className="muted">Nothing to change: no savings found in this stack.</p>
          ) : (
            analysis.recommendations.map((rec, i) => (
              <RecommendationCard key={`${rec.type}-${i}`} rec={rec} currency={currency} />
            ))
          )}
          <h2>Spend by category</h2>
          {analysis.costAnalysis.byCategory.length === 0 ? (
            <p className="muted">No costs listed.</p>
          ) : (
            <div className="chart-with-table">
              <CategoryPie data={analysis.costAnalysis.byCategory} currency={currency} />
              <table>
                <tbody>
                  {analysis.costAnalysis.byCategory.map((c) => (
                    <tr key={c.category}>
                      <th scope="row">{c.category.replace(/_/g, ' ')}</th>
                      <td>{money(c.monthlyCost, currency)}</td>
                      <td className="muted">{Math.round(c.share * 100)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>Renewals in the next 90 days</h2>
          <RenewalTimeline renewals={analysis.costAnalysis.renewalsNext90Days ?? []} currency={currency} />
          {analysis.riskAssessment.factors.length > 0 && (
            <>
              <h2>Risks</h2>
              <ul>
                {analysis.riskAssessment.factors.map((f) => (
                  <li key={f.type}>
                    <strong>{f.severity}</strong>: {f.detail}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </>
  );
}

export default function AuditDetail() {
  const { id } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [sharing, setSharing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const detail = useQuery({
    queryKey: ['audit', id],
    queryFn: () => api<AuditView>('GET', `/api/audits/${id}`),
    // Live status while the analysis runs.
    refetchInterval: (query) => {
      const status = query.state.data?.audit.status;
      return status === 'pending' || status === 'analyzing' ? 1000 : false;
    },
  });
  const reanalyse = useMutation({
    mutationFn: () => api('POST', `/api/audits/${id}/analyze`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['audit', id] }),
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/audits/${id}`),
    onSuccess: async () => {
      // Out of the cached lists first (the dashboard reads the newest audit's analysis), then
      // off the page. The audit's own cached answer is left to expire: removing it while the
      // page may still be mounted would fetch it again (a 404).
      queryClient.setQueriesData<Items<Audit>>({ queryKey: ['audits'] }, (old) =>
        old ? { ...old, items: old.items.filter((a) => a.id !== id) } : old,
      );
      await navigate('/dashboard');
      await queryClient.invalidateQueries({ queryKey: ['audits'] });
    },
  });
  if (detail.isPending) return <Loading what="Loading the audit" />;
  if (detail.isError) return <ErrorNotice error={detail.error} />;
  const { audit, analysis, access } = detail.data;
  const canEdit = access === 'edit' || access === 'manage';
  const running = audit.status === 'pending' || audit.status === 'analyzing';
  return (
    <section>
      <h1>{audit.name}</h1>
      <div className="actions">
        {canEdit && (
          <Link role="button" className="secondary" to={`/audits/${audit.id}/edit`}>
            Edit
          </Link>
        )}
        {canEdit && (
          <button
            type="button"
            className="secondary outline"
            disabled={running || reanalyse.isPending}
            onClick={() => reanalyse.mutate()}
          >
            Re-analyse
          </button>
        )}
        {access === 'manage' && (
          <button type="button" className="secondary" onClick={() => setSharing(true)}>
            Share
          </button>
        )}
        {access === 'manage' && (
          <button type="button" className="secondary outline" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
      </div>
      {reanalyse.error && <ErrorNotice error={reanalyse.error} />}
      {sharing && <ShareDialog auditId={audit.id} onClose={() => setSharing(false)} />}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${audit.name}?`}
          keepLabel="Keep it"
          confirmLabel="Delete the audit"
          busy={remove.isPending}
          error={remove.error}
          onKeep={() => setConfirmDelete(false)}
          onConfirm={() => remove.mutate()}
        >
          Its analyses, comments and shares go with it. This cannot be undone.
        </ConfirmDialog>
      )}
      <AnalysisView audit={audit} analysis={analysis} />
      <Comparison audit={audit} />
      <Comments auditId={audit.id} access={access} myId={me.data?.user.id ?? ''} />
      <ActivityFeed auditId={audit.id} />
    </section>
  );
}

/**
 * What changed against another audit the caller can see: by default the one made just before
 * this one (the list is newest first), or any other picked from the list.
 */
function Comparison({ audit }: { audit: Audit }) {
  const others = useQuery({
    queryKey: ['audits', 'for-comparison'],
    queryFn: () => api<Items<Audit>>('GET', '/api/audits?limit=100'),
  });
  const [picked, setPicked] = useState<string | null>(null);
  const candidates = (others.data?.items ?? []).filter((a) => a.id !== audit.id);
  const index = others.data?.items.findIndex((a) => a.id === audit.id) ?? -1;
  const previous = index >= 0 ? others.data?.items.slice(index + 1).find((a) => a.id !== audit.id) : candidates[0];
  const against = picked ?? previous?.id ?? candidates[0]?.id ?? null;
  const diff = useQuery({
    queryKey: ['diff', audit.id, against],
    queryFn: () => api<AuditDiff>('GET', `/api/audits/${audit.id}/diff?against=${against}`),
    enabled: against !== null,
  });
  if (others.isPending || candidates.length === 0) return null;
  const currency = audit.stackData?.currency ?? 'USD';
  const change = diff.data?.totalMonthlyCostChange ?? 0;
  return (
    <section aria-labelledby="diff-heading">
      <h2 id="diff-heading">Changes since another audit</h2>
      <label>
        Compare with
        <select value={against ?? ''} onChange={(e) => setPicked(e.target.value)}>
          {candidates.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.createdAt?.slice(0, 10) ?? 'undated'})
            </option>
          ))}
        </select>
      </label>
      {diff.isPending && <Loading what="Comparing" />}
      {diff.isError && <ErrorNotice error={diff.error} />}
      {diff.data && (
        <div data-testid="diff">
          <p>
            Monthly cost{' '}
            <strong>
              {change === 0 ? 'unchanged' : `${change > 0 ? 'up' : 'down'} ${money(Math.abs(change), currency)}`}
            </strong>{' '}
            since {diff.data.from.name}.
          </p>
          {diff.data.toolsAdded.length > 0 && <p>Added: {diff.data.toolsAdded.join(', ')}</p>}
          {diff.data.toolsRemoved.length > 0 && <p>Removed: {diff.data.toolsRemoved.join(', ')}</p>}
          {diff.data.changed.length > 0 && (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Tool</th>
                    <th scope="col">Field</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.data.changed.map((c) => (
                    <tr key={`${c.name}-${c.field}`}>
                      <td>{c.name}</td>
                      <td>{c.field}</td>
                      <td>{valueText(c.before)}</td>
                      <td>{valueText(c.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {diff.data.toolsAdded.length + diff.data.toolsRemoved.length + diff.data.changed.length === 0 && (
            <p className="muted">The same tools, seats and costs.</p>
          )}
        </div>
      )}
    </section>
  );
}
