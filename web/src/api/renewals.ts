/** Renewals (/api/renewals) and the organization's calendar feed (/api/organization/calendar-feed). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from './client';
import type { CalendarFeed, Renewals } from './types';

export interface RenewalFilters {
  withinDays?: number;
  source?: 'audit' | 'spend';
  needsNotice?: boolean;
  search?: string;
}

export const renewalKeys = {
  list: (filters: RenewalFilters) => ['renewals', filters] as const,
  feed: () => ['calendar-feed'] as const,
};

function query(filters: RenewalFilters): string {
  const params = new URLSearchParams();
  if (filters.withinDays !== undefined) params.set('withinDays', String(filters.withinDays));
  if (filters.source) params.set('source', filters.source);
  if (filters.needsNotice) params.set('needsNotice', 'true');
  if (filters.search?.trim()) params.set('search', filters.search.trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Upcoming renewals of the latest audit and of connected spend, filtered. */
export function useRenewals(filters: RenewalFilters) {
  return useQuery({
    queryKey: renewalKeys.list(filters),
    queryFn: () => api<Renewals>('GET', `/api/renewals${query(filters)}`),
    placeholderData: (previous) => previous,
  });
}

/** Whether the calendar feed is on (admins); making a new URL shows it once. */
export function useCalendarFeed(enabled: boolean) {
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: renewalKeys.feed(),
    queryFn: () => api<CalendarFeed>('GET', '/api/organization/calendar-feed'),
    enabled,
  });
  const refetch = () => queryClient.invalidateQueries({ queryKey: renewalKeys.feed() });
  const replace = useMutation({
    mutationFn: () => api<CalendarFeed>('POST', '/api/organization/calendar-feed'),
    onSuccess: refetch,
  });
  const remove = useMutation({
    mutationFn: () => api<null>('DELETE', '/api/organization/calendar-feed'),
    onSuccess: () => {
      replace.reset();
      return refetch();
    },
  });
  return { status, replace, remove };
}
