import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { api, ApiError, postCsv, type Audit, type CatalogItem, type Tool } from '../api';
import { RowErrors } from './Spend';

interface Row {
  key: number;
  name: string;
  vendor: string;
  category: string;
  monthlyCost: string;
  seats: string;
  activeSeats: string;
  billingCycle: '' | 'monthly' | 'annual';
  contractEndDate: string;
  noticePeriodDays: string;
  owner: string;
}

let nextKey = 1;
const emptyRow = (): Row => ({
  key: nextKey++,
  name: '',
  vendor: '',
  category: '',
  monthlyCost: '',
  seats: '',
  activeSeats: '',
  billingCycle: '',
  contractEndDate: '',
  noticePeriodDays: '',
  owner: '',
});

const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));

function toTool(row: Row): Tool {
  const tool: Tool = { name: row.name.trim() };
  if (row.vendor.trim()) tool.vendor = row.vendor.trim();
  if (row.category.trim()) tool.category = row.category.trim();
  const cost = numberOrUndefined(row.monthlyCost);
  if (cost !== undefined) tool.monthlyCost = cost;
  const seats = numberOrUndefined(row.seats);
  if (seats !== undefined) tool.seats = seats;
  const active = numberOrUndefined(row.activeSeats);
  if (active !== undefined) tool.activeSeats = active;
  if (row.billingCycle) tool.billingCycle = row.billingCycle;
  if (row.contractEndDate) tool.contractEndDate = row.contractEndDate;
  const notice = numberOrUndefined(row.noticePeriodDays);
  if (notice !== undefined) tool.noticePeriodDays = notice;
  if (row.owner.trim()) tool.owner = row.owner.trim();
  return tool;
}

export default function AuditEditor() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const listId = useId();
  const [name, setName] = useState('');
  const [rows, setRows] = useState<Row[]>([emptyRow()]);
  const [search, setSearch] = useState('');
  const catalog = useQuery({
    queryKey: ['catalog', search],
    queryFn: () => api<{ items: CatalogItem[] }>('GET', `/api/catalog?q=${encodeURIComponent(search)}`),
    staleTime: 60_000,
  });
  const create = useMutation({
    mutationFn: (body: unknown) => api<{ audit: Audit }>('POST', '/api/audits', body),
    onSuccess: async ({ audit }) => {
      await queryClient.invalidateQueries({ queryKey: ['audits'] });
      await navigate(`/audits/${audit.id}`);
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors : {};
  const importCsv = useMutation({
    mutationFn: async (file: File) =>
      postCsv<{ audit: Audit }>(
        `/api/audits/import?name=${encodeURIComponent(name.trim() || file.name.replace(/\.csv$/i, ''))}`,
        await file.text(),
      ),
    onSuccess: async ({ audit }) => {
      await queryClient.invalidateQueries({ queryKey: ['audits'] });
      await navigate(`/audits/${audit.id}`);
    },
  });

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
    create.mutate({ name: name.trim(), stackData: { tools: rows.filter((r) => r.name.trim() !== '').map(toTool) } });
  };
  const cellError = (index: number, field: string) => errors[`stackData.tools.${index}.${field}`];

  return (
    <section>
      <h1>New audit</h1>
      <form onSubmit={onSubmit} aria-label="New audit">
        <label htmlFor="audit-name">
          Audit name
          <input
            id="audit-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            placeholder="Q3 software stack"
          />
          {errors.name && <small className="field-error">{errors.name}</small>}
        </label>
        <details>
          <summary>Or import a tool list (CSV)</summary>
          <label>
            Tool list CSV
            <input
              type="file"
              accept=".csv,text/csv"
              disabled={importCsv.isPending}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) importCsv.mutate(file);
              }}
            />
          </label>
          <small className="muted">
            Columns such as Name, Vendor, Category, Monthly cost, Seats, Active seats, Renewal; any bad row is listed
            and nothing is created.
          </small>
          {importCsv.error && <RowErrors error={importCsv.error} />}
        </details>
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
                const input = (field: keyof Row, label: string, type = 'text', extra: Record<string, unknown> = {}) => (
                  <td>
                    <input
                      aria-label={`${label}, row ${n}`}
                      type={type}
                      value={row[field]}
                      onChange={(e) => update(row.key, { [field]: e.target.value })}
                      aria-invalid={cellError(index, field) ? true : undefined}
                      {...extra}
                    />
                    {cellError(index, field) && <small className="field-error">{cellError(index, field)}</small>}
                  </td>
                );
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
                    {input('contractEndDate', 'Contract end', 'date')}
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
        {create.error && (
          <p role="alert" className="field-error">
            {create.error.message}
          </p>
        )}
        <button type="submit" aria-busy={create.isPending} disabled={create.isPending}>
          Create audit
        </button>
      </form>
    </section>
  );
}
