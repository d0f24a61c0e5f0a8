import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';

import type { Me } from '../api/session';
import { ErrorNotice, Loading } from '../components/Status';
import { api, ApiError } from '../api/client';
import type { NotificationPreferences as Preferences } from '../api/types';
import { formText } from '../format';
import { Field } from '../components/Field';
import { NewPasswordField } from '../components/NewPasswordField';

const LABELS: Record<keyof Preferences, string> = {
  emailComments: 'Email me about comments on my audits',
  emailMentions: 'Email me when someone mentions me',
  emailShares: 'Email me when an audit is shared with me',
  emailWeeklyDigest: 'Send me the weekly digest',
  inAppComments: 'Notify me in the app about comments',
  inAppMentions: 'Notify me in the app about mentions',
};

/** Your name, your password, and which notifications you get. */
export default function Profile({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const preferences = useQuery({
    queryKey: ['preferences'],
    queryFn: () => api<Preferences>('GET', '/api/me/notification-preferences'),
  });
  const save = useMutation({
    mutationFn: (change: Partial<Preferences>) => api<Preferences>('PUT', '/api/me/notification-preferences', change),
    onSuccess: (saved) => queryClient.setQueryData(['preferences'], saved),
  });
  // The switch moves at once, in the click's own render (an update made in the mutation's
  // onMutate lands a tick later, after React has put the controlled box back); it moves
  // back if the server refuses.
  const toggle = (change: Partial<Preferences>) => {
    const before = queryClient.getQueryData<Preferences>(['preferences']);
    if (before) queryClient.setQueryData(['preferences'], { ...before, ...change });
    save.mutate(change, { onError: () => before && queryClient.setQueryData(['preferences'], before) });
  };
  const password = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api('PATCH', '/api/auth/me', body),
  });
  const errors = password.error instanceof ApiError ? password.error.fieldErrors : {};
  const changePassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    password.mutate({ currentPassword: formText(data, 'currentPassword'), newPassword: formText(data, 'newPassword') });
  };
  return (
    <section>
      <h1>Profile</h1>
      <p>
        {me.user.name} · {me.user.email} · {me.user.role} of {me.organization.name}
      </p>
      <h2>Notifications</h2>
      {preferences.isPending && <Loading />}
      {preferences.isError && <ErrorNotice error={preferences.error} />}
      {save.error && <ErrorNotice error={save.error} />}
      {preferences.data && (
        <fieldset>
          {(Object.keys(LABELS) as (keyof Preferences)[]).map((key) => (
            <label key={key}>
              <input
                type="checkbox"
                role="switch"
                checked={preferences.data[key]}
                onChange={(e) => toggle({ [key]: e.target.checked })}
              />
              {LABELS[key]}
            </label>
          ))}
        </fieldset>
      )}
      <h2>Password</h2>
      <form onSubmit={changePassword} aria-label="Change your password">
        <Field label="Current password" error={errors.currentPassword}>
          <input name="currentPassword" type="password" autoComplete="current-password" required />
        </Field>
        <NewPasswordField label="New password" name="newPassword" error={errors.newPassword} />
        {password.error && !Object.keys(errors).length && <p className="field-error">{password.error.message}</p>}
        {password.isSuccess && <p role="status">Password changed; your other sessions were signed out.</p>}
        <button type="submit" aria-busy={password.isPending} disabled={password.isPending}>
          Change the password
        </button>
      </form>
    </section>
  );
}
