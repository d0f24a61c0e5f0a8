/** Integrations (/api/integrations): accounting and payment accounts whose software spend comes into Spend. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from './client';
import type { AppUsage, ConnectAnswer, Integration, Items } from './types';

export const integrationKeys = {
  integrations: () => ['integrations'] as const,
};

/** Every provider and its connection; asked again every two seconds while one syncs. */
export function useIntegrations() {
  return useQuery({
    queryKey: integrationKeys.integrations(),
    queryFn: () => api<Items<Integration>>('GET', '/api/integrations'),
    refetchInterval: (query) => (query.state.data?.items.some((i) => i.status === 'syncing') ? 2000 : false),
  });
}

/**
 * Connects a provider: by OAuth, where the browser goes to the provider's consent page the
 * server answers, or with an API key (Stripe), connected at once.
 */
export function useConnectIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      provider,
      ...credentials
    }: {
      provider: string;
      apiKey?: string;
      orgUrl?: string;
      apiToken?: string;
    }) => api<ConnectAnswer>('POST', `/api/integrations/${provider}/connect`, credentials),
    onSuccess: async (answer) => {
      if (answer.url)
        window.location.assign(answer.url); // the provider's consent page
      else await queryClient.invalidateQueries({ queryKey: integrationKeys.integrations() });
    },
  });
}

/** A change to a connection: the list is fetched again whether it worked or not. */
function useConnectionChange(mutationFn: (provider: string) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: integrationKeys.integrations() }),
  });
}

export function useSyncIntegration() {
  return useConnectionChange((provider) => api('POST', `/api/integrations/${provider}/sync`));
}

/** Apps the identity providers report, with their usage; the others than audits list are discovered. */
export function useAppUsage() {
  return useQuery({
    queryKey: ['usage'] as const,
    queryFn: () => api<Items<AppUsage>>('GET', '/api/usage'),
  });
}

export function useDisconnectIntegration() {
  return useConnectionChange((provider) => api('DELETE', `/api/integrations/${provider}`));
}
