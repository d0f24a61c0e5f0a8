/**
 * What an access level to an audit allows (../shared/API.md "Collaboration"): none < view <
 * comment < edit < manage. The level itself is decided in SQL, in one place
 * (repositories/access.repository.ts); this module only compares levels, and says how a
 * refusal answers: level none is a 404 (never reveal that the audit exists), a lower level
 * than needed a 403. A leaf: it imports nothing but the error classes.
 */
import { ForbiddenError, NotFoundError } from '../errors.js';

export const ACCESS_LEVELS = ['none', 'view', 'comment', 'edit', 'manage'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type Visibility = 'private' | 'organization' | 'public';
export type SharePermission = 'view' | 'comment' | 'edit';

const rank = (level: AccessLevel): number => ACCESS_LEVELS.indexOf(level);

export const atLeast = (level: AccessLevel, needed: AccessLevel): boolean => rank(level) >= rank(needed);

/** Throws 404 for no access, 403 for too little; returns the level. */
export function requireLevel(level: AccessLevel, needed: AccessLevel): AccessLevel {
  if (level === 'none') throw new NotFoundError('audit');
  if (!atLeast(level, needed)) throw new ForbiddenError(`This needs ${needed} access to the audit; you have ${level}.`);
  return level;
}
