/**
 * Who may do what inside an organization, by role (../shared/API.md "Roles"):
 * admin — everything; member — create audits, manage their own; viewer — read and comment.
 */
import { ForbiddenError } from '../errors.js';
import type { Actor } from '../services/actor.js';

export type Role = 'admin' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'member', 'viewer'];

export function isAdmin(actor: Actor): boolean {
  return actor.user.role === 'admin';
}

/** Throws 403 unless the actor is an admin of their organization. */
export function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new ForbiddenError('Only an admin of the organization can do this.');
}

/** Admins and members create audits and import spend; viewers only read and comment. */
export function requireCreator(actor: Actor): void {
  if (actor.user.role !== 'admin' && actor.user.role !== 'member') {
    throw new ForbiddenError('Viewers cannot create or change audits.');
  }
}
