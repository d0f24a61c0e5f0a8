import type { UseQueryResult } from '@tanstack/react-query';

import type { SpendSummary } from '../../api/types';
import { MonthlyBars, ToolHistory } from '../../components/LazyCharts';
import { ErrorNotice, Loading } from '../../components/Status';
import { money } from '../../format';

/** The tools charted: the eight with the most spend (the table lists them all). */
const CHARTED_TOOLS = 8;

/** Each tool's monthly spend: a line per tool (the largest), and every figure in a table. */
function PriceHistory({ summary }: { summary: SpendSummary }) {
  const months = summary.byMonth.map((m) => m.month);
  const tools = [...summary.byTool].sort((a, b) => b.total - a.total);
  return (
    <>
      <h2>Price history</h2>
      <ToolHistory months={months} tools={tools.slice(0, CHARTED_TOOLS)} currency={summary.currency} />
      <div className="table-scroll">
        <table aria-label="Price history">
          <thead>
            <tr>
              <th scope="col">Tool</th>
              {months.map((m) => (
                <th scope="col" key={m}>
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tools.map((t) => (
              <tr key={t.toolName}>
                <th scope="row">{t.toolName}</th>
                {months.map((m) => (
                  <td key={m}>{money(t.months.find((x) => x.month === m)?.amount ?? null, summary.currency)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Spend by month (a chart and its table) and by tool, and the currencies no rate converts. */
export function SpendTotals({ summary, isAdmin }: { summary: UseQueryResult<SpendSummary>; isAdmin: boolean }) {
  return (
    <>
      <h2>Spend by month</h2>
      {summary.isPending && <Loading />}
      {summary.isError && <ErrorNotice error={summary.error} />}
      {summary.data && summary.data.byMonth.length === 0 && (
        <p className="muted">No spend imported yet: upload a statement above.</p>
      )}
      {summary.data && summary.data.byMonth.length > 0 && (
        <div className="chart-with-table">
          <MonthlyBars data={summary.data.byMonth} currency={summary.data.currency} />
          <table>
            <tbody>
              {summary.data.byMonth.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  <td>{money(m.total, summary.data.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {summary.data && summary.data.byTool.length > 0 && (
        <>
          <h2>By tool</h2>
          <ul>
            {summary.data.byTool.map((t) => (
              <li key={t.toolName}>
                {t.toolName}: {money(t.total, summary.data.currency)}
              </li>
            ))}
          </ul>
          <PriceHistory summary={summary.data} />
        </>
      )}
      {summary.data && summary.data.missingRates.length > 0 && (
        <p className="field-error">
          Not in the totals (no exchange rate): {summary.data.missingRates.join(', ')}.{' '}
          {isAdmin ? 'Set the rates in Settings.' : 'An admin can set the rates in Settings.'}
        </p>
      )}
    </>
  );
}
