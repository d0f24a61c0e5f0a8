import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';

type Control = ReactElement<{ 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;

/**
 * A labelled form control (input, select, textarea) with its error under it. While there is
 * an error the control is marked aria-invalid and described by the error, so a screen reader
 * reads both with the field. Every form of the app builds its fields with this.
 */
export function Field({ label, error, children }: { label: ReactNode; error?: string | null; children: Control }) {
  const id = useId();
  const describedBy = [children.props['aria-describedby'], `${id}-error`].filter(Boolean).join(' ');
  return (
    <label>
      {label}
      {error ? cloneElement(children, { 'aria-invalid': true, 'aria-describedby': describedBy }) : children}
      {error && (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      )}
    </label>
  );
}
