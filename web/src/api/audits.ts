/** Audits (/api/audits) and the tool catalog the editor suggests from. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, postCsv } from './client';
import type {
  Audit,
  AuditDiff,
  AuditListItem,
  AuditView,
  CatalogItem,
  CursorPage,
  Items,
  SavedAudit,
  StackData,
} from './types';

export const auditKeys = {
  /** Every list of audits: a new, changed or deleted audit invalidates them all. The dashboard's list is this key itself. */
  lists: () => ['audits'] as const,
  /** The audits another can be compared with (the audit page). */
  forComparison: () => ['audits', 'for-comparison'] as const,
  detail: (id: string | undefined) => ['audit', id] as const,
  diff: (id: string, against: string | null) => ['diff', id, against] as const,
  catalog: (search: string) => ['catalog', search] as const,
};

/** The newest audits (the dashboard). */
export function useAudits() {
  return useQuery({
    queryKey: auditKeys.lists(),
    queryFn: () => api<CursorPage<AuditListItem>>('GET', '/api/audits?limit=50'),
  });
}

/** The audits the caller can see, newest first, to compare one with. */
export function useAuditsForComparison() {
  return useQuery({
    queryKey: auditKeys.forComparison(),
    queryFn: () => api<Items<AuditListItem>>('GET', '/api/audits?limit=100'),
  });
}

const running = (audit: Audit | undefined) => audit?.status === 'pending' || audit?.status === 'analyzing';

/**
 * An audit with its analysis and the caller's access; none while `id` is undefined. `live`:
 * asked again every second while the analysis runs.
 */
export function useAudit(id: string | undefined, { live = false }: { live?: boolean } = {}) {
  return useQuery({
    queryKey: auditKeys.detail(id),
    queryFn: () => api<AuditView>('GET', `/api/audits/${id}`),
    enabled: id !== undefined,
    refetchInterval: (query) => (live && running(query.state.data?.audit) ? 1000 : false),
  });
}

/** What changed between an audit and another (none while there is no other). */
export function useAuditDiff(id: string, against: string | null) {
  return useQuery({
    queryKey: auditKeys.diff(id, against),
    queryFn: () => api<AuditDiff>('GET', `/api/audits/${id}/diff?against=${against}`),
    enabled: against !== null,
  });
}

/** Catalog tools whose name matches `search`. */
export function useCatalog(search: string) {
  return useQuery({
    queryKey: auditKeys.catalog(search),
    queryFn: () => api<Items<CatalogItem>>('GET', `/api/catalog?q=${encodeURIComponent(search)}`),
    staleTime: 60_000,
  });
}

type OnAudit = (audit: Audit) => void | Promise<void>;

/**
 * Creates an audit, or saves `existing` (which analyses it again). The lists and the audit
 * are fetched again before `onSaved`, so the page it opens shows the saved audit.
 */
export function useSaveAudit(existing: Audit | null, { onSaved }: { onSaved: OnAudit }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; stackData: StackData }) =>
      existing
        ? api<SavedAudit>('PATCH', `/api/audits/${existing.id}`, body)
        : api<SavedAudit>('POST', '/api/audits', body),
    onSuccess: async ({ audit }) => {
      await queryClient.invalidateQueries({ queryKey: auditKeys.lists() });
      await queryClient.invalidateQueries({ queryKey: auditKeys.detail(audit.id) });
      await onSaved(audit);
    },
  });
}

/** A new audit made by the server (from a tool-list CSV, from spend): the lists are fetched again, then `onCreated`. */
function useNewAudit<Variables = void>(
  create: (variables: Variables) => Promise<SavedAudit>,
  { onCreated }: { onCreated: OnAudit },
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: create,
    onSuccess: async ({ audit }) => {
      await queryClient.invalidateQueries({ queryKey: auditKeys.lists() });
      await onCreated(audit);
    },
  });
}

/** An audit from a tool-list CSV; the server checks every row (a 400 names the bad ones). */
export function useImportAuditCsv(then: { onCreated: OnAudit }) {
  return useNewAudit(
    ({ name, csv }: { name: string; csv: string }) =>
      postCsv<SavedAudit>(`/api/audits/import?name=${encodeURIComponent(name)}`, csv),
    then,
  );
}

/** An audit of what was actually paid over the last `months`. */
export function useCreateAuditFromSpend(then: { onCreated: OnAudit }) {
  return useNewAudit(
    (body: { name: string; months: number }) => api<SavedAudit>('POST', '/api/audits/from-spend', body),
    then,
  );
}

/** Runs the analysis again. */
export function useReanalyseAudit(id: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api('POST', `/api/audits/${id}/analyze`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: auditKeys.detail(id) }),
  });
}

/**
 * Deletes an audit: out of the cached lists first (the dashboard reads the newest audit's
 * analysis), then `leave` the page, then the lists are fetched again. The audit's own cached
 * answer is left to expire: removing it while the page may still be mounted would fetch it
 * again (a 404).
 */
export function useDeleteAudit(id: string | undefined, { leave }: { leave: () => void | Promise<void> }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api('DELETE', `/api/audits/${id}`),
    onSuccess: async () => {
      queryClient.setQueriesData<Items<AuditListItem>>({ queryKey: auditKeys.lists() }, (old) =>
        old ? { ...old, items: old.items.filter((a) => a.id !== id) } : old,
      );
      await leave();
      await queryClient.invalidateQueries({ queryKey: auditKeys.lists() });
    },
  });
}
