import Papa from 'papaparse';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { useAudit, useCatalog, useImportAuditCsv, useSaveAudit } from '../api/audits';
import { ApiError } from '../api/client';
import { useMe } from '../api/session';
import type { Audit, StackData, Tool } from '../api/types';
import { Field } from '../components/Field';
import { RowErrors } from '../components/RowErrors';
import { ErrorNotice, Loading } from '../components/Status';
import { notCsvText, todayIn, valueText } from '../format';

interface Row {
  key: number;
  /** The tool as loaded (edit): fields the editor does not show are kept as they were. */
  original: Tool | null;
  name: string;
  vendor: string;
  category: string;
  monthlyCost: string;
  seats: string;
  activeSeats: string;
  billingCycle: '' | 'monthly' | 'annual';
  /** The contract's end, or where the tool lists only a renewal date, that (see dateField). */
  contractEndDate: string;
  /** Which of the tool's dates the "Contract end" field shows and saves to. */
  dateField: 'contractEndDate' | 'renewalDate';
  noticePeriodDays: string;
  owner: string;
}

let nextKey = 1;
const emptyRow = (): Row => ({
  key: nextKey++,
  original: null,
  name: '',
  vendor: '',
  category: '',
  monthlyCost: '',
  seats: '',
  activeSeats: '',
  billingCycle: '',
  contractEndDate: '',
  dateField: 'contractEndDate',
  noticePeriodDays: '',
  owner: '',
});

const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));
const text = (value: unknown) => valueText(value, '');

/** The fields this editor shows; a cleared one is removed from the tool. */
const EDITED = [
  'name',
  'vendor',
  'category',
  'monthlyCost',
  'seats',
  'activeSeats',
  'billingCycle',
  'contractEndDate',
  'noticePeriodDays',
  'owner',
] as const;

function fromTool(tool: Tool): Row {
  // A tool imported with a renewal date and no contract end (a CSV, the API) shows that date,
  // as the analysis reads it, and keeps it where it was.
  const dateField =
    tool.contractEndDate === undefined && tool.renewalDate !== undefined ? 'renewalDate' : 'contractEndDate';
  return {
    key: nextKey++,
    original: tool,
    name: tool.name,
    vendor: text(tool.vendor),
    category: text(tool.category),
    monthlyCost: text(tool.monthlyCost),
    seats: text(tool.seats),
    activeSeats: text(tool.activeSeats),
    billingCycle: tool.billingCycle ?? '',
    contractEndDate: text(tool[dateField]),
    dateField,
    noticePeriodDays: text(tool.noticePeriodDays),
    owner: text(tool.owner),
  };
}

/** Whether anything is typed in the row (an empty one is left out of the stack). */
const hasContent = (row: Row): boolean => EDITED.some((field) => (row[field as keyof Row] as string).trim() !== '');

function toTool(row: Row): Tool {
  const kept: Record<string, unknown> = { ...row.original };
  for (const field of [...EDITED, row.dateField]) delete kept[field];
  // A cleared date is no date: a renewal date kept beside a contract end would still count.
  if (!row.contractEndDate) delete kept.renewalDate;
  const tool: Tool = { ...kept, name: row.name.trim() };
  if (row.vendor.trim()) tool.vendor = row.vendor.trim();
  if (row.category.trim()) tool.category = row.category.trim();
  const cost = numberOrUndefined(row.monthlyCost);
  if (cost !== undefined) tool.monthlyCost = cost;
  const seats = numberOrUndefined(row.seats);
  if (seats !== undefined) tool.seats = seats;
  const active = numberOrUndefined(row.activeSeats);
  if (active !== undefined) tool.activeSeats = active;
  if (row.billingCycle) tool.billingCycle = row.billingCycle;
  if (row.contractEndDate) tool[row.dateField] = row.contractEndDate;
  const notice = numberOrUndefined(row.noticePeriodDays);
  if (notice !== undefined) tool.noticePeriodDays = notice;
  if (row.owner.trim()) tool.owner = row.owner.trim();
  return tool;
}

