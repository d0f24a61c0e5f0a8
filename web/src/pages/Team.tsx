import { useState, type FormEvent } from 'react';

import { ApiError } from '../api/client';
import type { Me } from '../api/session';
import { useChangeRole, useInvites, useMembers, useRemoveMember, useRevokeInvite, useSendInvite } from '../api/team';
import type { User } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { Field } from '../components/Field';
import { ConfirmDialog } from '../components/Modal';
import { ErrorNotice, Loading } from '../components/Status';
import { formText } from '../format';

/** Members and roles, and (admins) invites: send, copy the link, revoke. */
export default function Team({ me }: { me: Me }) {
  const isAdmin = me.user.role === 'admin';
  const members = useMembers();
  const invites = useInvites({ enabled: isAdmin });
  const [lastLink, setLastLink] = useState<string | null>(null);
  const invite = useSendInvite({ onSent: (created) => setLastLink(created.acceptUrl ?? null) });
  const revoke = useRevokeInvite();
  const changeRole = useChangeRole();
  const [removing, setRemoving] = useState<User | null>(null);
  const remove = useRemoveMember({ onRemoved: () => setRemoving(null) });
  const errors = invite.error instanceof ApiError ? invite.error.fieldErrors : {};
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    invite.mutate({ email: formText(data, 'email', ''), role: formText(data, 'role', 'member') });
  };

  if (members.isPending) return <Loading what="Loading the team" />;
  if (members.isError) return <ErrorNotice error={members.error} />;
  return (
    <section>
      <h1>Team</h1>
      {changeRole.error && <ErrorNotice error={changeRole.error} />}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              {isAdmin && (
                <th scope="col">
                  <span className="muted">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((m) => (
              <tr key={m.id}>
                <td>{m.name ?? '—'}</td>
                <td>{m.email}</td>
                <td>
                  {isAdmin && m.id !== me.user.id ? (
                    <select
                      aria-label={`Role of ${m.name ?? m.email}`}
                      value={m.role}
                      onChange={(e) => changeRole.mutate({ userId: m.id, role: e.target.value })}
                    >
                      <option value="admin">Admin</option>
                      <option value="member">Member</option>
                      <option value="viewer">Viewer</option>
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                {isAdmin && (
                  <td>
                    {m.id !== me.user.id && (
                      <button
                        type="button"
                        className="secondary outline"
                        aria-label={`Remove ${m.name ?? m.email}`}
                        onClick={() => {
                          remove.reset();
                          setRemoving(m);
                        }}
                      >
                        ✕
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name ?? removing.email}?`}
          keepLabel="Keep them"
          confirmLabel="Remove from the team"
          busy={remove.isPending}
          error={remove.error}
          onKeep={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id)}
        >
          They leave the organization at once and their sessions end. Their audits and comments stay.
        </ConfirmDialog>
      )}
      {isAdmin && (
        <>
          <h2>Invite someone</h2>
          <form onSubmit={submit} aria-label="Invite someone">
            <div className="grid">
              <Field label="Email" error={errors.email}>
                <input name="email" type="email" required />
              </Field>
              <label>
                Role
                <select name="role" defaultValue="member">
                  <option value="member">Member: creates and edits audits</option>
                  <option value="viewer">Viewer: reads and comments</option>
                  <option value="admin">Admin: everything</option>
                </select>
              </label>
            </div>
            {invite.error && !errors.email && <p className="field-error">{invite.error.message}</p>}
            <button type="submit" aria-busy={invite.isPending} disabled={invite.isPending}>
              Send the invite
            </button>
          </form>
          {lastLink && (
            <>
              <label>
                Invite link (shown once; also sent by email)
                <input readOnly value={lastLink} onFocus={(e) => e.currentTarget.select()} />
              </label>
              <CopyButton text={lastLink} />
            </>
          )}
          <h2>Pending invites</h2>
          {invites.isPending && <Loading />}
          {invites.data?.items.length === 0 && <p className="muted">No pending invites.</p>}
          <ul>
            {invites.data?.items.map((i) => (
              <li key={i.id}>
                {i.email} · {i.role} · expires {new Date(i.expiresAt).toLocaleDateString()}{' '}
                <button type="button" className="outline secondary" onClick={() => revoke.mutate(i.id)}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
