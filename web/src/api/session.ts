/**
 * The session and the account (/api/auth): who is logged in, for every page; signing up,
 * logging in and out, confirming the email address, resetting and changing the password.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from './client';
import type { CurrentAccount, Message, Organization, SessionAnswer } from './types';

export const sessionKeys = {
  /** The logged-in account: logging in, joining an organization or renaming it changes it. */
  session: () => ['me'] as const,
};

/** Whoever is logged in; `organization` is null for an account that belongs to none. */
export type Session = CurrentAccount;

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

/** Reads the session again once the mutation succeeds (whoever is logged in, or their organization, changed). */
function useSessionChange<Variables = void, Answer = unknown>(mutationFn: (variables: Variables) => Promise<Answer>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.session() }),
  });
}

/** Sign up or log in with the form's fields. */
export function useLogIn(mode: 'signup' | 'login') {
  return useSessionChange((body: Record<string, string>) =>
    api('POST', mode === 'signup' ? '/api/auth/signup' : '/api/auth/login', body),
  );
}

/** Logs out and forgets every cached answer, then `leave` (e.g. to the landing page). */
export function useLogout(leave: () => void | Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api('POST', '/api/auth/logout'),
    onSettled: async () => {
      queryClient.clear();
      await leave();
    },
  });
}

/** "Send the link again", for an unverified email. */
export function useResendVerification() {
  return useMutation({ mutationFn: () => api<Message>('POST', '/api/auth/verify-email/resend') });
}

/** Confirms the email address with the token of its link (logged in as the account it was sent for). */
export function useVerifyEmail(token: string | undefined) {
  return useSessionChange(() => api<Session>('POST', '/api/auth/verify-email', { token }));
}

/** A mistyped address at signup: the link goes to the corrected one. */
export function useCorrectEmail() {
  return useSessionChange((body: { email: string; currentPassword: string }) => api('PATCH', '/api/auth/me', body));
}

/** A new password for the logged-in account (its other sessions end). */
export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api('PATCH', '/api/auth/me', body),
  });
}

/** "Forgot password?": the same answer whether or not the address has an account. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => api<Message>('POST', '/api/auth/password-reset', { email }),
  });
}

/** A new password from a reset link, which logs in: the session is read again, then `onReset`. */
export function useResetPassword(token: string | undefined, { onReset }: { onReset: () => void | Promise<void> }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => api('POST', `/api/auth/password-reset/${token}`, { password }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.session() });
      await onReset();
    },
  });
}
