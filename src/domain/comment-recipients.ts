/**
 * Who a new comment concerns, and how each hears of it: pure, so the fan-out's rule is one
 * place and is tested over generated comments and audiences (test/domain/comment-recipients.test.ts).
 * The audience is everyone who can view the audit but the author (the access query decides
 * that); here: the mentioned hear of a mention, the audit's owner and earlier commenters of
 * a comment, each by their own preferences, once.
 */
import { parseMentions } from './mentions.js';

export interface AudienceMember {
  userId: string;
  email: string;
  name: string | null;
  /** Had commented on the audit before this comment (a follower: still one if that comment was deleted). */
  commented: boolean;
  preferences: { inAppMentions: boolean; emailMentions: boolean; inAppComments: boolean; emailComments: boolean };
}

export interface Recipient {
  userId: string;
  email: string;
  kind: 'mention' | 'comment';
  inApp: boolean;
  byEmail: boolean;
}

export function commentRecipients(
  comment: { content: string; auditOwnerId: string | null },
  audience: readonly AudienceMember[],
): Recipient[] {
  const mentions = parseMentions(comment.content);
  const out: Recipient[] = [];
  const seen = new Set<string>();
  for (const member of audience) {
    if (seen.has(member.userId)) continue;
    seen.add(member.userId);
    const isMention =
      mentions.emails.includes(member.email) ||
      (member.name !== null && mentions.names.includes(member.name.trim().toLowerCase()));
    // Who else follows the thread: the audit's owner and those who commented on it before.
    if (!isMention && member.userId !== comment.auditOwnerId && !member.commented) continue;
    const p = member.preferences;
    const inApp = isMention ? p.inAppMentions : p.inAppComments;
    const byEmail = isMention ? p.emailMentions : p.emailComments;
    if (inApp || byEmail) {
      out.push({ userId: member.userId, email: member.email, kind: isMention ? 'mention' : 'comment', inApp, byEmail });
    }
  }
  return out;
}
