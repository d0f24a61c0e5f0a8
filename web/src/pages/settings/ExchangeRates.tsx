import { useState, type FormEvent } from 'react';

import { ApiError } from '../../api/client';
import { useExchangeRates, useSaveExchangeRates } from '../../api/spend';
import { ErrorNotice, Loading } from '../../components/Status';

/** Rates against the base currency, edited as a list and saved at once (the list replaces the old one). */
export function ExchangeRates({ isAdmin }: { isAdmin: boolean }) {
  const rates = useExchangeRates();
  const [draft, setDraft] = useState<{ currency: string; rate: string }[] | null>(null);
  const save = useSaveExchangeRates({ onSaved: () => setDraft(null) });
  if (rates.isPending) return <Loading what="Loading the exchange rates" />;
  if (rates.isError) return <ErrorNotice error={rates.error} />;
  const base = rates.data.baseCurrency;
  const rows = draft ?? rates.data.rates.map((r) => ({ currency: r.currency, rate: String(r.rate) }));
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const edit = (i: number, patch: Partial<{ currency: string; rate: string }>) =>
    setDraft(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      rates: rows
        .filter((r) => r.currency.trim() !== '')
        .map((r) => ({ currency: r.currency.trim().toUpperCase(), rate: Number(r.rate) })),
    });
  };
  return (
    <form onSubmit={submit} aria-label="Exchange rates">
      <h2>Exchange rates</h2>
      <p className="muted">
        How many {base} one unit of another currency is worth; spend and analyses in other currencies are converted with
        these.
      </p>
      {rows.length === 0 && (
        <p className="muted">
          No rates yet: costs in another currency than {base} are left out of totals, and the pages that leave them out
          say so.
        </p>
      )}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">1 unit = ? {base}</th>
              {isAdmin && (
                <th scope="col">
                  <span className="muted">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Currency, rate ${i + 1}`}
                    value={r.currency}
                    maxLength={3}
                    disabled={!isAdmin}
                    onChange={(e) => edit(i, { currency: e.target.value })}
                    aria-invalid={errors[`rates.${i}.currency`] ? true : undefined}
                  />
                  {errors[`rates.${i}.currency`] && (
                    <small className="field-error">{errors[`rates.${i}.currency`]}</small>
                  )}
                </td>
                <td>
                  <input
                    aria-label={`Rate, rate ${i + 1}`}
                    type="number"
                    step="any"
                    min={0}
                    value={r.rate}
                    disabled={!isAdmin}
                    onChange={(e) => edit(i, { rate: e.target.value })}
                    aria-invalid={errors[`rates.${i}.rate`] ? true : undefined}
                  />
                  {errors[`rates.${i}.rate`] && <small className="field-error">{errors[`rates.${i}.rate`]}</small>}
                </td>
                {isAdmin && (
                  <td>
                    <button
                      type="button"
                      className="secondary outline"
                      aria-label={`Remove rate ${i + 1}`}
                      onClick={() => setDraft(rows.filter((_, j) => j !== i))}
                    >
                      ✕
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {save.error && (
        <p role="alert" className="field-error">
          {save.error.message}
        </p>
      )}
      {isAdmin && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setDraft([...rows, { currency: '', rate: '' }])}>
            Add a rate
          </button>
          <button type="submit" disabled={draft === null || save.isPending} aria-busy={save.isPending}>
            Save the rates
          </button>
        </div>
      )}
    </form>
  );
}
