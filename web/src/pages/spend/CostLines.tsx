import { useState } from 'react';

import { useCostLines } from '../../api/spend';
import { LoadMore } from '../../components/Paging';
import { ErrorNotice, Loading } from '../../components/Status';
import { money } from '../../format';
import { AddCost } from './AddCost';

const SOURCES = [
  ['', 'All sources'],
  ['csv', 'Statements'],
  ['manual', 'Added by hand'],
  ['quickbooks', 'QuickBooks'],
  ['xero', 'Xero'],
  ['stripe', 'Stripe'],
] as const;

/** Every cost line, newest first, a page at a time, by source; and a line added by hand. */
export function CostLines({ canAdd, baseCurrency }: { canAdd: boolean; baseCurrency: string }) {
  const [source, setSource] = useState('');
  const lines = useCostLines(source);
  const items = lines.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="lines-heading">
      <h2 id="lines-heading">Cost lines</h2>
      {canAdd && <AddCost baseCurrency={baseCurrency} />}
      <label>
        Source
        <select value={source} onChange={(e) => setSource(e.target.value)}>
          {SOURCES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {lines.isPending && <Loading what="Loading the cost lines" />}
      {lines.isError && <ErrorNotice error={lines.error} />}
      {lines.data && items.length === 0 && <p className="muted">No cost lines{source ? ' from this source' : ''}.</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table aria-label="Cost lines">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Tool</th>
                <th scope="col">Amount</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {items.map((line) => (
                <tr key={line.id}>
                  <td>{line.billingPeriodStart ?? line.createdAt?.slice(0, 10) ?? '—'}</td>
                  <td>
                    {line.toolName}
                    {line.vendor && line.vendor !== line.toolName && <small className="muted"> · {line.vendor}</small>}
                  </td>
                  <td>{money(line.amount, line.currency)}</td>
                  <td>{SOURCES.find(([value]) => value === line.source)?.[1] ?? line.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={lines} label="Older cost lines" />
    </section>
  );
}
