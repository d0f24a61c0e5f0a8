import { useActivity } from '../../api/collaboration';
import { ErrorNotice, Loading } from '../Status';
import { ActivityLine } from './ActivityLine';

/** What happened to an audit, newest first. */
export function ActivityFeed({ auditId }: { auditId: string }) {
  const activity = useActivity(auditId);
  if (activity.isPending) return <Loading what="Loading activity" />;
  if (activity.isError) return <ErrorNotice error={activity.error} />;
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity</h2>
      {activity.data.items.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ul>
          {activity.data.items.map((a) => (
            <ActivityLine key={a.id} activity={a} linkAudit={false} />
          ))}
        </ul>
      )}
    </section>
  );
}
