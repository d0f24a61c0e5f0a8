/** The organization (/api/organization): its name, settings, plan and usage. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { aiKeys } from './ai';
import { api } from './client';
import { sessionKeys } from './session';
import { spendKeys } from './spend';
import type { OrganizationAnswer } from './types';

export const organizationKeys = {
  organization: () => ['organization'] as const,
};

export function useOrganization() {
  return useQuery({
    queryKey: organizationKeys.organization(),
    queryFn: () => api<OrganizationAnswer>('GET', '/api/organization'),
  });
}

/**
 * Saves the name and settings (admins). `onSaved` runs as soon as they are saved; then the
 * session (the header shows the name, pages read the base currency), the exchange rates
 * (against the base currency) and the AI's status and narratives (AI on or off) are fetched again.
 */
export function useSaveOrganization({ onSaved }: { onSaved: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => api<OrganizationAnswer>('PATCH', '/api/organization', body),
    onSuccess: async (answer) => {
      queryClient.setQueryData(organizationKeys.organization(), answer);
      onSaved();
      await queryClient.invalidateQueries({ queryKey: sessionKeys.session() });
      await queryClient.invalidateQueries({ queryKey: spendKeys.rates() });
      await queryClient.invalidateQueries({ queryKey: aiKeys.all() });
    },
  });
}
