/**
 * Savings verified later (/api/savings, /api/audits/:id/acceptances): recommendations
 * accepted, and what the books show for them.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from './client';
import type { Acceptance, Savings } from './types';

export const savingsKeys = {
  /** Every list of acceptances: the organization's and each audit's. */
  all: () => ['savings'] as const,
  organization: () => ['savings', 'organization'] as const,
  audit: (auditId: string) => ['savings', 'audit', auditId] as const,
};

/** The organization's accepted recommendations and the totals: expected against seen. */
export function useSavings() {
  return useQuery({ queryKey: savingsKeys.organization(), queryFn: () => api<Savings>('GET', '/api/savings') });
}

/** The audit's accepted recommendations, each with what the books show. */
export function useAuditAcceptances(auditId: string | undefined) {
  return useQuery({
    queryKey: savingsKeys.audit(auditId ?? ''),
    queryFn: () => api<Savings>('GET', `/api/audits/${auditId}/acceptances`),
    enabled: auditId !== undefined,
  });
}

/** Accept a recommendation (by its type and tools), or withdraw an acceptance. */
export function useDecideRecommendation(auditId: string) {
  const queryClient = useQueryClient();
  const refetch = () => queryClient.invalidateQueries({ queryKey: savingsKeys.all() });
  const accept = useMutation({
    mutationFn: (which: { type: string; tools: string[] }) =>
      api<{ acceptance: Acceptance }>('POST', `/api/audits/${auditId}/acceptances`, which),
    onSuccess: refetch,
  });
  const withdraw = useMutation({
    mutationFn: (acceptanceId: string) => api('DELETE', `/api/audits/${auditId}/acceptances/${acceptanceId}`),
    onSuccess: refetch,
  });
  return { accept, withdraw };
}
