/** A user as the contract's JSON: never a password hash. */
import type { UserView } from '../../../services/views.js';
import { iso } from '../../present.js';
import type { UserJson } from './contract.js';

export function presentUser(user: UserView): UserJson {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organizationId: user.organizationId,
    role: user.role ?? 'member',
    plan: user.plan ?? 'free',
    emailVerified: user.emailVerifiedAt !== null,
    domainJoinPending: user.domainJoinPending,
    createdAt: iso(user.createdAt),
    lastLoginAt: iso(user.lastLoginAt),
  };
}
