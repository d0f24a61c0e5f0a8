/**
 * Usage from the identity providers: every app they report, with seats and people active in
 * the last 30 and 90 days; apps in use that no recent audit lists are "discovered" (shadow
 * IT) and can be added to an audit in one click (it is then analysed again).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { auditKeys, useAudits } from '../api/audits';
import { api } from '../api/client';
import { useAppUsage } from '../api/integrations';
import type { AppUsage, AuditView } from '../api/types';
import { ErrorNotice, Loading } from '../components/Status';
import { identityProviderName } from '../format';

/** Appends the app to the audit's tools (its name in the catalog, its people as seats) and saves. */
function useAddToAudit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ auditId, app }: { auditId: string; app: AppUsage }) => {
      const { audit } = await api<AuditView>('GET', `/api/audits/${auditId}`);
      const stack = audit.stackData ?? { tools: [] };
      const seats = app.purchased ?? app.assigned ?? app.users;
      const tool = { name: app.toolName ?? app.appName, seats, activeSeats: Math.min(app.active90, seats) };
      await api('PATCH', `/api/audits/${auditId}`, { stackData: { ...stack, tools: [...stack.tools, tool] } });
    },
    onSuccess: (_done, { auditId }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['usage'] }),
        queryClient.invalidateQueries({ queryKey: auditKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: auditKeys.detail(auditId) }),
      ]),
  });
}

export default function Usage() {
  const usage = useAppUsage();
  const audits = useAudits();
  const add = useAddToAudit();
  const [target, setTarget] = useState('');
  if (usage.isPending) return <Loading what="Loading usage" />;
  if (usage.isError) return <ErrorNotice error={usage.error} />;
  const items = usage.data.items;
  const discovered = items.filter((u) => u.discovered);
  const choices = (audits.data?.items ?? []).filter((a) => a.status !== 'failed');
  const auditId = target || choices[0]?.id || '';
  return (
    <section aria-labelledby="usage-heading">
      <h1 id="usage-heading">Usage</h1>
      {items.length === 0 ? (
        <p className="muted">
          No usage yet. An admin connects Google Workspace, Microsoft 365 or Okta under{' '}
          <Link to="/settings/integrations">Settings → Integrations</Link>; the analysis then uses who is really active
          instead of typed active seats.
        </p>
      ) : (
        <>
          <h2>Discovered: in use, in no audit</h2>
          {discovered.length === 0 ? (
            <p className="muted">Every app in use is in an audit.</p>
          ) : (
            <>
              {choices.length > 0 && (
                <label>
                  Add to
                  <select value={auditId} onChange={(e) => setTarget(e.target.value)}>
                    {choices.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {add.error && <ErrorNotice error={add.error} />}
              <ul aria-label="Discovered apps">
                {discovered.map((u) => (
                  <li key={`${u.provider}-${u.appName}`}>
                    <strong>{u.appName}</strong> {u.toolName && u.toolName !== u.appName && `(${u.toolName})`} ·{' '}
                    {u.active90} active in 90 days · seen by {identityProviderName(u.provider)}{' '}
                    {auditId && (
                      <button
                        type="button"
                        className="secondary outline"
                        disabled={add.isPending}
                        onClick={() => add.mutate({ auditId, app: u })}
                      >
                        Add to the audit
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>Every app</h2>
          <div className="table-scroll">
            <table aria-label="Apps and their usage">
              <thead>
                <tr>
                  <th scope="col">App</th>
                  <th scope="col">Bought</th>
                  <th scope="col">Assigned</th>
                  <th scope="col">Active 30 days</th>
                  <th scope="col">Active 90 days</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => (
                  <tr key={`${u.provider}-${u.appName}`}>
                    <th scope="row">
                      {u.appName}
                      <div className="muted">{u.toolName ?? 'not in the catalog'}</div>
                    </th>
                    <td>{u.purchased ?? '—'}</td>
                    <td>{u.assigned ?? '—'}</td>
                    <td>{u.active30}</td>
                    <td>{u.active90}</td>
                    <td>
                      {identityProviderName(u.provider)}
                      <div className="muted">{new Date(u.syncedAt).toLocaleString()}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
