/** What happened in the organization lately (the weekly digest links here): audits the caller may see. */
import { useOrganizationActivity } from '../api/collaboration';
import { ActivityLine } from '../components/collaboration/ActivityLine';
import { LoadMore } from '../components/Paging';
import { ErrorNotice, Loading } from '../components/Status';

export default function Activity() {
  const activity = useOrganizationActivity();
  if (activity.isPending) return <Loading what="Loading activity" />;
  if (activity.isError) return <ErrorNotice error={activity.error} />;
  const items = activity.data.pages.flatMap((page) => page.items);
  return (
    <section aria-labelledby="activity-page-heading">
      <h1 id="activity-page-heading">Activity</h1>
      {items.length === 0 ? (
        <p className="muted">Nothing has happened yet.</p>
      ) : (
        <ul>
          {items.map((a) => (
            <ActivityLine key={a.id} activity={a} linkAudit />
          ))}
        </ul>
      )}
      <LoadMore pages={activity} label="Older activity" />
    </section>
  );
}
