/** An audit's analysis, read-only: the audit page and the public view show it. */
import { useState } from 'react';

import type { Analysis, Audit, Recommendation } from '../api/types';
import { money, valueText } from '../format';
import { CategoryPie } from './LazyCharts';
import { ErrorNotice, Loading } from './Status';

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
export function AnalysisView({
  audit,
  analysis,
}: {
  /** An audit of the caller's, or a shared one (which tells no error). */
  audit: Pick<Audit, 'status' | 'error' | 'stackData'>;
  analysis: Analysis | null;
}) {
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
