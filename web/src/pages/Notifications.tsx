import { Link } from 'react-router';

import { useMarkRead, useNotifications } from '../api/notifications';
import { LoadMore } from '../components/Paging';
import { ErrorNotice, Loading } from '../components/Status';

/** In-app notifications, newest first, a page at a time; opening one marks it read. */
export default function Notifications() {
  const pages = useNotifications();
  const markRead = useMarkRead();
  if (pages.isPending) return <Loading what="Loading your notifications" />;
  if (pages.isError) return <ErrorNotice error={pages.error} />;
  const items = pages.data.pages.flatMap((p) => p.items);
  const unread = pages.data.pages[0]?.unreadCount ?? 0;
  return (
    <section>
      <h1>Notifications</h1>
      <p>
        {unread === 0 ? 'All read.' : `${unread} unread.`}{' '}
        {unread > 0 && (
          <button type="button" className="secondary outline" onClick={() => markRead.mutate(undefined)}>
            Mark all read
          </button>
        )}
      </p>
      {items.length === 0 && (
        <p className="muted">
          Nothing yet: you hear here when someone comments on, mentions you in or shares an audit.
        </p>
      )}
      <ul className="plain notifications">
        {items.map((n) => (
          <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
            {!n.readAt && <span className="visually-hidden">Unread: </span>}
            {n.readAt ? n.text : <strong>{n.text}</strong>}{' '}
            <small className="muted">{new Date(n.createdAt).toLocaleString()}</small>{' '}
            {n.auditId && (
              <Link to={`/audits/${n.auditId}`} onClick={() => !n.readAt && markRead.mutate([n.id])}>
                Open the audit
              </Link>
            )}
          </li>
        ))}
      </ul>
      <LoadMore pages={pages} label="Older notifications" />
    </section>
  );
}
