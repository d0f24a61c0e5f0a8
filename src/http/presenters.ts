/** Rows and service results as the contract's JSON: never a password hash, token hash or Stripe secret. */
import type { User } from '../repositories/user.repository.js';
import type { TeamInvite } from '../repositories/team-invite.repository.js';
import type { OrganizationView } from '../services/organization.service.js';
import { inviteState } from '../domain/invites.js';
import type { OrganizationJson, UserJson } from './schemas.js';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function presentUser(user: User): UserJson {
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

export function presentOrganization(view: OrganizationView): OrganizationJson {
  const { organization } = view;
  return {
    id: organization.id,
    name: organization.name,
    plan: organization.plan ?? 'free',
    settings: view.settings,
    limits: view.limits,
    usage: view.usage,
    createdAt: iso(organization.createdAt),
    updatedAt: iso(organization.updatedAt),
  };
}

export function presentInvite(invite: TeamInvite) {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role ?? 'member',
    status: inviteState(invite),
    expiresAt: invite.expiresAt.toISOString(),
    createdAt: iso(invite.createdAt),
  };
}
