import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';

import { api, type Organization, type User } from './api';
import type { NotificationPage } from './pages/Notifications';
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

export interface Me {
  user: User;
  organization: Organization;
}

/** The logged-in user, or null. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      const session = await api<{ user: User | null; organization: Organization | null }>('GET', '/api/auth/session');
      return session.user && session.organization ? { user: session.user, organization: session.organization } : null;
    },
  });
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p aria-busy="true">{what}…</p>;
}

export function ErrorNotice({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <article role="alert">
      <strong>Something went wrong.</strong> {message}
    </article>
  );
}

/** The unread count in the header, refreshed every half minute and when the window regains focus. */
function NotificationsLink() {
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api<NotificationPage>('GET', '/api/me/notifications?limit=1'),
    select: (page) => page.unreadCount,
    refetchInterval: 30_000,
  });
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
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation({
    mutationFn: () => api('POST', '/api/auth/logout'),
    onSettled: async () => {
      queryClient.clear();
      await navigate('/');
    },
  });
  return (
    <div className="container">
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
  const me = useMe();
  if (me.isPending) return pageLoading;
  if (me.isError)
    return (
      <main className="container">
        <ErrorNotice error={me.error} />
      </main>
    );
  const user = me.data;
  const guard = (page: ReactNode) => (user ? <Shell me={user}>{page}</Shell> : <Navigate to="/" replace />);
  return (
    <Routes>
      <Route path="/" element={user ? <Navigate to="/dashboard" replace /> : <Landing />} />
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
      <Route path="/team" element={guard(<Team me={user!} />)} />
      <Route path="/spend" element={guard(<Spend me={user!} />)} />
      <Route path="/profile" element={guard(<Profile me={user!} />)} />
      <Route
        path="/invite/:token"
        element={user ? <Navigate to="/dashboard" replace /> : standalone(<AcceptInvite />)}
      />
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
