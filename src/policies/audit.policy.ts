/**
 * Access to one audit (../shared/API.md "Collaboration"): a level, the highest of what
 * applies — an admin of its organization: manage; its owner: manage; otherwise the
 * organization-wide visibility gives comment. A viewer never exceeds comment. (Per-user
 * shares and private/public visibility join this function with the collaboration issue.)
 * Level none answers 404, a lower level than needed 403.
 */
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Audit } from '../repositories/audit.repository.js';
import type { Actor } from '../services/actor.js';

export const ACCESS_LEVELS = ['none', 'view', 'comment', 'edit', 'manage'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

const rank = (level: AccessLevel): number => ACCESS_LEVELS.indexOf(level);

export function accessLevel(actor: Actor, audit: Pick<Audit, 'organizationId' | 'userId'>): AccessLevel {
  if (audit.organizationId !== actor.organization.id) return 'none';
  if (actor.user.role === 'admin') return 'manage';
  if (actor.user.role !== 'viewer' && audit.userId === actor.user.id) return 'manage';
  return 'comment';
}

/** Throws 404 for no access, 403 for too little. */
export function requireLevel(
  actor: Actor,
  audit: Pick<Audit, 'organizationId' | 'userId'>,
  needed: AccessLevel,
): AccessLevel {
  const level = accessLevel(actor, audit);
  if (level === 'none') throw new NotFoundError('audit');
  if (rank(level) < rank(needed)) {
    throw new ForbiddenError(`This needs ${needed} access to the audit; you have ${level}.`);
  }
  return level;
}
