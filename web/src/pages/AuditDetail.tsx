import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';

import { ErrorNotice, Loading, useMe } from '../App';
import { ActivityFeed, Comments, ShareDialog, type Access } from '../components/Collaboration';
import { api, money, type Analysis, type Audit, type Recommendation } from '../api';

function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const show = (value: unknown): string => {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  };
  return (
    <dl className="evidence">
      {Object.entries(evidence).map(([key, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{key}</dt>
          <dd>{show(value)}</dd>
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
            <table>
              <tbody>
                {analysis.costAnalysis.byCategory.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">{c.category.replace(/_/g, ' ')}</th>
                    <td style={{ width: '50%' }}>
                      <div className="bar" style={{ width: `${Math.max(2, Math.round(c.share * 100))}%` }} />
                    </td>
                    <td>{money(c.monthlyCost, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {analysis.costAnalysis.renewalsNext90Days.length > 0 && (
            <>
              <h2>Renewals in the next 90 days</h2>
              <ul>
                {analysis.costAnalysis.renewalsNext90Days.map((r) => (
                  <li key={`${r.name}-${r.date}`}>
                    {r.date}: {r.name}
                    {r.cancelBy ? ` — cancel by ${r.cancelBy}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
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
  const [sharing, setSharing] = useState(false);
  const detail = useQuery({
    queryKey: ['audit', id],
    queryFn: () => api<{ audit: Audit; analysis: Analysis | null; access: Access }>('GET', `/api/audits/${id}`),
    // Live status while the analysis runs.
    refetchInterval: (query) => {
      const status = query.state.data?.audit.status;
      return status === 'pending' || status === 'analyzing' ? 1000 : false;
    },
  });
  if (detail.isPending) return <Loading what="Loading the audit" />;
  if (detail.isError) return <ErrorNotice error={detail.error} />;
  const { audit, analysis, access } = detail.data;
  return (
    <section>
      <h1>{audit.name}</h1>
      {access === 'manage' && (
        <button type="button" className="secondary" onClick={() => setSharing(true)}>
          Share
        </button>
      )}
      {sharing && <ShareDialog auditId={audit.id} onClose={() => setSharing(false)} />}
      <AnalysisView audit={audit} analysis={analysis} />
      <Comments auditId={audit.id} access={access} myId={me.data?.user.id ?? ''} />
      <ActivityFeed auditId={audit.id} />
    </section>
  );
}
