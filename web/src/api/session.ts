/** The session: who is logged in (GET /api/auth/session), for every page. */
import { useQuery } from '@tanstack/react-query';

import { api } from './client';
import type { Organization, SessionAnswer, User } from './types';

export const sessionKeys = {
  /** The logged-in account: what logging in or out, joining an organization or renaming it changes. */
  session: () => ['me'] as const,
};

/** Whoever is logged in; `organization` is null for an account that belongs to none. */
export interface Session {
  user: User;
  organization: Organization | null;
}

/** A logged-in member of an organization: what the app's pages work for. */
export interface Me extends Session {
  organization: Organization;
}

/** The logged-in account, or null. */
export function useSession() {
  return useQuery({
    queryKey: sessionKeys.session(),
    queryFn: async (): Promise<Session | null> => {
      const session = await api<SessionAnswer>('GET', '/api/auth/session');
      return session.user ? { user: session.user, organization: session.organization } : null;
    },
  });
}

/** The logged-in member of an organization, or null. */
export function useMe() {
  const session = useSession();
  const me = session.data?.organization ? (session.data as Me) : null;
  return { ...session, data: me };
}
