import Papa from 'papaparse';
import { useState, type FormEvent } from 'react';

import type { ColumnMapping } from '../../api/types';
import { formText } from '../../format';

/** Which column is which, picked from the file's own header row. */
export function ColumnMappingForm({
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
