import type { FormEvent } from 'react';

import { ApiError } from '../../api/client';
import { useAddCost } from '../../api/spend';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Status';
import { formText } from '../../format';

/** A cost line added by hand (in the base currency unless another is given). */
export function AddCost({ baseCurrency }: { baseCurrency: string }) {
  const add = useAddCost();
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
  return (
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
  );
}