/**
 * Under a date that has passed, what the analysis makes of it (rules/renewals.ts): rolled
 * forward by the billing cycle (a year where none is given), unless the contract does not
 * renew — so a stack typed a year ago is not taken for a mistake. "Passed" by the
 * organization's today, as the analysis counts it.
 */
function passedDateHint(row: Row, today: string): string | null {
  if (!row.contractEndDate || row.contractEndDate >= today) return null;
  if (row.original?.autoRenew === false) return 'Passed: the contract has ended (it does not renew)';
  return `Passed: taken to renew every ${row.billingCycle === 'monthly' ? 'month' : 'year'} after it`;
}

/** New audit (/audits/new) or edit one (/audits/:id/edit: loads it, saves with PATCH). */

export default function AuditEditor() {
  const { id } = useParams();
  const existing = useAudit(id);
  if (id === undefined) return <Editor audit={null} />;
  if (existing.isPending) return <Loading what="Loading the audit" />;
  if (existing.isError) return <ErrorNotice error={existing.error} />;
  if (existing.data.access === 'view' || existing.data.access === 'comment') {
    return <ErrorNotice error={new Error('You may read this audit but not edit it.')} />;
  }
  return <Editor key={existing.data.audit.id} audit={existing.data.audit} />;
}

function Editor({ audit }: { audit: Audit | null }) {
  const navigate = useNavigate();
  const listId = useId();
  const initial: StackData = audit?.stackData ?? { tools: [] };
  // An audit without a currency is analysed in the organization's base currency: say so.
  const settings = useMe().data?.organization.settings;
  const baseCurrency = settings?.baseCurrency ?? 'USD';
  const today = todayIn(settings?.timeZone);
  const [name, setName] = useState(audit?.name ?? '');
  const [currency, setCurrency] = useState(initial.currency ?? baseCurrency);
  const [employees, setEmployees] = useState(text(initial.employeeCount));
  const [rows, setRows] = useState<Row[]>(initial.tools.length > 0 ? initial.tools.map(fromTool) : [emptyRow()]);
  const [search, setSearch] = useState('');
  const catalog = useCatalog(search);
  const save = useSaveAudit(audit, { onSaved: (saved) => navigate(`/audits/${saved.id}`) });
  const serverErrors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  // Rows with something typed but no tool name: named here, before anything is sent.
  const [unnamed, setUnnamed] = useState<ReadonlySet<number>>(new Set());
  // The rows last sent, in order: the server's errors name a tool by its place among them.
  const [sent, setSent] = useState<readonly number[]>([]);

  const update = (key: number, patch: Partial<Row>) =>
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const pickTool = (key: number, value: string) => {
    setSearch(value);
    const found = catalog.data?.items.find((i) => i.name.toLowerCase() === value.toLowerCase());
    update(key, found ? { name: found.name, vendor: found.vendor, category: found.category } : { name: value });
    if (found?.typicalMonthlyPricePerSeat) {
      setRows((current) =>
        current.map((r) =>
          r.key === key && r.monthlyCost === ''
            ? {
                ...r,
                monthlyCost: String(Math.round(found.typicalMonthlyPricePerSeat! * Number(r.seats || 1) * 100) / 100),
              }
            : r,
        ),
      );
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const typed = rows.filter(hasContent);
    const nameless = new Set(typed.filter((r) => r.name.trim() === '').map((r) => r.key));
    setUnnamed(nameless);
    if (nameless.size > 0) return;
    setSent(typed.map((r) => r.key));
    const stackData: StackData = { ...initial, tools: typed.map(toTool) };
    if (currency.trim()) stackData.currency = currency.trim().toUpperCase();
    else delete stackData.currency;
    const employeeCount = numberOrUndefined(employees);
    if (employeeCount !== undefined) stackData.employeeCount = employeeCount;
    else delete stackData.employeeCount;
    save.mutate({ name: name.trim(), stackData });
  };
  const cellError = (index: number, field: string): string | undefined => {
    const key = rows[index]?.key ?? -1;
    if (field === 'name' && unnamed.has(key)) return 'Name the tool, or remove the row.';
    const place = sent.indexOf(key);
    return place < 0 ? undefined : serverErrors[`stackData.tools.${place}.${field}`];
  };

  return (
    <section>
      <h1>{audit ? `Edit ${audit.name}` : 'New audit'}</h1>
      <form onSubmit={onSubmit} aria-label={audit ? 'Edit audit' : 'New audit'}>
        <div className="grid">
          <Field label="Audit name" error={serverErrors.name}>
            <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="Q3 software stack" />
          </Field>
          <Field label="Employees" error={serverErrors['stackData.employeeCount']}>
            <input type="number" min={0} step={1} value={employees} onChange={(e) => setEmployees(e.target.value)} />
          </Field>
          <Field label="Currency" error={serverErrors['stackData.currency']}>
            <input
              value={currency}
              onChange={(e) => setCurrency(e.target.value)}
              placeholder={baseCurrency}
              maxLength={3}
            />
          </Field>
        </div>
        {!audit && <CsvImport name={name} />}
        <datalist id={listId}>
          {catalog.data?.items.map((i) => (
            <option key={i.name} value={i.name}>
              {i.vendor} · {i.category.replace(/_/g, ' ')}
              {i.typicalMonthlyPricePerSeat ? ` · ${i.typicalMonthlyPricePerSeat}/seat (${i.priceTier})` : ''}
            </option>
          ))}
        </datalist>
        <div className="table-scroll">
          <table className="editor">
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Monthly cost</th>
                <th scope="col">Seats</th>
                <th scope="col">Active seats</th>
                <th scope="col">Billing</th>
                <th scope="col">Contract end</th>
                <th scope="col">Notice (days)</th>
                <th scope="col">Owner</th>
                <th scope="col">
                  <span className="muted">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const n = index + 1;
                const input = (
                  field: Exclude<keyof Row, 'key' | 'original'>,
                  label: string,
                  type = 'text',
                  extra: Record<string, unknown> = {},
                  hint: string | null = null,
                ) => {
                  // The date field's errors come under the tool's field it saves to.
                  const error = cellError(index, field === 'contractEndDate' ? row.dateField : field);
                  return (
                    <td>
                      <input
                        aria-label={`${label}, row ${n}`}
                        type={type}
                        value={row[field]}
                        onChange={(e) => update(row.key, { [field]: e.target.value })}
                        aria-invalid={error ? true : undefined}
                        {...extra}
                      />
                      {error ? (
                        <small className="field-error">{error}</small>
                      ) : (
                        hint && <small className="muted">{hint}</small>
                      )}
                    </td>
                  );
                };
                return (
                  <tr key={row.key}>
                    <td>
                      <input
                        aria-label={`Tool, row ${n}`}
                        list={listId}
                        value={row.name}
                        onChange={(e) => pickTool(row.key, e.target.value)}
                        aria-invalid={cellError(index, 'name') ? true : undefined}
                      />
                      {row.category && <small className="muted">{row.category.replace(/_/g, ' ')}</small>}
                      {cellError(index, 'name') && <small className="field-error">{cellError(index, 'name')}</small>}
                    </td>
                    {input('monthlyCost', 'Monthly cost', 'number', { min: 0, step: '0.01' })}
                    {input('seats', 'Seats', 'number', { min: 0, step: 1 })}
                    {input('activeSeats', 'Active seats', 'number', { min: 0, step: 1 })}
                    <td>
                      <select
                        aria-label={`Billing, row ${n}`}
                        value={row.billingCycle}
                        onChange={(e) => update(row.key, { billingCycle: e.target.value as Row['billingCycle'] })}
                      >
                        <option value="">—</option>
                        <option value="monthly">Monthly</option>
                        <option value="annual">Annual</option>
                      </select>
                    </td>
                    {input('contractEndDate', 'Contract end', 'date', {}, passedDateHint(row, today))}
                    {input('noticePeriodDays', 'Notice period', 'number', { min: 0, step: 1 })}
                    {input('owner', 'Owner')}
                    <td>
                      <button
                        type="button"
                        className="secondary outline"
                        aria-label={`Remove row ${n}`}
                        onClick={() =>
                          setRows((current) =>
                            current.length > 1 ? current.filter((r) => r.key !== row.key) : [emptyRow()],
                          )
                        }
                      >
                        ✕
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <button type="button" className="secondary" onClick={() => setRows((current) => [...current, emptyRow()])}>
          Add a tool
        </button>{' '}
        {save.error && (
          <p role="alert" className="field-error">
            {save.error.message}
          </p>
        )}
        <button type="submit" aria-busy={save.isPending} disabled={save.isPending}>
          {audit ? 'Save and re-analyse' : 'Create audit'}
        </button>
        {audit && (
          <>
            {' '}
            <Link to={`/audits/${audit.id}`}>Cancel</Link>
          </>
        )}
      </form>
    </section>
  );
}

interface Preview {
  fileName: string;
  csv: string;
  columns: string[];
  rows: string[][];
}

/** The rows shown before importing (and the row numbers the server's problems refer to). */
const PREVIEW_ROWS = 200;

/**
 * A tool list from CSV: read in the browser and shown first (papaparse), then imported by the
 * server, which checks every row; its problems are shown on the rows they concern.
 */
function CsvImport({ name }: { name: string }) {
  const navigate = useNavigate();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const importCsv = useImportAuditCsv({ onCreated: (audit) => navigate(`/audits/${audit.id}`) });
  const onFile = async (file: File) => {
    importCsv.reset();
    setReadError(null);
    const csv = await file.text();
    const notText = notCsvText(csv);
    if (notText) {
      setPreview(null);
      setReadError(notText);
      return;
    }
    const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
    const [columns, ...rows] = parsed.data;
    if (!columns || columns.length === 0) {
      setPreview(null);
      setReadError('The file is empty.');
      return;
    }
    setPreview({ fileName: file.name, csv, columns, rows });
  };
  const problems = importCsv.error instanceof ApiError ? importCsv.error.details : [];
  const problemsOf = (row: number) => problems.filter((p) => p.row === row);
  return (
    <details open={preview !== null || undefined}>
      <summary>Or import a tool list (CSV)</summary>
      <label>
        Tool list CSV
        <input
          type="file"
          accept=".csv,text/csv"
          disabled={importCsv.isPending}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void onFile(file);
          }}
        />
      </label>
      <small className="muted">
        Columns such as Name, Vendor, Category, Monthly cost, Seats, Active seats, Renewal. You see the rows before
        importing; any bad row is marked and nothing is created.
      </small>
      {readError && <p className="field-error">{readError}</p>}
      {preview && (
        <section aria-label="Preview of the CSV">
          <p>
            <strong>{preview.rows.length}</strong> row{preview.rows.length === 1 ? '' : 's'} in {preview.fileName}
            {preview.rows.length > PREVIEW_ROWS ? ` (the first ${PREVIEW_ROWS} shown)` : ''}.
          </p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  {preview.columns.map((c, i) => (
                    <th scope="col" key={i}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, PREVIEW_ROWS).map((cells, i) => {
                  const row = i + 2; // the header is row 1, as a spreadsheet shows it
                  const bad = problemsOf(row);
                  return (
                    <tr key={row} aria-invalid={bad.length > 0 || undefined} className={bad.length ? 'bad-row' : ''}>
                      <th scope="row">{row}</th>
                      {preview.columns.map((_, c) => (
                        <td key={c}>{cells[c] ?? ''}</td>
                      ))}
                      {bad.length > 0 && (
                        <td className="field-error">{bad.map((p) => `${p.field} ${p.message}`).join('; ')}</td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {importCsv.error && <RowErrors error={importCsv.error} />}
          <button
            type="button"
            aria-busy={importCsv.isPending}
            disabled={importCsv.isPending || preview.rows.length === 0}
            onClick={() =>
              importCsv.mutate({ name: name.trim() || preview.fileName.replace(/\.csv$/i, ''), csv: preview.csv })
            }
          >
            Import {preview.rows.length} tool{preview.rows.length === 1 ? '' : 's'}
          </button>{' '}
          <button type="button" className="secondary outline" onClick={() => setPreview(null)}>
            Discard
          </button>
        </section>
      )}
    </details>
  );
}
