/**
 * Working together on an audit: comments and their reactions, mentions, the activity, who
 * can see it (visibility, the public link, per-person shares) and the public view.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from './client';
import { useCursorPages } from './paging';
import type {
  Activity,
  Comment,
  CursorPage,
  Items,
  Permission,
  Person,
  Reaction,
  SharedAudit,
  ShareState,
  UserShare,
} from './types';

export const collaborationKeys = {
  comments: (auditId: string) => ['comments', auditId] as const,
  activity: (auditId: string) => ['activity', auditId] as const,
  /** Everything the caller may see happen in the organization. */
  organizationActivity: () => ['activity'] as const,
  mentionable: (auditId: string, search: string | undefined) => ['mentionable', auditId, search] as const,
  share: (auditId: string) => ['share', auditId] as const,
  userShares: (auditId: string) => ['user-shares', auditId] as const,
  shared: (token: string | undefined) => ['shared', token] as const,
};

/** An audit's comment threads (the first hundred). */
export function useComments(auditId: string) {
  return useQuery({
    queryKey: collaborationKeys.comments(auditId),
    queryFn: () => api<CursorPage<Comment>>('GET', `/api/audits/${auditId}/comments?limit=100`),
  });
}

/**
 * Posts a comment, or a reply to `parentId`. `onPosted` runs as soon as it is saved; the
 * thread and the activity are then fetched again.
 */
export function usePostComment(auditId: string, parentId: string | undefined, { onPosted }: { onPosted: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (content: string) =>
      api('POST', `/api/audits/${auditId}/comments`, { content, ...(parentId ? { parentId } : {}) }),
    onSuccess: async () => {
      onPosted();
      await queryClient.invalidateQueries({ queryKey: collaborationKeys.comments(auditId) });
      await queryClient.invalidateQueries({ queryKey: collaborationKeys.activity(auditId) });
    },
  });
}

/** A change to a comment of the audit: the thread is fetched again once it is made. */
function useCommentChange<Variables = void>(auditId: string, mutationFn: (variables: Variables) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: collaborationKeys.comments(auditId) }),
  });
}

/** Adds the caller's reaction to a comment, or takes it back if they had reacted so. */
export function useToggleReaction(auditId: string, commentId: string) {
  return useCommentChange(auditId, (r: Reaction) =>
    r.reactedByMe
      ? api('DELETE', `/api/comments/${commentId}/reactions/${encodeURIComponent(r.reaction)}`)
      : api('POST', `/api/comments/${commentId}/reactions`, { reaction: r.reaction }),
  );
}

export function useDeleteComment(auditId: string, commentId: string) {
  return useCommentChange(auditId, () => api('DELETE', `/api/comments/${commentId}`));
}

/** People who can see the audit whose name or email starts with `search` (none asked while it is undefined). */
export function useMentionable(auditId: string, search: string | undefined) {
  return useQuery({
    queryKey: collaborationKeys.mentionable(auditId, search),
    queryFn: () =>
      api<Items<Person>>('GET', `/api/audits/${auditId}/mentionable?q=${encodeURIComponent(search ?? '')}`),
    enabled: search !== undefined,
  });
}

/** What happened to the audit lately (the last twenty). */
export function useActivity(auditId: string) {
  return useQuery({
    queryKey: collaborationKeys.activity(auditId),
    queryFn: () => api<Items<Activity>>('GET', `/api/activity?auditId=${auditId}&limit=20`),
  });
}

/** What happened in the organization, newest first, a page at a time (the audits the caller may see). */
export function useOrganizationActivity() {
  return useCursorPages<CursorPage<Activity>>(collaborationKeys.organizationActivity(), '/api/activity', {
    limit: '50',
  });
}

/** Who can see the audit, and its public link if it is public. */
export function useShareState(auditId: string) {
  return useQuery({
    queryKey: collaborationKeys.share(auditId),
    queryFn: () => api<ShareState>('GET', `/api/audits/${auditId}/share`),
  });
}

export function useChangeVisibility(auditId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (visibility: ShareState['visibility']) =>
      api<ShareState>('PUT', `/api/audits/${auditId}/share`, { visibility }),
    onSuccess: (state) => queryClient.setQueryData(collaborationKeys.share(auditId), state),
  });
}

export function useUserShares(auditId: string) {
  return useQuery({
    queryKey: collaborationKeys.userShares(auditId),
    queryFn: () => api<Items<UserShare>>('GET', `/api/audits/${auditId}/user-shares`),
  });
}

/** A change to the per-person shares: they are fetched again whether it worked or not. */
function useUserShareChange<Variables = void>(auditId: string, mutationFn: (variables: Variables) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: collaborationKeys.userShares(auditId) }),
  });
}

/** Shares the audit with someone of the organization, or changes their permission. */
export function useShareWithUser(auditId: string) {
  return useUserShareChange(auditId, (body: { userId: string; permission: Permission }) =>
    api('POST', `/api/audits/${auditId}/user-shares`, body),
  );
}

export function useStopSharingWithUser(auditId: string) {
  return useUserShareChange(auditId, (userId: string) => api('DELETE', `/api/audits/${auditId}/user-shares/${userId}`));
}

/** A public audit by its link's token (no login). */
export function useSharedAudit(token: string | undefined) {
  return useQuery({
    queryKey: collaborationKeys.shared(token),
    queryFn: () => api<SharedAudit>('GET', `/api/shared/${token}`),
  });
}
