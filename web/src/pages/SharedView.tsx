import { useParams } from 'react-router';

import { useSharedAudit } from '../api/collaboration';
import { AnalysisView } from '../components/AnalysisView';
import { ReportLinks } from '../components/ReportLinks';
import { ErrorNotice, Loading } from '../components/Status';

/** A public audit, read-only, for anyone with the link (no login). */
export default function SharedView() {
  const { token } = useParams();
  const shared = useSharedAudit(token);
  return (
    <main className="container">
      <header className="app">
        <strong>StackAudit</strong>
        <span className="muted">A shared, read-only audit</span>
      </header>
      {shared.isPending && <Loading what="Loading the shared audit" />}
      {shared.isError && (
        <ErrorNotice error={new Error('This link does not lead to a shared audit (it may have been made private).')} />
      )}
      {shared.data && (
        <section>
          <h1>{shared.data.audit.name}</h1>
          {shared.data.analysis !== null && token && (
            <div className="actions">
              <ReportLinks base={`/api/shared/${token}`} />
            </div>
          )}
          <AnalysisView audit={shared.data.audit} analysis={shared.data.analysis} today={shared.data.today} />
        </section>
      )}
    </main>
  );
}
