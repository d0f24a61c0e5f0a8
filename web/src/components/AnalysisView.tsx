/** An audit's analysis, read-only: the audit page and the public view show it. */
import { useState } from 'react';

import type { Acceptance, Analysis, AppUsage, Audit, Recommendation, StackData } from '../api/types';
import { RenewalTimeline } from './RenewalTimeline';
import { AcceptRecommendation, AcceptedEarlier, acceptanceOf } from './AcceptRecommendation';
import { identityProviderName, money, valueText } from '../format';
import { CategoryPie } from './LazyCharts';
import { ErrorNotice, Loading } from './Status';

/** An evidence field's name as words: `noticePeriodDays` → "notice period days". */
const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A value of the evidence: plain values as text, records as nested lists, lists item by item. */
function EvidenceValue({ value }: { value: unknown }) {
  if (isRecord(value)) return <Evidence evidence={value} />;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    if (items.every((item) => !isRecord(item) && !Array.isArray(item))) {
      return <>{items.length === 0 ? '—' : items.map((item) => valueText(item)).join(', ')}</>;
    }
    return (
      <ol>
        {items.map((item, i) => (
          <li key={i}>
            <EvidenceValue value={item} />
          </li>
        ))}
      </ol>
    );
  }
  return <>{valueText(value)}</>;
}

