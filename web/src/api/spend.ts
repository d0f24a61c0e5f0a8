/**
 * Real spend (/api/tool-costs): statement imports, cost lines, the summary by month and by
 * tool, and the exchange rates it converts with (/api/organization/exchange-rates).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, postCsv } from './client';
import { useCursorPages } from './paging';
import { savingsKeys } from './savings';
import type { ColumnMapping, CursorPage, ExchangeRates, SpendSummary, StatementImport, ToolCost } from './types';

export const spendKeys = {
  summary: () => ['spend-summary'] as const,
  /** Every list of cost lines, whatever its source. */
  costLines: () => ['tool-costs'] as const,
  costLinesFrom: (source: string) => ['tool-costs', source] as const,
  /** Charges waiting for a decision (software or not). */
  unreviewed: () => ['tool-costs', 'unreviewed'] as const,
  rates: () => ['rates'] as const,
};

export function useSpendSummary() {
  return useQuery({
    queryKey: spendKeys.summary(),
    queryFn: () => api<SpendSummary>('GET', '/api/tool-costs/summary'),
  });
}

/** Cost lines, newest first, 25 a page; from one source, or all when `source` is ''. */
export function useCostLines(source: string) {
  return useCursorPages<CursorPage<ToolCost>>(
    spendKeys.costLinesFrom(source),
    '/api/tool-costs',
    source ? { limit: '25', source } : { limit: '25' },
  );
}

/** Charges nobody recognised yet, newest first, 25 a page: the review screen. */
export function useUnreviewedCharges() {
  return useCursorPages<CursorPage<ToolCost>>(spendKeys.unreviewed(), '/api/tool-costs', {
    limit: '25',
    review: 'unreviewed',
  });
}

/**
 * After a change to the lines: the lists (unreviewed ones too), the summary and the savings
 * seen in the books (which read the same lines) are fetched again.
 */
async function refetchSpend(queryClient: ReturnType<typeof useQueryClient>) {
  await queryClient.invalidateQueries({ queryKey: spendKeys.costLines() });
  await queryClient.invalidateQueries({ queryKey: spendKeys.summary() });
  await queryClient.invalidateQueries({ queryKey: savingsKeys.all() });
}

/**
 * A decision on an unreviewed charge: software (as which tool) or not. It covers every
 * charge of the same merchant, now and in later imports.
 */
export function useReviewCharge() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; decision: 'software' | 'not_software'; toolName?: string }) =>
      api<{ decided: number; merchantKey: string }>('POST', `/api/tool-costs/${id}/review`, body),
    onSuccess: () => refetchSpend(queryClient),
  });
}

/** A cost line corrected (tool, amount, …). */
export function useUpdateCost() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; toolName?: string; amount?: number }) =>
      api<{ toolCost: ToolCost }>('PATCH', `/api/tool-costs/${id}`, body),
    onSuccess: () => refetchSpend(queryClient),
  });
}

/** A cost line deleted. */
export function useDeleteCost() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/tool-costs/${id}`),
    onSuccess: () => refetchSpend(queryClient),
  });
}

/** A cost line added by hand; the lines and the summary are fetched again. */
export function useAddCost() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => api('POST', '/api/tool-costs', body),
    onSuccess: () => refetchSpend(queryClient),
  });
}

/**
 * Imports a statement (CSV), read by its header row or by `mapping`. `onImported` gets what
 * was recognised as soon as it is in; the summary and the lines are then fetched again.
 */
export function useImportStatement({ onImported }: { onImported: (answer: StatementImport) => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ csv, mapping }: { csv: string; mapping?: ColumnMapping }) =>
      postCsv<StatementImport>(
        `/api/tool-costs/import${mapping ? `?mapping=${encodeURIComponent(JSON.stringify(mapping))}` : ''}`,
        csv,
      ),
    onSuccess: async (answer) => {
      onImported(answer);
      await queryClient.invalidateQueries({ queryKey: spendKeys.summary() });
      await queryClient.invalidateQueries({ queryKey: spendKeys.costLines() });
    },
  });
}

export function useExchangeRates() {
  return useQuery({
    queryKey: spendKeys.rates(),
    queryFn: () => api<ExchangeRates>('GET', '/api/organization/exchange-rates'),
  });
}

/**
 * Replaces the rates with a new list (admins). `onSaved` runs as soon as they are saved; the
 * summary, which converts with them, is then fetched again.
 */
export function useSaveExchangeRates({ onSaved }: { onSaved: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => api<ExchangeRates>('PUT', '/api/organization/exchange-rates', body),
    onSuccess: async (answer) => {
      queryClient.setQueryData(spendKeys.rates(), answer);
      onSaved();
      await queryClient.invalidateQueries({ queryKey: spendKeys.summary() });
    },
  });
}
