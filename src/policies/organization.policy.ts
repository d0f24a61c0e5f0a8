/**
 * Who may do what inside an organization, by role (../shared/API.md "Roles"):
 * admin — everything; member — create audits, manage their own; viewer — read and comment.
 */
import { ForbiddenError } from '../errors.js';

/** Who asks, as far as these rules care (an Actor is one): a leaf needs no type from services. */
export interface Caller {
  user: { role: string | null };
}

export type Role = 'admin' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'member', 'viewer'];

export function isAdmin(actor: Caller): boolean {
  return actor.user.role === 'admin';
}

/** Throws 403 unless the actor is an admin of their organization. */
export function requireAdmin(actor: Caller): void {
  if (!isAdmin(actor)) throw new ForbiddenError('Only an admin of the organization can do this.');
}

/** Admins and members create audits and import spend; viewers only read and comment. */
export function requireCreator(actor: Caller): void {
  if (actor.user.role !== 'admin' && actor.user.role !== 'member') {
    throw new ForbiddenError('Viewers cannot create or change audits.');
  }
}
