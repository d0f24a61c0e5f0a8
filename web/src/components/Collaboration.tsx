/**
 * Working together on an audit: threaded comments (Markdown rendered safely: react-markdown
 * renders no raw HTML), reactions, @-mentions of people who can see the audit, and the
 * audit's activity. What the caller may do follows their access level.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import Markdown from 'react-markdown';

import { ErrorNotice, Loading } from './Status';
import { api, ApiError } from '../api/client';
import type {
  Access,
  Activity,
  Comment,
  CursorPage,
  Items,
  Permission,
  Person,
  Reaction,
  ShareState,
  User,
  UserShare,
} from '../api/types';
import { CopyButton } from './CopyButton';
import { Modal } from './Modal';

const REACTIONS = ['👍', '🎉', '❤️', '👀'];

function CommentForm({
  auditId,
  parentId,
  label,
  onDone,
}: {
  auditId: string;
  parentId?: string;
  label: string;
  onDone?: () => void;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const mentionQuery = /@([^\s@"]*)$/.exec(text)?.[1];
  const people = useQuery({
    queryKey: ['mentionable', auditId, mentionQuery],
    queryFn: () =>
      api<Items<Person>>('GET', `/api/audits/${auditId}/mentionable?q=${encodeURIComponent(mentionQuery ?? '')}`),
    enabled: mentionQuery !== undefined,
  });
  const post = useMutation({
    mutationFn: () =>
      api('POST', `/api/audits/${auditId}/comments`, { content: text, ...(parentId ? { parentId } : {}) }),
    onSuccess: async () => {
      setText('');
      onDone?.();
      await queryClient.invalidateQueries({ queryKey: ['comments', auditId] });
      await queryClient.invalidateQueries({ queryKey: ['activity', auditId] });
    },
  });
  const mention = (person: Person) =>
    setText((current) => current.replace(/@([^\s@"]*)$/, person.name ? `@"${person.name}" ` : `@${person.email} `));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) post.mutate();
  };
  const error = post.error instanceof ApiError ? (post.error.fieldErrors.content ?? post.error.message) : null;
  return (
    <form onSubmit={submit} aria-label={label}>
      <label>
        {label}
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={parentId ? 2 : 3}
          placeholder="Markdown works; @ mentions a teammate"
          aria-invalid={error ? true : undefined}
        />
      </label>
      {mentionQuery !== undefined && (people.data?.items.length ?? 0) > 0 && (
        <ul aria-label="People to mention" className="mentions">
          {people.data!.items.map((p) => (
            <li key={p.id}>
              <button type="button" className="outline secondary" onClick={() => mention(p)}>
                {p.name ?? p.email}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <small className="field-error">{error}</small>}
      <button type="submit" disabled={post.isPending || !text.trim()} aria-busy={post.isPending}>
        {parentId ? 'Reply' : 'Comment'}
      </button>
    </form>
  );
}

function CommentView({
  comment,
  auditId,
  access,
  myId,
}: {
  comment: Comment;
  auditId: string;
  access: Access;
  myId: string;
}) {
  const queryClient = useQueryClient();
  const [replying, setReplying] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['comments', auditId] });
  const react = useMutation({
    mutationFn: (r: Reaction) =>
      r.reactedByMe
        ? api('DELETE', `/api/comments/${comment.id}/reactions/${encodeURIComponent(r.reaction)}`)
        : api('POST', `/api/comments/${comment.id}/reactions`, { reaction: r.reaction }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/comments/${comment.id}`),
    onSuccess: refresh,
  });
  const canComment = access !== 'view';
  const canDelete = comment.author?.id === myId || access === 'manage';
  const shown = REACTIONS.map(
    (r) => comment.reactions.find((x) => x.reaction === r) ?? { reaction: r, count: 0, reactedByMe: false },
  );
  return (
    <article className="comment" aria-label={`Comment by ${comment.author?.name ?? 'a former member'}`}>
      <header>
        <strong>{comment.author?.name ?? 'A former member'}</strong>{' '}
        <small className="muted">
          {comment.createdAt ? new Date(comment.createdAt).toLocaleString() : ''}
          {comment.edited ? ' · edited' : ''}
        </small>
      </header>
      <div className="markdown">
        <Markdown>{comment.content}</Markdown>
      </div>
      <div className="reactions">
        {shown
          .filter((r) => canComment || r.count > 0)
          .map((r) => (
            <button
              key={r.reaction}
              type="button"
              className={r.reactedByMe ? '' : 'outline secondary'}
              aria-pressed={r.reactedByMe}
              aria-label={`React ${r.reaction}${r.count ? ` (${r.count})` : ''}`}
              disabled={!canComment || react.isPending}
              onClick={() => react.mutate(r)}
            >
              {r.reaction} {r.count > 0 ? r.count : ''}
            </button>
          ))}
        {canComment && !comment.parentId && (
          <button type="button" className="outline" onClick={() => setReplying(!replying)}>
            Reply
          </button>
        )}
        {canDelete && (
          <button
            type="button"
            className="outline secondary"
            onClick={() => remove.mutate()}
            disabled={remove.isPending}
          >
            Delete
          </button>
        )}
      </div>
      {replying && (
        <CommentForm auditId={auditId} parentId={comment.id} label="Your reply" onDone={() => setReplying(false)} />
      )}
      {comment.replies?.map((reply) => (
        <div className="reply" key={reply.id}>
          <CommentView comment={reply} auditId={auditId} access={access} myId={myId} />
        </div>
      ))}
    </article>
  );
}

export function Comments({ auditId, access, myId }: { auditId: string; access: Access; myId: string }) {
  const comments = useQuery({
    queryKey: ['comments', auditId],
    queryFn: () => api<CursorPage<Comment>>('GET', `/api/audits/${auditId}/comments?limit=100`),
  });
  return (
    <section aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      {comments.isPending && <Loading what="Loading comments" />}
      {comments.isError && <ErrorNotice error={comments.error} />}
      {comments.data?.items.length === 0 && <p className="muted">No comments yet.</p>}
      {comments.data?.items.map((c) => (
        <CommentView key={c.id} comment={c} auditId={auditId} access={access} myId={myId} />
      ))}
      {access !== 'view' && <CommentForm auditId={auditId} label="Add a comment" />}
    </section>
  );
}

export function ActivityFeed({ auditId }: { auditId: string }) {
  const activity = useQuery({
    queryKey: ['activity', auditId],
    queryFn: () => api<Items<Activity>>('GET', `/api/activity?auditId=${auditId}&limit=20`),
  });
  if (activity.isPending) return <Loading what="Loading activity" />;
  if (activity.isError) return <ErrorNotice error={activity.error} />;
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity</h2>
      {activity.data.items.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ul>
          {activity.data.items.map((a) => (
            <li key={a.id}>
              {a.user?.name ?? 'StackAudit'} · {a.action.replace(/_/g, ' ')}{' '}
              <small className="muted">{a.createdAt ? new Date(a.createdAt).toLocaleString() : ''}</small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Visibility and the public link (level manage). */
