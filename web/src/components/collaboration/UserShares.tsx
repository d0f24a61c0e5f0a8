import { useState, type FormEvent } from 'react';

import { useShareWithUser, useStopSharingWithUser, useUserShares } from '../../api/collaboration';
import { useMe } from '../../api/session';
import { useMembers } from '../../api/team';
import type { Permission } from '../../api/types';
import { ErrorNotice, Loading } from '../Status';

const PERMISSIONS: { value: Permission; label: string }[] = [
  { value: 'view', label: 'Can view' },
  { value: 'comment', label: 'Can comment' },
  { value: 'edit', label: 'Can edit' },
];

/** Per-person shares: someone of the organization, with a permission; changed or removed here. */
export function UserShares({ auditId }: { auditId: string }) {
  const shares = useUserShares(auditId);
  const members = useMembers();
  const give = useShareWithUser(auditId);
  const take = useStopSharingWithUser(auditId);
  const [person, setPerson] = useState('');
  const [permission, setPermission] = useState<Permission>('view');
  const me = useMe().data?.user.id;
  const sharedWith = new Set(shares.data?.items.map((s) => s.user.id));
  // Not the person sharing: they manage the audit already.
  const candidates = (members.data?.items ?? []).filter((m) => !sharedWith.has(m.id) && m.id !== me);
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (person) give.mutate({ userId: person, permission }, { onSuccess: () => setPerson('') });
  };
  const error = give.error ?? take.error;
  return (
    <section aria-labelledby="people-heading">
      <h4 id="people-heading">People</h4>
      {shares.isPending && <Loading />}
      {shares.isError && <ErrorNotice error={shares.error} />}
      {shares.data?.items.length === 0 && <p className="muted">Not shared with anyone in particular.</p>}
      {shares.data && shares.data.items.length > 0 && (
        <ul className="plain" aria-label="Shared with">
          {shares.data.items.map((s) => {
            const who = s.user.name ?? s.user.email;
            return (
              <li key={s.user.id} className="share-row">
                <span>
                  {who} <small className="muted">{s.user.email}</small>
                </span>
                <select
                  aria-label={`Permission of ${who}`}
                  value={s.permission}
                  disabled={give.isPending}
                  onChange={(e) => give.mutate({ userId: s.user.id, permission: e.target.value as Permission })}
                >
                  {PERMISSIONS.map((p) => (
                    <option key={p.value} value={p.value}>
                      {p.label}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="secondary outline"
                  aria-label={`Stop sharing with ${who}`}
                  disabled={take.isPending}
                  onClick={() => take.mutate(s.user.id)}
                >
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {candidates.length > 0 && (
        <form onSubmit={add} aria-label="Share with someone" className="share-row">
          <select aria-label="Person" value={person} onChange={(e) => setPerson(e.target.value)} required>
            <option value="">Choose someone…</option>
            {candidates.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name ?? m.email} ({m.role})
              </option>
            ))}
          </select>
          <select
            aria-label="Permission"
            value={permission}
            onChange={(e) => setPermission(e.target.value as Permission)}
          >
            {PERMISSIONS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!person || give.isPending}>
            Add
          </button>
        </form>
      )}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
