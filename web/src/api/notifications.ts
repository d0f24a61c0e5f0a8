/** The caller's notifications (/api/me/notifications) and which ones they get (/api/me/notification-preferences). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from './client';
import { useCursorPages } from './paging';
import type { NotificationPage, NotificationPreferences } from './types';

export const notificationKeys = {
  /** The unread count and the list: marking read invalidates both. */
  all: () => ['notifications'] as const,
  unread: () => ['notifications', 'unread'] as const,
  list: () => ['notifications', 'list'] as const,
  preferences: () => ['preferences'] as const,
};

/** How many are unread (the header), asked again every half minute. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread(),
    queryFn: () => api<NotificationPage>('GET', '/api/me/notifications?limit=1'),
    select: (page) => page.unreadCount,
    refetchInterval: 30_000,
  });
}

/** Notifications, newest first, 20 a page. */
export function useNotifications() {
  return useCursorPages<NotificationPage>(notificationKeys.list(), '/api/me/notifications', { limit: '20' });
}

/** Marks these notifications read, or all of them without ids. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids?: string[]) => api('POST', '/api/me/notifications/read', ids ? { ids } : {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all() }),
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences(),
    queryFn: () => api<NotificationPreferences>('GET', '/api/me/notification-preferences'),
  });
}

/**
 * `change` saves a change of preferences and shows it at once, in the caller's own render (an
 * update made in the mutation's onMutate lands a tick later, after React has put a controlled
 * switch back); it is undone if the server refuses. `error` is the last refusal.
 */
export function useChangeNotificationPreferences() {
  const queryClient = useQueryClient();
  const key = notificationKeys.preferences();
  const save = useMutation({
    mutationFn: (change: Partial<NotificationPreferences>) =>
      api<NotificationPreferences>('PUT', '/api/me/notification-preferences', change),
    onSuccess: (saved) => queryClient.setQueryData(key, saved),
  });
  /**
   * Saves a change; `settled` runs once the server has answered, whichever way. The switch
   * shows the change until then (the page holds it: the cache tells its observers a tick late).
   */
  const change = (change: Partial<NotificationPreferences>, settled: () => void) => {
    // A read still on its way (the page's first one, a refetch) must not land on top of the change.
    void queryClient.cancelQueries({ queryKey: key });
    save.mutate(change, { onSettled: settled });
  };
  return { change, error: save.error };
}
