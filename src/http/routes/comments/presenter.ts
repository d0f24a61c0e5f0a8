/** Comments as the contract's JSON. */
import type { CommentView, ThreadView } from '../../../services/comment.service.js';
import { iso } from '../../present.js';

export function presentComment(view: CommentView) {
  const c = view.comment;
  return {
    id: c.id,
    auditId: c.auditId,
    parentId: c.parentId,
    content: c.content,
    author: c.userId ? { id: c.userId, name: view.authorName } : null,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    // Created and updated in one statement carry the same time; an edit moves updatedAt.
    edited: c.updatedAt !== null && c.createdAt !== null && c.updatedAt.getTime() !== c.createdAt.getTime(),
    reactions: view.reactions,
  };
}

// Object.assign, not a spread: see presentAudit in audits.routes.ts.
export const presentThread = (thread: ThreadView) =>
  Object.assign(presentComment(thread), { replies: thread.replies.map(presentComment) });

/** A public view carries no member data: tool owners (people's emails) are left out. */
