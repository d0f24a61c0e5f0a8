/** A page of a list and how to ask for the next one (cursor pagination: repositories/pagination.ts). */
export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
