/** The API's cursor pages (`{items, nextCursor}`), a page at a time, and the button for the next one. */
import { useInfiniteQuery, type QueryKey, type UseInfiniteQueryResult, type InfiniteData } from '@tanstack/react-query';

import { api } from '../api/client';

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

export function LoadMore({ pages, label }: { pages: UseInfiniteQueryResult<InfiniteData<unknown>>; label: string }) {
  if (!pages.hasNextPage) return null;
  return (
    <button
      type="button"
      className="secondary"
      aria-busy={pages.isFetchingNextPage}
      disabled={pages.isFetchingNextPage}
      onClick={() => void pages.fetchNextPage()}
    >
      {label}
    </button>
  );
}
