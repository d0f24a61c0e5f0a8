import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

import type { Me } from '../App';
import { ErrorNotice, Loading } from '../App';
import { MonthlyBars } from '../components/LazyCharts';
import { api, ApiError, formText, money, postCsv, type Audit } from '../api';

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
        </>
      )}
      {summary.data && summary.data.missingRates.length > 0 && (
        <p className="field-error">
          Not in the totals (no exchange rate): {summary.data.missingRates.join(', ')}.{' '}
          {me.user.role === 'admin' ? 'Set the rates in Settings.' : 'An admin can set the rates in Settings.'}
        </p>
      )}
      {canImport && summary.data && summary.data.byTool.length > 0 && <AuditFromSpend />}
    </section>
  );
}

/** An audit of what was actually paid: the last months of spend, averaged per month. */
function AuditFromSpend() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { name: string; months: number }) =>
      api<{ audit: Audit }>('POST', '/api/audits/from-spend', body),
    onSuccess: async ({ audit }) => {
      await queryClient.invalidateQueries({ queryKey: ['audits'] });
      await navigate(`/audits/${audit.id}`);
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors : {};
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    create.mutate({ name: formText(data, 'name').trim(), months: Number(formText(data, 'months', '3')) });
  };
  return (
    <article>
      <form onSubmit={submit} aria-label="Audit this spend">
        <h2>Audit this spend</h2>
        <p className="muted">
          An audit of the tools you actually paid for, at their average monthly cost; add seats and renewals in the
          editor afterwards.
        </p>
        <div className="grid">
          <label>
            Audit name
            <input
              name="name"
              required
              defaultValue="Audit of actual spend"
              aria-invalid={errors.name ? true : undefined}
            />
            {errors.name && <small className="field-error">{errors.name}</small>}
          </label>
          <label>
            Period
            <select name="months" defaultValue="3" aria-invalid={errors.months ? true : undefined}>
              <option value="1">Last month</option>
              <option value="3">Last 3 months</option>
              <option value="6">Last 6 months</option>
              <option value="12">Last 12 months</option>
            </select>
            {errors.months && <small className="field-error">{create.error?.message}</small>}
          </label>
        </div>
        {create.error && !errors.name && !errors.months && <ErrorNotice error={create.error} />}
        <button type="submit" aria-busy={create.isPending} disabled={create.isPending}>
          Create the audit
        </button>
      </form>
    </article>
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
