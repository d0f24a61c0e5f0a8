import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';

import type { Me } from '../App';
import { ErrorNotice, Loading } from '../App';
import { api, ApiError, money, postCsv } from '../api';

interface ImportResult {
  layout: string;
  imported: number;
  skipped: number;
  duplicates: number;
  recognized: { toolName: string; vendor: string; amount: number; currency: string; date: string }[];
  unrecognized: { description: string; amount: number; date: string }[];
}
interface Summary {
  currency: string;
  byTool: { toolName: string; total: number; months: { month: string; amount: number }[] }[];
  byMonth: { month: string; total: number }[];
  missingRates: string[];
}

/** Real spend: card and bank statements in, spend by tool and by month out. */
export default function Spend({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<ImportResult | null>(null);
  const summary = useQuery({
    queryKey: ['spend-summary'],
    queryFn: () => api<Summary>('GET', '/api/tool-costs/summary'),
  });
  const upload = useMutation({
    mutationFn: (csv: string) => postCsv<ImportResult>('/api/tool-costs/import', csv),
    onSuccess: async (answer) => {
      setResult(answer);
      await queryClient.invalidateQueries({ queryKey: ['spend-summary'] });
    },
  });
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (file) upload.mutate(await file.text());
  };
  const canImport = me.user.role !== 'viewer';
  const max = Math.max(1, ...(summary.data?.byMonth.map((m) => m.total) ?? [1]));
  return (
    <section>
      <h1>Spend</h1>
      {canImport && (
        <article>
          <label>
            Bank or card statement (CSV)
            <input type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} disabled={upload.isPending} />
          </label>
          <small className="muted">
            Chase, American Express, Revolut, Wise, Schwab, or any export with date, description and amount columns.
            Software charges are kept; importing the same file again adds nothing.
          </small>
          {upload.isPending && <Loading what="Reading the statement" />}
          {upload.error && <RowErrors error={upload.error} />}
          {result && (
            <div role="status">
              <p>
                <strong>Imported {result.imported}</strong> software charge{result.imported === 1 ? '' : 's'} ·{' '}
                {result.duplicates} already imported · {result.skipped} other line{result.skipped === 1 ? '' : 's'}{' '}
                skipped
              </p>
              {result.recognized.length > 0 && (
                <ul>
                  {result.recognized.map((r, i) => (
                    <li key={i}>
                      {r.date} · {r.toolName} · {money(r.amount, r.currency)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </article>
      )}
      <h2>Spend by month</h2>
      {summary.isPending && <Loading />}
      {summary.isError && <ErrorNotice error={summary.error} />}
      {summary.data && summary.data.byMonth.length === 0 && (
        <p className="muted">No spend imported yet: upload a statement above.</p>
      )}
      {summary.data && summary.data.byMonth.length > 0 && (
        <table>
          <tbody>
            {summary.data.byMonth.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td style={{ width: '60%' }}>
                  <div className="bar" style={{ width: `${Math.max(2, Math.round((m.total / max) * 100))}%` }} />
                </td>
                <td>{money(m.total, summary.data.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
        </>
      )}
      {summary.data && summary.data.missingRates.length > 0 && (
        <p className="field-error">Not in the totals (no exchange rate): {summary.data.missingRates.join(', ')}</p>
      )}
    </section>
  );
}

/** A 400 with per-row problems, listed by row. */
export function RowErrors({ error }: { error: Error }) {
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div role="alert">
      <p className="field-error">{error.message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i} className="field-error">
              {d.row !== undefined ? `Row ${d.row}: ` : ''}
              {d.field.replace(/^body\.?/, '')} {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
