/**
 * An audit's comments: threads one level deep, Markdown rendered safely (react-markdown
 * renders no raw HTML), reactions. What the caller may do follows their access level.
 */
import { useState } from 'react';
import Markdown from 'react-markdown';

import { useComments, useDeleteComment, useToggleReaction } from '../../api/collaboration';
import type { Access, Comment, Thread } from '../../api/types';
import { ErrorNotice, Loading } from '../Status';
import { CommentForm } from './CommentForm';

const REACTIONS = ['👍', '🎉', '❤️', '👀'];

/** A mention as people read it: `@"Mel Member"` (how the form writes a name with spaces) as @Mel Member. */
const shownMentions = (content: string) => content.replace(/@"([^"\n]+)"/g, '@$1');

function CommentView({
  comment,
  auditId,
  access,
  myId,
}: {
  /** A thread, or one of its replies (which have none). */
  comment: Comment & Partial<Pick<Thread, 'replies'>>;
  auditId: string;
  access: Access;
  myId: string;
}) {
  const [replying, setReplying] = useState(false);
  const react = useToggleReaction(auditId, comment.id);
  const remove = useDeleteComment(auditId, comment.id);
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
        <Markdown>{shownMentions(comment.content)}</Markdown>
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
  const comments = useComments(auditId);
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
