import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { ApiError } from '../api/client';
import { useResetPassword } from '../api/session';
import { NewPasswordField } from '../components/NewPasswordField';
import { ErrorNotice } from '../components/Status';
import { formText } from '../format';

/** The page of the link APP_URL/reset-password/TOKEN: a new password, then logged in. */
export default function ResetPassword() {
  const { token } = useParams();
  const navigate = useNavigate();
  const reset = useResetPassword(token, { onReset: () => navigate('/dashboard') });
  const error = reset.error instanceof ApiError ? reset.error : null;
  const errors = error?.fieldErrors ?? {};
  const linkProblem = error !== null && (error.status === 410 || errors.token !== undefined);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    reset.mutate(formText(new FormData(event.currentTarget), 'password'));
  };
  return (
    <main className="container">
      <h1>Choose a new password</h1>
      <p>Saving it logs you in here and logs out every other session of your account.</p>
      {linkProblem && (
        <ErrorNotice
          error={
            new Error(
              error?.status === 410
                ? `${error.message} Ask for a new link with "Forgot password?".`
                : 'This link is not valid: open the one in your newest email from us.',
            )
          }
        />
      )}
      <form onSubmit={submit} aria-label="Choose a new password">
        <NewPasswordField label="New password" name="password" error={errors.password} />
        {reset.error && !linkProblem && !errors.password && (
          <p role="alert" className="field-error">
            {reset.error.message}
          </p>
        )}
        <button type="submit" aria-busy={reset.isPending} disabled={reset.isPending}>
          Save and log in
        </button>
      </form>
      <p>
        <Link to="/">Back to log in</Link>
      </p>
    </main>
  );
}
