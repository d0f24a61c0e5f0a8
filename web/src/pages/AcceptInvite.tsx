import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';

import { ApiError } from '../api/client';
import type { Session } from '../api/session';
import { useAcceptInvite, useInviteInfo } from '../api/team';
import { Field } from '../components/Field';
import { NewPasswordField } from '../components/NewPasswordField';
import { ErrorNotice, Loading } from '../components/Status';
import { formText } from '../format';

/**
 * Joining an organization from an invite link: a name and a password make the account; an
 * account without an organization, logged in with the invited address, joins with a click.
 */
export default function AcceptInvite({ session }: { session: Session | null }) {
  const { token } = useParams();
  const navigate = useNavigate();
  const info = useInviteInfo(token);
  const accept = useAcceptInvite(token, { onJoined: () => navigate('/dashboard') });
  const errors = accept.error instanceof ApiError ? accept.error.fieldErrors : {};
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    accept.mutate({ name: formText(data, 'name', ''), password: formText(data, 'password', '') });
  };
  return (
    <main className="container">
      <h1>Join StackAudit</h1>
      {info.isPending && <Loading what="Checking the invite" />}
      {info.isError && (
        <ErrorNotice
          error={
            new Error(
              info.error instanceof ApiError && info.error.status === 410
                ? 'This invite has expired or was already used: ask for a new one.'
                : 'This invite link is not valid.',
            )
          }
        />
      )}
      {info.data && session && (
        <section aria-label="Accept the invite">
          <p>
            <strong>{info.data.organizationName}</strong> invites <strong>{info.data.email}</strong> as {info.data.role}
            . You are logged in as {session.user.email}.
          </p>
          {accept.error && <p className="field-error">{accept.error.message}</p>}
          <button
            type="button"
            onClick={() => accept.mutate(undefined)}
            aria-busy={accept.isPending}
            disabled={accept.isPending}
          >
            Join {info.data.organizationName}
          </button>
        </section>
      )}
      {info.data && !session && (
        <form onSubmit={submit} aria-label="Accept the invite">
          <p>
            <strong>{info.data.organizationName}</strong> invites <strong>{info.data.email}</strong> as {info.data.role}
            .
          </p>
          <Field label="Your name" error={errors.name}>
            <input name="name" required autoComplete="name" />
          </Field>
          <NewPasswordField
            label="Choose a password"
            name="password"
            error={errors.password}
            note="If you already have an account without an organization, give its password."
          />
          {accept.error && !Object.keys(errors).length && <p className="field-error">{accept.error.message}</p>}
          <button type="submit" aria-busy={accept.isPending} disabled={accept.isPending}>
            Join {info.data.organizationName}
          </button>
        </form>
      )}
    </main>
  );
}
