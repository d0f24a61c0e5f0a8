import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import Papa from 'papaparse';
import { useNavigate } from 'react-router';

import type { Me } from '../api/session';
import { ErrorNotice, Loading } from '../components/Status';
import { Field } from '../components/Field';
import { RowErrors } from '../components/RowErrors';
import { MonthlyBars } from '../components/LazyCharts';
import { LoadMore, useCursorPages } from '../components/Paging';
import { api, ApiError, postCsv } from '../api/client';
import type { Audit, ColumnMapping, CursorPage, SpendSummary, StatementImport, ToolCost } from '../api/types';
import { formText, money } from '../format';

/** Real spend: card and bank statements in, spend by tool and by month out. */
export default function Spend({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<StatementImport | null>(null);
  const summary = useQuery({
    queryKey: ['spend-summary'],
    queryFn: () => api<SpendSummary>('GET', '/api/tool-costs/summary'),
  });
  // The file's text is kept: an unrecognised layout is imported again with a column mapping.
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const upload = useMutation({
    mutationFn: ({ csv, mapping }: { csv: string; mapping?: ColumnMapping }) =>
      postCsv<StatementImport>(
        `/api/tool-costs/import${mapping ? `?mapping=${encodeURIComponent(JSON.stringify(mapping))}` : ''}`,
        csv,
      ),
    onSuccess: async (answer) => {
      setResult(answer);
      await queryClient.invalidateQueries({ queryKey: ['spend-summary'] });
      await queryClient.invalidateQueries({ queryKey: ['tool-costs'] });
    },
  });
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.currentTarget.files?.[0];
    if (!picked) return;
    setResult(null);
    const read = { name: picked.name, csv: await picked.text() };
    setFile(read);
    upload.mutate({ csv: read.csv });
  };
  const unknownLayout =
    upload.error instanceof ApiError && upload.error.details.some((d) => d.field === 'header' || d.field === 'mapping');
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
          {file && unknownLayout && (
            <ColumnMappingForm
              csv={file.csv}
              busy={upload.isPending}
              onSubmit={(mapping) => upload.mutate({ csv: file.csv, mapping })}
            />
          )}
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
      <CostLines canAdd={canImport} baseCurrency={summary.data?.currency ?? me.organization.settings.baseCurrency} />
    </section>
  );
}

/** Which column is which, picked from the file's own header row. */
function ColumnMappingForm({
  csv,
  busy,
  onSubmit,
}: {
  csv: string;
  busy: boolean;
  onSubmit: (mapping: ColumnMapping) => void;
}) {
  const columns = (Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { preview: 1 }).data[0] ?? []).filter(
    (c) => c.trim() !== '',
  );
  const [twoColumns, setTwoColumns] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const mapping: ColumnMapping = { date: formText(data, 'date'), description: formText(data, 'description') };
    if (twoColumns) {
      mapping.debit = formText(data, 'debit');
      mapping.credit = formText(data, 'credit');
    } else {
      mapping.amount = formText(data, 'amount');
      mapping.spend = formText(data, 'spend') === 'positive' ? 'positive' : 'negative';
    }
    const order = formText(data, 'dateOrder');
    if (order === 'YMD' || order === 'MDY' || order === 'DMY') mapping.dateOrder = order;
    onSubmit(mapping);
  };
  const picker = (name: string, label: string) => (
    <label>
      {label}
      <select name={name} required defaultValue="">
        <option value="" disabled>
          Choose a column…
        </option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form onSubmit={submit} aria-label="Which column is which">
      <h3>Which column is which?</h3>
      <p className="muted">This layout is new to us: name its columns and import it again.</p>
      <div className="grid">
        {picker('date', 'Date column')}
        {picker('description', 'Description column')}
      </div>
      <label>
        <input type="checkbox" role="switch" checked={twoColumns} onChange={(e) => setTwoColumns(e.target.checked)} />
        Money out and money in are separate columns
      </label>
      {twoColumns ? (
        <div className="grid">
          {picker('debit', 'Money out column')}
          {picker('credit', 'Money in column')}
        </div>
      ) : (
        <div className="grid">
          {picker('amount', 'Amount column')}
          <label>
            Charges are
            <select name="spend" defaultValue="negative">
              <option value="negative">Negative (as banks write them)</option>
              <option value="positive">Positive (as many card issuers write them)</option>
            </select>
          </label>
        </div>
      )}
      <label>
        Dates are written
        <select name="dateOrder" defaultValue="">
          <option value="">Work it out</option>
          <option value="YMD">Year first (2026-03-31)</option>
          <option value="MDY">Month first (03/31/2026)</option>
          <option value="DMY">Day first (31/03/2026)</option>
        </select>
      </label>
      <button type="submit" aria-busy={busy} disabled={busy}>
        Import with these columns
      </button>
    </form>
  );
}

