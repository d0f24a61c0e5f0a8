import { useState, type FormEvent } from 'react';

import { ApiError } from '../api/client';
import { useLogIn, useRequestPasswordReset } from '../api/session';
import { Field } from './Field';
import { NewPasswordField } from './NewPasswordField';

export type Mode = 'signup' | 'login';

/** "Forgot password?": an email address, and the same answer whether or not it has an account. */
function ForgotPassword({ onBack }: { onBack: () => void }) {
  const request = useRequestPasswordReset();
  const errors = request.error instanceof ApiError ? request.error.fieldErrors : {};
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get('email');
    request.mutate(typeof email === 'string' ? email : '');
  };
  return (
    <form onSubmit={onSubmit} aria-label="Reset your password">
      <p>We will email you a link to choose a new password.</p>
      <Field label="Email" error={errors.email}>
        <input name="email" type="email" autoComplete="email" required />
      </Field>
      {request.isSuccess && <p role="status">{request.data.message}</p>}
      {request.error && !errors.email && (
        <p role="alert" className="field-error">
          {request.error.message}
        </p>
      )}
      <button type="submit" aria-busy={request.isPending} disabled={request.isPending}>
        Send me a link
      </button>
      <button type="button" className="link" onClick={onBack}>
        Back to log in
      </button>
    </form>
  );
}

/**
 * Signing up or logging in ("Forgot password?" included): the landing page's form, and the
 * login an emailed link asks for when it is opened logged out.
 */
export function AccountForm({ mode }: { mode: Mode }) {
  const [forgot, setForgot] = useState(false);
  const submit = useLogIn(mode);
  const errors = submit.error instanceof ApiError ? submit.error.fieldErrors : {};
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    for (const key of Object.keys(data)) if (data[key] === '') delete data[key];
    submit.mutate(data);
  };
  if (mode === 'login' && forgot) return <ForgotPassword onBack={() => setForgot(false)} />;
  return (
    <form onSubmit={onSubmit} aria-label={mode === 'signup' ? 'Sign up' : 'Log in'}>
      {mode === 'signup' && (
        <Field label="Your name" error={errors.name}>
          <input name="name" autoComplete="name" required />
        </Field>
      )}
      <Field label="Email" error={errors.email}>
        <input name="email" type="email" autoComplete="email" required />
      </Field>
      {mode === 'signup' ? (
        <NewPasswordField label="Password" name="password" error={errors.password} />
      ) : (
        <Field label="Password" error={errors.password}>
          <input name="password" type="password" autoComplete="current-password" required />
        </Field>
      )}
      {mode === 'signup' && (
        <Field label="Organization name" error={errors.organizationName}>
          <input name="organizationName" autoComplete="organization" />
        </Field>
      )}
      {submit.error && !Object.keys(errors).length && (
        <p role="alert" className="field-error">
          {submit.error.message}
        </p>
      )}
      <button type="submit" aria-busy={submit.isPending} disabled={submit.isPending}>
        {mode === 'signup' ? 'Create account' : 'Log in'}
      </button>
      {mode === 'login' && (
        <button type="button" className="link" onClick={() => setForgot(true)}>
          Forgot password?
        </button>
      )}
    </form>
  );
}
