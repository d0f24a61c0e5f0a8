/**
 * Access to one audit (../shared/API.md "Collaboration"): a level, the highest of what
 * applies — an admin of its organization: manage; its owner: manage; a per-user share:
 * its permission (view, comment, edit); visibility `organization` or `public`: comment for
 * every member and viewer of the organization. A viewer never exceeds comment. `private`
 * grants nothing beyond owner, admins and shares. Level none answers 404, a lower level 403.
 *
 * `visibleAuditCondition` (repositories/audit-access.ts) is the same rule in SQL, for lists.
 */
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Audit } from '../repositories/audit.repository.js';
import type { Actor } from '../services/actor.js';

export const ACCESS_LEVELS = ['none', 'view', 'comment', 'edit', 'manage'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type Visibility = 'private' | 'organization' | 'public';
export type SharePermission = 'view' | 'comment' | 'edit';

/** What decides access besides the audit itself. No audit_shares row means `organization`. */
export interface AuditAccessFacts {
  visibility: Visibility;
  sharePermission: SharePermission | null;
}

/** Who is asking: all the policy needs of a user (an Actor, or any member of the organization). */
export interface Viewer {
  userId: string;
  role: string | null;
  organizationId: string;
}

export const viewerOf = (actor: Actor): Viewer => ({
  userId: actor.user.id,
  role: actor.user.role,
  organizationId: actor.organization.id,
});

const rank = (level: AccessLevel): number => ACCESS_LEVELS.indexOf(level);
const highest = (levels: AccessLevel[]): AccessLevel => levels.reduce((a, b) => (rank(b) > rank(a) ? b : a), 'none');

export function accessLevel(
  viewer: Viewer,
  audit: Pick<Audit, 'organizationId' | 'userId'>,
  facts: AuditAccessFacts,
): AccessLevel {
  if (audit.organizationId !== viewer.organizationId) return 'none';
  const role = viewer.role;
  if (role === 'admin') return 'manage';
  const levels: AccessLevel[] = [];
  if (audit.userId === viewer.userId) levels.push('manage');
  if (facts.sharePermission) levels.push(facts.sharePermission);
  if (facts.visibility !== 'private') levels.push('comment');
  const level = highest(levels);
  return role === 'viewer' && rank(level) > rank('comment') ? 'comment' : level;
}

export const atLeast = (level: AccessLevel, needed: AccessLevel): boolean => rank(level) >= rank(needed);

/** Throws 404 for no access, 403 for too little; returns the level. */
export function requireLevel(
  actor: Actor,
  audit: Pick<Audit, 'organizationId' | 'userId'>,
  facts: AuditAccessFacts,
  needed: AccessLevel,
): AccessLevel {
  const level = accessLevel(viewerOf(actor), audit, facts);
  if (level === 'none') throw new NotFoundError('audit');
  if (!atLeast(level, needed)) throw new ForbiddenError(`This needs ${needed} access to the audit; you have ${level}.`);
  return level;
}
