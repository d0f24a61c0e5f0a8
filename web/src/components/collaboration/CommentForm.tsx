import { useState, type FormEvent } from 'react';

import { ApiError } from '../../api/client';
import { useMentionable, usePostComment } from '../../api/collaboration';
import type { Person } from '../../api/types';

/** A comment or a reply, in Markdown, with @-mentions picked from the people who can see the audit. */
export function CommentForm({
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
  const [text, setText] = useState('');
  const mentionQuery = /@([^\s@"]*)$/.exec(text)?.[1];
  const people = useMentionable(auditId, mentionQuery);
  const post = usePostComment(auditId, parentId, {
    onPosted: () => {
      setText('');
      onDone?.();
    },
  });
  const mention = (person: Person) =>
    setText((current) => current.replace(/@([^\s@"]*)$/, person.name ? `@"${person.name}" ` : `@${person.email} `));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) post.mutate(text);
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
