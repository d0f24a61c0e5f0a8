import { Link, useParams } from 'react-router';

import { ApiError } from '../api/client';
import { useSession, useVerifyEmail } from '../api/session';
import { AccountForm } from '../components/AccountForm';
import { ErrorNotice, Loading } from '../components/Status';

/** Why a verification link did not work, in words that say what to do next. */
function problem(error: Error): Error {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 410) return new Error(`${error.message} Log in and use "Send the link again".`);
  if (error.status === 400) return new Error('This link is not valid: open the one in your newest email from us.');
  return error;
}

/**
 * The page of the link APP_URL/verify-email/TOKEN. The link is used by a click, not on
 * opening the page (mail scanners that open links must not use them for the user), and
 * logged in as the account it was sent for: the server refuses it otherwise, so that
 * whoever chose the account's password cannot have someone else's click confirm it. Logged
 * out, the page asks to log in (or to reset a password the reader never chose).
 */
export default function VerifyEmail() {
  const { token } = useParams();
  const session = useSession();
  const verify = useVerifyEmail(token);
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
      ) : session.isPending ? (
        <Loading />
      ) : !session.data ? (
        <>
          <p>
            Log in to the account this link was sent for, then confirm. If you did not choose its password, use
            &ldquo;Forgot password?&rdquo;: a new password ends every session of the account.
          </p>
          <AccountForm mode="login" />
        </>
      ) : (
        <>
          <p>
            Confirm that <strong>{session.data.user.email}</strong> is yours to finish setting up your account.
          </p>
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