export function ShareDialog({ auditId, onClose }: { auditId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const share = useQuery({
    queryKey: ['share', auditId],
    queryFn: () => api<ShareState>('GET', `/api/audits/${auditId}/share`),
  });
  const change = useMutation({
    mutationFn: (visibility: ShareState['visibility']) =>
      api<ShareState>('PUT', `/api/audits/${auditId}/share`, { visibility }),
    onSuccess: (state) => queryClient.setQueryData(['share', auditId], state),
  });
  const link = share.data?.shareUrl ?? null;
  return (
    <Modal labelledBy="share-heading" onClose={onClose}>
      <article>
        <header>
          <h3 id="share-heading">Share this audit</h3>
        </header>
        {share.isPending && <Loading />}
        {share.isError && <ErrorNotice error={share.error} />}
        {share.data && (
          <>
            <label>
              Who can see it
              <select
                value={share.data.visibility}
                onChange={(e) => change.mutate(e.target.value as ShareState['visibility'])}
                disabled={change.isPending}
              >
                <option value="private">Private: you, admins and people you share it with</option>
                <option value="organization">Organization: every member can see and comment</option>
                <option value="public">Public: anyone with the link can read it</option>
              </select>
            </label>
            {link && (
              <label>
                Public link
                <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
              </label>
            )}
            {link && <CopyButton text={link} />}
          </>
        )}
        <UserShares auditId={auditId} />
        <footer>
          <button type="button" onClick={onClose}>
            Done
          </button>
        </footer>
      </article>
    </Modal>
  );
}

const PERMISSIONS: { value: Permission; label: string }[] = [
  { value: 'view', label: 'Can view' },
  { value: 'comment', label: 'Can comment' },
  { value: 'edit', label: 'Can edit' },
];

/** Per-person shares: someone of the organization, with a permission; changed or removed here. */
function UserShares({ auditId }: { auditId: string }) {
  const queryClient = useQueryClient();
  const key = ['user-shares', auditId];
  const shares = useQuery({
    queryKey: key,
    queryFn: () => api<Items<UserShare>>('GET', `/api/audits/${auditId}/user-shares`),
  });
  const members = useQuery({
    queryKey: ['members'],
    queryFn: () => api<Items<User>>('GET', '/api/team/members'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const give = useMutation({
    mutationFn: (body: { userId: string; permission: Permission }) =>
      api('POST', `/api/audits/${auditId}/user-shares`, body),
    onSettled: refresh,
  });
  const take = useMutation({
    mutationFn: (userId: string) => api('DELETE', `/api/audits/${auditId}/user-shares/${userId}`),
    onSettled: refresh,
  });
  const [person, setPerson] = useState('');
  const [permission, setPermission] = useState<Permission>('view');
  const sharedWith = new Set(shares.data?.items.map((s) => s.user.id));
  const candidates = (members.data?.items ?? []).filter((m) => !sharedWith.has(m.id));
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