const SOURCES = [
  ['', 'All sources'],
  ['csv', 'Statements'],
  ['manual', 'Added by hand'],
  ['quickbooks', 'QuickBooks'],
  ['xero', 'Xero'],
  ['stripe', 'Stripe'],
] as const;

/** Every cost line, newest first, a page at a time, by source; and a line added by hand. */
function CostLines({ canAdd, baseCurrency }: { canAdd: boolean; baseCurrency: string }) {
  const queryClient = useQueryClient();
  const [source, setSource] = useState('');
  const lines = useCursorPages<CursorPage<ToolCost>>(
    ['tool-costs', source],
    '/api/tool-costs',
    source ? { limit: '25', source } : { limit: '25' },
  );
  const add = useMutation({
    mutationFn: (body: unknown) => api('POST', '/api/tool-costs', body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tool-costs'] });
      await queryClient.invalidateQueries({ queryKey: ['spend-summary'] });
    },
  });
  const errors = add.error instanceof ApiError ? add.error.fieldErrors : {};
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body: Record<string, unknown> = {
      toolName: formText(data, 'toolName').trim(),
      amount: Number(formText(data, 'amount')),
      currency: formText(data, 'currency').trim().toUpperCase() || baseCurrency,
    };
    if (formText(data, 'vendor').trim()) body.vendor = formText(data, 'vendor').trim();
    if (formText(data, 'date')) body.billingPeriodStart = formText(data, 'date');
    add.mutate(body, { onSuccess: () => form.reset() });
  };
  const items = lines.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="lines-heading">
      <h2 id="lines-heading">Cost lines</h2>
      {canAdd && (
        <details>
          <summary>Add a cost by hand</summary>
          <form onSubmit={submit} aria-label="Add a cost">
            <div className="grid">
              <Field label="Tool" error={errors.toolName}>
                <input name="toolName" required />
              </Field>
              <Field label="Vendor" error={errors.vendor}>
                <input name="vendor" />
              </Field>
            </div>
            <div className="grid">
              <Field label="Amount" error={errors.amount}>
                <input name="amount" type="number" step="0.01" required />
              </Field>
              <Field label="Currency" error={errors.currency}>
                <input name="currency" maxLength={3} placeholder={baseCurrency} />
              </Field>
              <Field label="Date" error={errors.billingPeriodStart}>
                <input name="date" type="date" />
              </Field>
            </div>
            {add.error && Object.keys(errors).length === 0 && <ErrorNotice error={add.error} />}
            <button type="submit" aria-busy={add.isPending} disabled={add.isPending}>
              Add the cost
            </button>
          </form>
        </details>
      )}
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
          <Field label="Audit name" error={errors.name}>
            <input name="name" required defaultValue="Audit of actual spend" />
          </Field>
          <Field label="Period" error={errors.months ? create.error?.message : undefined}>
            <select name="months" defaultValue="3">
              <option value="1">Last month</option>
              <option value="3">Last 3 months</option>
              <option value="6">Last 6 months</option>
              <option value="12">Last 12 months</option>
            </select>
          </Field>
        </div>
        {create.error && !errors.name && !errors.months && <ErrorNotice error={create.error} />}
        <button type="submit" aria-busy={create.isPending} disabled={create.isPending}>
          Create the audit
        </button>
      </form>
    </article>
  );
}
