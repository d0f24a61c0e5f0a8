/** An invite's state as a person sees it. Pure: no I/O. */

export type InviteState = 'pending' | 'accepted' | 'revoked' | 'expired';

/** An invite's status as a person sees it: a pending invite past its expiry is expired. */
export function inviteState(invite: { status: string | null; expiresAt: Date }, now = new Date()): InviteState {
  if (invite.status === 'pending' && invite.expiresAt <= now) return 'expired';
  return (invite.status ?? 'pending') as InviteState;
}
