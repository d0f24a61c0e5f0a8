import { lazy, Suspense, type FormEvent, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';

import { ApiError } from './api/client';
import { useUnreadCount } from './api/notifications';
import { useCorrectEmail, useLogout, useResendVerification, useSession, type Me, type Session } from './api/session';
import { Field } from './components/Field';
import { ErrorNotice, Loading } from './components/Status';
import { formText } from './format';
import { Dashboard } from './pages/Dashboard';
import { Landing } from './pages/Landing';

// The heavier pages load when first opened (code splitting keeps the first load small).
const AuditEditor = lazy(() => import('./pages/AuditEditor'));
const AuditDetail = lazy(() => import('./pages/AuditDetail'));
const SharedView = lazy(() => import('./pages/SharedView'));
const Team = lazy(() => import('./pages/Team'));
const Spend = lazy(() => import('./pages/Spend'));
const Profile = lazy(() => import('./pages/Profile'));
const AcceptInvite = lazy(() => import('./pages/AcceptInvite'));
const Settings = lazy(() => import('./pages/Settings'));
const Notifications = lazy(() => import('./pages/Notifications'));
const Activity = lazy(() => import('./pages/Activity'));
const Renewals = lazy(() => import('./pages/Renewals'));
const Usage = lazy(() => import('./pages/Usage'));
const VerifyEmail = lazy(() => import('./pages/VerifyEmail'));
const ResetPassword = lazy(() => import('./pages/ResetPassword'));

/** "Send the link again", for an unverified email: the banner and the waiting page use it. */
function ResendVerification({ email }: { email: string }) {
  const resend = useResendVerification();
  if (resend.isSuccess) return <span role="status">{resend.data.message}</span>;
  return (
    <>
      <button
        type="button"
        className="link"
        onClick={() => resend.mutate()}
        aria-busy={resend.isPending}
        disabled={resend.isPending}
      >
        Send the link to {email} again
      </button>
      {resend.error && (
        <span role="alert" className="field-error">
          {' '}
          {resend.error.message}
        </span>
      )}
    </>
  );
}

/** A quiet reminder while the email address is not verified. */
function VerifyBanner({ email }: { email: string }) {
  return (
    <aside className="notice" aria-label="Email verification">
      Confirm your email address with the link we sent you. <ResendVerification email={email} />
    </aside>
  );
}

/**
 * An account logged in without an organization: one waiting to join the organization that
 * claims its email domain (it joins when the email is verified), or a removed member.
 */
function WithoutOrganization({ session }: { session: Session }) {
  const logout = useLogoutHome();
  const { user } = session;
  return (
    <main className="container">
      <h1>{user.domainJoinPending ? 'Check your email' : 'You are not in an organization'}</h1>
      {user.domainJoinPending ? (
        <>
          <p>
            We sent a link to <strong>{user.email}</strong>. Your email&apos;s domain belongs to an organization on
            StackAudit: open the link to confirm your address, and you join it.
          </p>
          <p>
            <ResendVerification email={user.email} />
          </p>
          <CorrectEmail />
        </>
      ) : (
        <p>
          Your account ({user.email}) does not belong to an organization. Ask an admin of your organization for an
          invite, and open its link while logged in.
        </p>
      )}
      <button type="button" className="secondary outline" onClick={() => logout.mutate()} disabled={logout.isPending}>
        Log out
      </button>
    </main>
  );
}

/** A mistyped address at signup: the link went nowhere. The address that is confirmed decides what is joined. */
function CorrectEmail() {
  const change = useCorrectEmail();
  const errors = change.error instanceof ApiError ? change.error.fieldErrors : {};
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    change.mutate({ email: formText(data, 'email'), currentPassword: formText(data, 'currentPassword') });
  };
  return (
    <details>
      <summary>Wrong address?</summary>
      <form onSubmit={submit} aria-label="Correct your email address">
        <Field label="Your email address" error={errors.email}>
          <input name="email" type="email" autoComplete="email" required />
        </Field>
        <Field label="Your password" error={errors.currentPassword}>
          <input name="currentPassword" type="password" autoComplete="current-password" required />
        </Field>
        {change.error && !Object.keys(errors).length && (
          <p role="alert" className="field-error">
            {change.error.message}
          </p>
        )}
        <button type="submit" aria-busy={change.isPending} disabled={change.isPending}>
          Send the link there
        </button>
      </form>
    </details>
  );
}

/** Logging out ends on the landing page. */
function useLogoutHome() {
  const navigate = useNavigate();
  return useLogout(() => navigate('/'));
}

