/** An invite as the contract's JSON (never its token). */
import { inviteState } from '../../../domain/invites.js';
import type { InviteView } from '../../../services/views.js';
import { iso } from '../../present.js';

export function presentInvite(invite: InviteView) {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role ?? 'member',
    status: inviteState(invite),
    expiresAt: invite.expiresAt.toISOString(),
    createdAt: iso(invite.createdAt),
  };
}
