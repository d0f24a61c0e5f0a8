/** The API's cursor pages (`{items, nextCursor}`), read a page at a time. */
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

import { api } from './client';

export function useCursorPages<Page extends { nextCursor: string | null }>(
  queryKey: QueryKey,
  path: string,
  params: Record<string, string> = {},
) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams(params);
      if (pageParam) query.set('cursor', pageParam);
      return api<Page>('GET', `${path}?${query.toString()}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
