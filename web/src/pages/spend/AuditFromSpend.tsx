import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { useCreateAuditFromSpend } from '../../api/audits';
import { ApiError } from '../../api/client';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Status';
import { formText } from '../../format';

/** An audit of what was actually paid: the last months of spend, averaged per month. */
export function AuditFromSpend() {
  const navigate = useNavigate();
  const create = useCreateAuditFromSpend({ onCreated: (audit) => navigate(`/audits/${audit.id}`) });
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
          An audit of the tools you actually paid for, at their average monthly cost over whole months (the current
          month counts once it is over), in the base currency; add seats and renewals in the editor afterwards.
        </p>
        <div className="grid">
          <Field label="Audit name" error={errors.name}>
            <input name="name" required defaultValue="Audit of actual spend" />
          </Field>
          <Field label="Period" error={errors.months ? create.error?.message : undefined}>
            <select name="months" defaultValue="3">
              <option value="1">Last whole month</option>
              <option value="3">Last 3 whole months</option>
              <option value="6">Last 6 whole months</option>
              <option value="12">Last 12 whole months</option>
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
