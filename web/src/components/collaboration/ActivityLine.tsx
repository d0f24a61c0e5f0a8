/**
 * One event of the activity feed as a sentence: who did what to which audit or member
 * ("Ada Admin · invited bob@acme.test as a member"), for the organization's feed and an
 * audit's own. Names come with the event (auditName, subjectName); what an event keeps of
 * its own (a deleted audit's name, an invited address) from its metadata.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import type { Activity } from '../../api/types';

const VISIBILITY: Record<string, string> = {
  private: 'private',
  organization: 'visible to the whole organization',
  public: 'public (anyone with the link)',
};
const PERMISSION: Record<string, string> = { view: 'to view', comment: 'to comment on', edit: 'to edit' };
const ROLE: Record<string, string> = { admin: 'an admin', member: 'a member', viewer: 'a viewer' };

function text(metadata: unknown, key: string): string | null {
  const value = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : null;
}

/** What happened, after the actor's name; `audit` names the audit (a link on the organization's feed). */
export function activitySentence(a: Activity, audit: ReactNode): ReactNode {
  const m = a.metadata;
  const member = a.subjectName ?? text(m, 'email') ?? 'a former member';
  const role = (key: string) => ROLE[text(m, key) ?? ''] ?? text(m, key) ?? 'a member';
  switch (a.action) {
    case 'audit_created':
      return <>created {audit}</>;
    case 'audit_updated':
      return <>edited {audit}</>;
    case 'audit_deleted':
      return <>deleted the audit {text(m, 'name') ? `“${text(m, 'name')}”` : ''}</>;
    case 'analysis_completed':
      return <>analysed {audit}</>;
    case 'comment_added':
      return <>commented on {audit}</>;
    case 'comment_edited':
      return <>edited a comment on {audit}</>;
    case 'comment_deleted':
      return <>deleted a comment on {audit}</>;
    case 'reaction_added':
      return <>reacted to a comment on {audit}</>;
    case 'audit_shared':
      return (
        <>
          shared {audit} with {member} {PERMISSION[text(m, 'permission') ?? ''] ?? ''}
        </>
      );
    case 'share_removed':
      return (
        <>
          stopped sharing {audit} with {member}
        </>
      );
    case 'visibility_changed':
      return (
        <>
          made {audit} {VISIBILITY[text(m, 'to') ?? ''] ?? text(m, 'to')}
        </>
      );
    case 'member_invited':
      return (
        <>
          invited {text(m, 'email') ?? 'someone'} as {role('role')}
        </>
      );
    case 'member_joined':
      return <>joined the organization</>;
    case 'member_removed':
      return <>removed {member} from the organization</>;
    case 'role_changed':
      return (
        <>
          made {member} {role('to')}
        </>
      );
    default:
      return (
        <>
          {a.action.replace(/_/g, ' ')}
          {a.auditId ? <> · {audit}</> : null}
        </>
      );
  }
}

/** An event as a list item: actor, what happened, when. `linkAudit`: name the audit as a link to it. */
export function ActivityLine({ activity: a, linkAudit }: { activity: Activity; linkAudit: boolean }) {
  const audit = !a.auditId ? (
    'the audit'
  ) : linkAudit ? (
    <Link to={`/audits/${a.auditId}`}>{a.auditName ?? 'the audit'}</Link>
  ) : (
    'this audit'
  );
  return (
    <li>
      {a.user?.name ?? 'StackAudit'} · {activitySentence(a, audit)}{' '}
      <small className="muted">{a.createdAt ? new Date(a.createdAt).toLocaleString() : ''}</small>
    </li>
  );
}
