/** Billing (/api/billing): the plan and its subscription; Stripe Checkout and the billing portal. */
import { useMutation, useQuery } from '@tanstack/react-query';

import { api } from './client';
import type { BillingView, StripeRedirect } from './types';

export const billingKeys = {
  billing: () => ['billing'] as const,
};

/**
 * The plan, usage and the plans on offer. `afterCheckout`: back from a paid Checkout, the
 * webhook may take a moment, so it is asked again every three seconds to show the new plan.
 */
export function useBilling({ afterCheckout }: { afterCheckout: boolean }) {
  return useQuery({
    queryKey: billingKeys.billing(),
    queryFn: () => api<BillingView>('GET', '/api/billing'),
    refetchInterval: afterCheckout ? 3000 : false,
  });
}

/** Checkout (for a plan) and the portal are Stripe's pages: the browser goes to the one the server opened. */
export function useGoToStripe() {
  return useMutation({
    mutationFn: (target: { plan: string } | 'portal') =>
      target === 'portal'
        ? api<StripeRedirect>('POST', '/api/billing/portal')
        : api<StripeRedirect>('POST', '/api/billing/checkout', target),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}
