import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import { ErrorNotice } from '../App';
import { api, ApiError, type Organization, type User } from '../api';

/** Why a verification link did not work, in words that say what to do next. */
function problem(error: Error): Error {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 410) return new Error(`${error.message} Log in and use "Send the link again".`);
  if (error.status === 400) return new Error('This link is not valid: open the one in your newest email from us.');
  return error;
}

/**
 * The page of the link APP_URL/verify-email/TOKEN. The link is used by a click, not on
 * opening the page: mail scanners that open links must not use them for the user.
 */
export default function VerifyEmail() {
  const { token } = useParams();
  const queryClient = useQueryClient();
  const verify = useMutation({
    mutationFn: () =>
      api<{ user: User; organization: Organization | null }>('POST', '/api/auth/verify-email', { token }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
  return (
    <main className="container">
      <h1>Confirm your email address</h1>
      {verify.isSuccess ? (
        <>
          <p role="status">
            <strong>{verify.data.user.email}</strong> is confirmed.
            {verify.data.organization && ` You are a member of ${verify.data.organization.name}.`}
          </p>
          <p>
            <Link to="/dashboard">Continue to StackAudit</Link>
          </p>
        </>
      ) : (
        <>
          <p>Confirm that this email address is yours to finish setting up your account.</p>
          {verify.error && <ErrorNotice error={problem(verify.error)} />}
          <button
            type="button"
            onClick={() => verify.mutate()}
            aria-busy={verify.isPending}
            disabled={verify.isPending}
          >
            Confirm my email address
          </button>
        </>
      )}
    </main>
  );
}