/** The unread count in the header, refreshed every half minute and when the window regains focus. */
function NotificationsLink() {
  const unread = useUnreadCount();
  const count = unread.data ?? 0;
  return (
    <NavLink to="/notifications" aria-label={count > 0 ? `Notifications, ${count} unread` : 'Notifications'}>
      <svg
        aria-hidden="true"
        width="20"
        height="20"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {count > 0 && <span className="badge">{count > 99 ? '99+' : count}</span>}
    </NavLink>
  );
}

function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const logout = useLogoutHome();
  return (
    <div className="container">
      {!me.user.emailVerified && <VerifyBanner email={me.user.email} />}
      <header className="app">
        <strong>
          <Link to="/dashboard">StackAudit</Link>
        </strong>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/dashboard">Dashboard</NavLink>
            </li>
            {me.user.role !== 'viewer' && (
              <li>
                <NavLink to="/audits/new">New audit</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/spend">Spend</NavLink>
            </li>
            <li>
              <NavLink to="/renewals">Renewals</NavLink>
            </li>
            <li>
              <NavLink to="/usage">Usage</NavLink>
            </li>
            <li>
              <NavLink to="/activity">Activity</NavLink>
            </li>
            <li>
              <NavLink to="/team">Team</NavLink>
            </li>
            <li>
              <NavLink to="/settings">Settings</NavLink>
            </li>
          </ul>
        </nav>
        <span className="muted">
          <NotificationsLink /> <Link to="/profile">{me.user.name ?? me.user.email}</Link> · {me.organization.name}{' '}
          <button
            type="button"
            className="secondary outline"
            onClick={() => logout.mutate()}
            disabled={logout.isPending}
          >
            Log out
          </button>
        </span>
      </header>
      <main>
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </main>
    </div>
  );
}

/** A page outside the logged-in shell (public link, invite), loaded on demand. */
const pageLoading = (
  <main className="container">
    <Loading />
  </main>
);
const standalone = (page: ReactNode) => <Suspense fallback={pageLoading}>{page}</Suspense>;

export function App() {
  const session = useSession();
  if (session.isPending) return pageLoading;
  if (session.isError)
    return (
      <main className="container">
        <ErrorNotice error={session.error} />
      </main>
    );
  const account = session.data;
  const user = account?.organization ? (account as Me) : null;
  const guard = (page: ReactNode) => {
    if (user) return <Shell me={user}>{page}</Shell>;
    if (account) return <WithoutOrganization session={account} />;
    return <Navigate to="/" replace />;
  };
  return (
    <Routes>
      <Route path="/" element={account ? <Navigate to="/dashboard" replace /> : <Landing />} />
      <Route path="/dashboard" element={guard(<Dashboard me={user!} />)} />
      <Route
        path="/audits/new"
        element={guard(
          user?.user.role === 'viewer' ? (
            <ErrorNotice error={new Error('Viewers read and comment on audits; an admin or member creates them.')} />
          ) : (
            <AuditEditor />
          ),
        )}
      />
      <Route path="/audits/:id" element={guard(<AuditDetail />)} />
      <Route path="/audits/:id/edit" element={guard(<AuditEditor />)} />
      <Route path="/settings" element={guard(<Settings me={user!} tab="organization" />)} />
      <Route path="/settings/billing" element={guard(<Settings me={user!} tab="billing" />)} />
      <Route path="/settings/integrations" element={guard(<Settings me={user!} tab="integrations" />)} />
      <Route path="/notifications" element={guard(<Notifications />)} />
      <Route path="/activity" element={guard(<Activity />)} />
      <Route path="/renewals" element={guard(<Renewals />)} />
      <Route path="/usage" element={guard(<Usage />)} />
      <Route path="/team" element={guard(<Team me={user!} />)} />
      <Route path="/spend" element={guard(<Spend me={user!} />)} />
      <Route path="/profile" element={guard(<Profile me={user!} />)} />
      <Route
        path="/invite/:token"
        element={user ? <Navigate to="/dashboard" replace /> : standalone(<AcceptInvite session={account ?? null} />)}
      />
      <Route path="/verify-email/:token" element={standalone(<VerifyEmail />)} />
      <Route path="/reset-password/:token" element={standalone(<ResetPassword />)} />
      <Route path="/shared/:token" element={standalone(<SharedView />)} />
      <Route
        path="*"
        element={
          <main className="container">
            <h1>Not found</h1>
            <Link to="/">Home</Link>
          </main>
        }
      />
    </Routes>
  );
}