function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  return (
    <dl className="evidence">
      {Object.entries(evidence).map(([key, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{words(key)}</dt>
          <dd>
            <EvidenceValue value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The id of a recommendation's card (its index in the analysis's recommendations), for links to it. */
export const recommendationAnchor = (index: number) => `recommendation-${index + 1}`;

/** On the audit page: who may accept recommendations, and those accepted. */
export interface Decisions {
  auditId: string;
  canDecide: boolean;
  acceptances: readonly Acceptance[];
}

function RecommendationCard({
  rec,
  index,
  currency,
  decisions,
}: {
  rec: Recommendation;
  index: number;
  currency: string;
  decisions?: Decisions;
}) {
  const [open, setOpen] = useState(false);
  return (
    <article id={recommendationAnchor(index)}>
      <header>
        <strong>{rec.title}</strong> <span className="status">{rec.priority} priority</span>
      </header>
      <p>{rec.detail}</p>
      <p>
        {rec.estimatedMonthlySavings > 0 ? (
          <>
            Saves <strong>{money(rec.estimatedMonthlySavings, currency)}</strong> a month · confidence{' '}
          </>
        ) : (
          // A date to act by or a risk: no saving of its own to show as $0.00.
          'Confidence '
        )}
        {Math.round(rec.confidence * 100)}%
      </p>
      {decisions && (
        <AcceptRecommendation
          auditId={decisions.auditId}
          rec={rec}
          acceptance={acceptanceOf(rec, decisions.acceptances)}
          canDecide={decisions.canDecide}
          currency={currency}
        />
      )}{' '}
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

/**
 * The savings waterfall: each step in the order the engine applied it, on the bill the step
 * before left, down to what the stack would cost with every recommendation applied.
 */
function SavingsWaterfall({ analysis, currency }: { analysis: Analysis; currency: string }) {
  const steps = analysis.recommendations
    .filter((r) => typeof r.evidence.step === 'number')
    .sort((a, b) => (a.evidence.step as number) - (b.evidence.step as number));
  const after = analysis.costAnalysis.afterSavings;
  if (steps.length === 0 || !after) return null;
  return (
    <div className="table-scroll">
      <table aria-label="Savings, step by step">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Saves a month</th>
            <th scope="col">Monthly cost after</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Today</th>
            <td />
            <td>{money(analysis.summary.totalMonthlyCost, currency)}</td>
          </tr>
          {steps.map((r) => (
            <tr key={r.evidence.step as number}>
              <th scope="row">
                {r.evidence.step as number}. {r.title}
                <div className="muted">{valueText(r.evidence.savings)}</div>
              </th>
              <td>{money(r.estimatedMonthlySavings, currency)}</td>
              <td>{money(r.evidence.monthlyCostAfter as number, currency)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">With every step</th>
            <td>
              <strong>{money(analysis.summary.potentialMonthlySavings, currency)}</strong>
            </td>
            <td>
              <strong>{money(after.monthlyCost, currency)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

const monthlyOf = (t: StackData['tools'][number]) =>
  t.monthlyCost ?? (t.annualCost === undefined ? null : Math.round((t.annualCost / 12) * 100) / 100);

/** Active seats as an identity provider measured them (the figure the analysis used). */
function MeasuredUsage({ usage }: { usage: NonNullable<Analysis['costAnalysis']['usage']>[number] }) {
  return (
    <span data-testid={`measured-${usage.tool}`}>
      {usage.activeSeats}
      <div className="muted">
        active: {usage.active30} in 30 days, {usage.active90} in 90
        {usage.assigned !== null && ` · ${usage.assigned} assigned`}
        {usage.listedActiveSeats !== null && ` · typed ${usage.listedActiveSeats}`} ·{' '}
        {identityProviderName(usage.provider)}, {new Date(usage.syncedAt).toLocaleDateString()}
      </div>
    </span>
  );
}

/** The stack's tools as listed, with what the recommendations would leave of each. */
/** What an identity provider saw of a tool the analysis did not take it from (grants only, nobody active, old). */
function SeenUsage({ seen }: { seen: AppUsage[] }) {
  return (
    <div className="muted">
      {seen.map((u) => (
        <div key={`${u.provider}-${u.appName}`}>
          {identityProviderName(u.provider)}: {u.assigned ?? '—'} assigned, {u.active30} / {u.active90} active in 30 /
          90 days (synced {new Date(u.syncedAt).toLocaleDateString()})
        </div>
      ))}
    </div>
  );
}

function ToolInventory({
  tools,
  analysis,
  currency,
  appUsage,
}: {
  tools: StackData['tools'];
  analysis: Analysis | null;
  currency: string;
  appUsage?: readonly AppUsage[];
}) {
  if (tools.length === 0) return <p className="muted">No tools listed.</p>;
  const after = analysis?.costAnalysis.afterSavings?.tools;
  // The next renewal as the analysis keeps it (a passed date rolled forward, refreshed hourly),
  // where it read this tool with this date: the server's renewalShown (domain/analysis/result.ts).
  const next = analysis?.costAnalysis.nextRenewals;
  // Measured by an identity provider: what the analysis used instead of the typed active seats.
  const measured = new Map((analysis?.costAnalysis.usage ?? []).map((u) => [u.tool, u]));
  // What the providers report of each tool, by its catalog name or the app's own.
  const seenOf = (name: string) =>
    (appUsage ?? []).filter((u) => [u.toolName, u.appName].some((n) => n?.toLowerCase() === name.toLowerCase()));
  return (
    <div className="table-scroll">
      <table aria-label="Tools">
        <thead>
          <tr>
            <th scope="col">Tool</th>
            <th scope="col">Monthly cost</th>
            <th scope="col">Seats</th>
            <th scope="col">Active seats</th>
            <th scope="col">Renews</th>
            {after && <th scope="col">After the recommendations</th>}
          </tr>
        </thead>
        <tbody>
          {tools.map((t, i) => {
            // The analysis may be of an earlier version of the stack (re-analysis under way).
            const left = after?.[i]?.name === t.name ? after[i] : undefined;
            const listed = t.contractEndDate ?? t.renewalDate ?? null;
            const kept = next?.[i];
            const renews = kept && kept.name === t.name && kept.listed === listed ? kept.date : listed;
            return (
              <tr key={`${t.name}-${i}`}>
                <th scope="row">{t.name}</th>
                <td>{money(monthlyOf(t), t.currency ?? currency)}</td>
                <td>{valueText(t.seats)}</td>
                <td>
                  {measured.has(t.name) ? (
                    <MeasuredUsage usage={measured.get(t.name)!} />
                  ) : (
                    <>
                      {valueText(t.activeSeats)}
                      {seenOf(t.name).length > 0 && <SeenUsage seen={seenOf(t.name)} />}
                    </>
                  )}
                </td>
                <td>{valueText(renews)}</td>
                {after && (
                  <td>
                    {!left
                      ? '—'
                      : left.retiredBy
                        ? left.retiredBy === 'cancel'
                          ? 'cancelled'
                          : 'retired (consolidated)'
                        : `${money(left.monthlyCost, currency)}${left.seats === null ? '' : ` · ${left.seats} seats`}`}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The analysis's summary sentence, its sums written as the rest of the page writes them (the
 * stored headline has them as plain numbers: "2112.65 USD").
 */
function Headline({ summary, currency }: { summary: Analysis['summary']; currency: string }) {
  const { toolCount, totalMonthlyCost, potentialMonthlySavings } = summary;
  if (toolCount === 0) return <>{summary.headline}</>;
  const tools = `${toolCount} tool${toolCount === 1 ? '' : 's'} cost ${money(totalMonthlyCost, currency)} a month`;
  if (potentialMonthlySavings <= 0) return <>{tools}; no savings found.</>;
  const share = totalMonthlyCost > 0 ? Math.round((potentialMonthlySavings / totalMonthlyCost) * 100) : 0;
  return (
    <>
      {tools}; {money(potentialMonthlySavings, currency)} ({share}%) could be saved.
    </>
  );
}

/** The analysis of an audit, read-only: shared by the audit page and the public view. */
export function AnalysisView({
  audit,
  analysis,
  decisions,
  appUsage,
  today,
}: {
  /** An audit of the caller's, or a shared one (which tells no error). */
  audit: Pick<Audit, 'status' | 'error' | 'stackData'>;
  analysis: Analysis | null;
  /** The audit page's: recommendations can be accepted and their savings followed (not on a public link). */
  decisions?: Decisions;
  /** What the identity providers report (the audit page; not on a public link). */
  appUsage?: readonly AppUsage[];
  /** Today in the organization's time zone ('YYYY-MM-DD'): what renewal dates count from. */
  today: string;
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
          <p>
            <Headline summary={analysis.summary} currency={currency} />
          </p>
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
            {analysis.costAnalysis.perEmployee !== null && (
              <article>
                <div className="muted">Per employee a month</div>
                <div className="value">{money(analysis.costAnalysis.perEmployee, currency)}</div>
              </article>
            )}
            <article>
              <div className="muted">Health score</div>
              <div className="value">{analysis.summary.healthScore}</div>
            </article>
            <article>
              <div className="muted">Risk</div>
              <div className="value">{analysis.riskAssessment.level}</div>
            </article>
          </div>
          {analysis.costAnalysis.listPrices?.rate === null && (
            <p className="muted" role="note">
              The catalog&apos;s list prices are in {analysis.costAnalysis.listPrices.currency} and there is no{' '}
              {analysis.costAnalysis.listPrices.currency} rate for {currency} in the exchange rates: the checks that
              compare with list prices (plan tiers, renegotiation) did not run.
            </p>
          )}
          {(analysis.costAnalysis.missingRates ?? []).length > 0 && (
            <p className="muted" role="note">
              Left out of the totals, no exchange rate: {analysis.costAnalysis.missingRates.join(', ')}.
            </p>
          )}
          <h2>Recommendations</h2>
          {analysis.recommendations.length === 0 ? (
            <p className="muted">Nothing to change: no savings found in this stack.</p>
          ) : (
            analysis.recommendations.map((rec, i) => (
              <RecommendationCard
                key={`${rec.type}-${i}`}
                rec={rec}
                index={i}
                currency={currency}
                decisions={decisions}
              />
            ))
          )}
          {decisions && (
            <AcceptedEarlier
              recommendations={analysis.recommendations}
              auditId={decisions.auditId}
              acceptances={decisions.acceptances}
              canDecide={decisions.canDecide}
            />
          )}
          <h2>Savings, step by step</h2>
          <p className="muted">
            Each recommendation is counted on what the ones before it leave, so none is counted twice.
          </p>
          <SavingsWaterfall analysis={analysis} currency={currency} />
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
          {analysis.costAnalysis.byTool.length > 0 && (
            <>
              <h2>Cost by tool</h2>
              <div className="table-scroll">
                <table aria-label="Cost by tool">
                  <tbody>
                    {analysis.costAnalysis.byTool.map((t) => (
                      <tr key={t.name}>
                        <th scope="row">{t.name}</th>
                        <td className="muted">{t.category.replace(/_/g, ' ')}</td>
                        <td>{money(t.monthlyCost, currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <h2>Renewals in the next 90 days</h2>
          <RenewalTimeline
            renewals={analysis.costAnalysis.renewalsNext90Days ?? []}
            currency={currency}
            today={today}
          />
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
      {audit.stackData && (
        <>
          <h2>Tools</h2>
          <ToolInventory tools={audit.stackData.tools} analysis={analysis} currency={currency} appUsage={appUsage} />
        </>
      )}
    </>
  );
}
