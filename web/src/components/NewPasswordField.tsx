import { useId, type ReactNode } from 'react';

import { Field } from './Field';

/**
 * A field that sets a new password (signup, invite, reset, profile), with the rule the
 * server applies written under it and tied to the input for screen readers.
 */
export function NewPasswordField({
  label,
  name,
  error,
  note,
}: {
  label: string;
  name: string;
  error?: string | null;
  /** More to say under the rule. */
  note?: ReactNode;
}) {
  const hint = useId();
  return (
    <>
      <Field label={label} error={error}>
        <input name={name} type="password" autoComplete="new-password" required aria-describedby={hint} />
      </Field>
      <small id={hint} className="muted">
        At least 12 characters.{note && <> {note}</>}
      </small>
    </>
  );
}
