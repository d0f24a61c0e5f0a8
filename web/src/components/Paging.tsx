/** The button that reads the next page of a cursor-paginated list (api/paging.ts). */
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';

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
