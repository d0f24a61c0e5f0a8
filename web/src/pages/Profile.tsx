import { useState, type FormEvent } from 'react';

import { ApiError } from '../api/client';
import { useChangeNotificationPreferences, useNotificationPreferences } from '../api/notifications';
import { useChangePassword, type Me } from '../api/session';
import type { NotificationPreferences as Preferences } from '../api/types';
import { Field } from '../components/Field';
import { NewPasswordField } from '../components/NewPasswordField';
import { ErrorNotice, Loading } from '../components/Status';
import { formText } from '../format';

const LABELS: Record<keyof Preferences, string> = {
  emailComments: 'Email me about comments on my audits',
  emailMentions: 'Email me when someone mentions me',
  emailShares: 'Email me when an audit is shared with me',
  emailWeeklyDigest: 'Send me the weekly digest',
  emailRenewalReminders: 'Remind me of renewals of tools I own (and, as an admin, of every tool)',
  inAppComments: 'Notify me in the app about comments',
  inAppMentions: 'Notify me in the app about mentions',
};

/** Your name, your password, and which notifications you get. */
export default function Profile({ me }: { me: Me }) {
  const preferences = useNotificationPreferences();
  // The switch moves at once, in the click's own render, and holds until the server answers:
  // then the saved preferences show (moved back if it refused). The page keeps the moved
  // switches itself because the query cache tells its observers of a change a tick after the
  // click, and React puts a controlled input back to its value when the click's handler returns.
  const { change, error: saveError } = useChangeNotificationPreferences();
  const [moved, setMoved] = useState<Partial<Preferences>>({});
  const toggle = (key: keyof Preferences, checked: boolean) => {
    setMoved((m) => ({ ...m, [key]: checked }));
    change({ [key]: checked }, () =>
      setMoved((m) => {
        const rest = { ...m };
        if (rest[key] === checked) delete rest[key];
        return rest;
      }),
    );
  };
  const password = useChangePassword();
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
      {saveError && <ErrorNotice error={saveError} />}
      {preferences.data && (
        <fieldset>
          {(Object.keys(LABELS) as (keyof Preferences)[]).map((key) => (
            <label key={key}>
              <input
                type="checkbox"
                role="switch"
                checked={moved[key] ?? preferences.data[key]}
                onChange={(e) => toggle(key, e.target.checked)}
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
