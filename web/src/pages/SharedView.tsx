import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';

import { AnalysisView } from '../components/AnalysisView';
import { ErrorNotice, Loading } from '../components/Status';
import { api } from '../api/client';
import type { SharedAudit } from '../api/types';

/** A public audit, read-only, for anyone with the link (no login). */
export default function SharedView() {
  const { token } = useParams();
  const shared = useQuery({
    queryKey: ['shared', token],
    queryFn: () => api<SharedAudit>('GET', `/api/shared/${token}`),
  });
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
          <AnalysisView audit={shared.data.audit} analysis={shared.data.analysis} />
        </section>
      )}
    </main>
  );
}
