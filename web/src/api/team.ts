/** The team (/api/team): members and their roles, invites, and joining from an invite link (/api/invites). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from './client';
import { sessionKeys } from './session';
import type { Invite, InviteInfo, Items, SentInvite, User } from './types';

export const teamKeys = {
  members: () => ['members'] as const,
  invites: () => ['invites'] as const,
  invite: (token: string | undefined) => ['invite', token] as const,
};

export function useMembers() {
  return useQuery({
    queryKey: teamKeys.members(),
    queryFn: () => api<Items<User>>('GET', '/api/team/members'),
  });
}

/** Pending invites (admins only: not asked while `enabled` is false). */
export function useInvites({ enabled }: { enabled: boolean }) {
  return useQuery({
    queryKey: teamKeys.invites(),
    queryFn: () => api<Items<Invite>>('GET', '/api/team/invites'),
    enabled,
  });
}

/** Invites someone; `onSent` gets the invite (its link is shown once), then the invites are fetched again. */
export function useSendInvite({ onSent }: { onSent: (invite: SentInvite['invite']) => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: string }) => api<SentInvite>('POST', '/api/team/invites', body),
    onSuccess: async ({ invite }) => {
      onSent(invite);
      await queryClient.invalidateQueries({ queryKey: teamKeys.invites() });
    },
  });
}

export function useRevokeInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/team/invites/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.invites() }),
  });
}

/** A change to the members: they are fetched again whether it worked or not. */
function useMembersChange<Variables = void>(
  mutationFn: (variables: Variables) => Promise<unknown>,
  onSuccess?: () => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess,
    onSettled: () => queryClient.invalidateQueries({ queryKey: teamKeys.members() }),
  });
}

export function useChangeRole() {
  return useMembersChange(({ userId, role }: { userId: string; role: string }) =>
    api('PATCH', `/api/team/members/${userId}`, { role }),
  );
}

/** Removes someone from the organization (their sessions end); `onRemoved` runs before the members are fetched again. */
export function useRemoveMember({ onRemoved }: { onRemoved: () => void }) {
  return useMembersChange((userId: string) => api('DELETE', `/api/team/members/${userId}`), onRemoved);
}

/** What an invite link offers, for whoever holds it (logged in or not). */
export function useInviteInfo(token: string | undefined) {
  return useQuery({
    queryKey: teamKeys.invite(token),
    queryFn: () => api<InviteInfo>('GET', `/api/invites/${token}`),
  });
}

/**
 * Accepts an invite: with a name and a password (a new account), or as the logged-in account
 * without an organization (no body). The session is read again, then `onJoined`.
 */
export function useAcceptInvite(token: string | undefined, { onJoined }: { onJoined: () => void | Promise<void> }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body?: { name: string; password: string }) => api('POST', `/api/invites/${token}/accept`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.session() });
      await onJoined();
    },
  });
}
