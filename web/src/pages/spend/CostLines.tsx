import { useState, type FormEvent } from 'react';

import { useCostLines, useDeleteCost, useUpdateCost } from '../../api/spend';
import type { ToolCost } from '../../api/types';
import { LoadMore } from '../../components/Paging';
import { ErrorNotice, Loading } from '../../components/Status';
import { formText, money } from '../../format';
import { AddCost } from './AddCost';

const SOURCES = [
  ['', 'All sources'],
  ['csv', 'Statements'],
  ['manual', 'Added by hand'],
  ['quickbooks', 'QuickBooks'],
  ['xero', 'Xero'],
  ['stripe', 'Stripe'],
] as const;

/** Correct a line's tool or amount in place, or delete it (admins and members). */
function LineActions({ line }: { line: ToolCost }) {
  const update = useUpdateCost();
  const remove = useDeleteCost();
  const [editing, setEditing] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    update.mutate(
      { id: line.id, toolName: formText(data, 'toolName').trim(), amount: Number(formText(data, 'amount')) },
      { onSuccess: () => setEditing(false) },
    );
  };
  const error = update.error ?? remove.error;
  if (editing) {
    return (
      <form onSubmit={submit} aria-label={`Correct ${line.toolName}`}>
        <input name="toolName" aria-label="Tool" defaultValue={line.toolName} required maxLength={255} />
        <input name="amount" aria-label="Amount" type="number" step="0.01" defaultValue={line.amount} required />
        <button type="submit" aria-busy={update.isPending}>
          Save
        </button>
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          Cancel
        </button>
        {error && <ErrorNotice error={error} />}
      </form>
    );
  }
  return (
    <>
      <button
        type="button"
        className="outline"
        aria-label={`Correct ${line.toolName}`}
        onClick={() => setEditing(true)}
      >
        Correct
      </button>{' '}
      <button
        type="button"
        className="outline secondary"
        aria-label={`Delete ${line.toolName}`}
        aria-busy={remove.isPending}
        onClick={() => {
          if (window.confirm(`Delete this ${line.toolName} line of ${money(line.amount, line.currency)}?`)) {
            remove.mutate(line.id);
          }
        }}
      >
        Delete
      </button>
      {error && <ErrorNotice error={error} />}
    </>
  );
}

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
                {canAdd && <th scope="col">Change</th>}
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
                  {canAdd && (
                    <td>
                      <LineActions line={line} />
                    </td>
                  )}
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
