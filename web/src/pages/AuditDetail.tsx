import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { useAudit, useAuditDiff, useAuditsForComparison, useDeleteAudit, useReanalyseAudit } from '../api/audits';
import { useAppUsage } from '../api/integrations';
import { useAuditAcceptances } from '../api/savings';
import { useMe } from '../api/session';
import type { Audit } from '../api/types';
import { AiSummary, AskAboutAudit } from '../components/AiPanel';
import { AnalysisView } from '../components/AnalysisView';
import { ActivityFeed } from '../components/collaboration/ActivityFeed';
import { Comments } from '../components/collaboration/Comments';
import { ShareDialog } from '../components/collaboration/ShareDialog';
import { ConfirmDialog } from '../components/Modal';
import { ReportLinks } from '../components/ReportLinks';
import { ErrorNotice, Loading } from '../components/Status';
import { money, todayIn, valueText } from '../format';

export default function AuditDetail() {
  const { id } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const [sharing, setSharing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Live status while the analysis runs.
  const detail = useAudit(id, { live: true });
  const reanalyse = useReanalyseAudit(id);
  const remove = useDeleteAudit(id, { leave: () => navigate('/dashboard') });
  const acceptances = useAuditAcceptances(id);
  const appUsage = useAppUsage();
  if (detail.isPending) return <Loading what="Loading the audit" />;
  if (detail.isError) return <ErrorNotice error={detail.error} />;
  const { audit, analysis, access } = detail.data;
  const canEdit = access === 'edit' || access === 'manage';
  const running = audit.status === 'pending' || audit.status === 'analyzing';
  const currency = analysis?.costAnalysis.currency ?? audit.stackData?.currency ?? 'USD';
  return (
    <section>
      <h1>{audit.name}</h1>
      <div className="actions">
        {canEdit && (
          <Link role="button" className="secondary" to={`/audits/${audit.id}/edit`}>
            Edit
          </Link>
        )}
        {canEdit && (
          <button
            type="button"
            className="secondary outline"
            disabled={running || reanalyse.isPending}
            onClick={() => reanalyse.mutate()}
          >
            Re-analyse
          </button>
        )}
        {access === 'manage' && (
          <button type="button" className="secondary" onClick={() => setSharing(true)}>
            Share
          </button>
        )}
        {access === 'manage' && (
          <button type="button" className="secondary outline" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
        {analysis && <ReportLinks base={`/api/audits/${audit.id}`} />}
      </div>
      {reanalyse.error && <ErrorNotice error={reanalyse.error} />}
      {sharing && <ShareDialog auditId={audit.id} onClose={() => setSharing(false)} />}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${audit.name}?`}
          keepLabel="Keep it"
          confirmLabel="Delete the audit"
          busy={remove.isPending}
          error={remove.error}
          onKeep={() => setConfirmDelete(false)}
          onConfirm={() => remove.mutate()}
        >
          Its analyses, comments and shares go with it. This cannot be undone.
        </ConfirmDialog>
      )}
      {analysis && <AiSummary auditId={audit.id} analysisId={analysis.id} currency={currency} />}
      <AnalysisView
        audit={audit}
        analysis={analysis}
        decisions={{ auditId: audit.id, canDecide: canEdit, acceptances: acceptances.data?.items ?? [] }}
        appUsage={appUsage.data?.items}
        today={todayIn(me.data?.organization.settings.timeZone)}
      />
      {analysis && <AskAboutAudit auditId={audit.id} currency={currency} />}
      <Comparison audit={audit} />
      <Comments auditId={audit.id} access={access} myId={me.data?.user.id ?? ''} />
      <ActivityFeed auditId={audit.id} />
    </section>
  );
}

/** A tool's fields as the editor names them (the comparison's "Field" column). */
const TOOL_FIELDS: Record<string, string> = {
  vendor: 'Vendor',
  category: 'Category',
  monthlyCost: 'Monthly cost',
  annualCost: 'Annual cost',
  currency: 'Currency',
  billingCycle: 'Billing',
  pricingModel: 'Pricing',
  seats: 'Seats',
  activeSeats: 'Active seats',
  renewalDate: 'Renewal date',
  contractEndDate: 'Contract end',
  autoRenew: 'Renews automatically',
  noticePeriodDays: 'Notice period (days)',
  trialEndsAt: 'Trial ends',
  owner: 'Owner',
  department: 'Department',
  tags: 'Tags',
  notes: 'Notes',
};

/** A value before or after a change: amounts as money, yes/no, lists joined. */
function changeText(field: string, value: unknown, currency: string): string {
  if ((field === 'monthlyCost' || field === 'annualCost') && typeof value === 'number') return money(value, currency);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map((v) => valueText(v)).join(', ') || '—';
  return valueText(value);
}

/**
 * What changed against another audit the caller can see: by default the one made just before
 * this one (the list is newest first), or any other picked from the list.
 */
function Comparison({ audit }: { audit: Audit }) {
  const others = useAuditsForComparison();
  const [picked, setPicked] = useState<string | null>(null);
  const candidates = (others.data?.items ?? []).filter((a) => a.id !== audit.id);
  const index = others.data?.items.findIndex((a) => a.id === audit.id) ?? -1;
  const previous = index >= 0 ? others.data?.items.slice(index + 1).find((a) => a.id !== audit.id) : candidates[0];
  const against = picked ?? previous?.id ?? candidates[0]?.id ?? null;
  const diff = useAuditDiff(audit.id, against);
  if (others.isPending || candidates.length === 0) return null;
  const currency = audit.stackData?.currency ?? 'USD';
  const change = diff.data?.totalMonthlyCostChange ?? 0;
  return (
    <section aria-labelledby="diff-heading">
      <h2 id="diff-heading">Changes since another audit</h2>
      <label>
        Compare with
        <select value={against ?? ''} onChange={(e) => setPicked(e.target.value)}>
          {candidates.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.createdAt?.slice(0, 10) ?? 'undated'})
            </option>
          ))}
        </select>
      </label>
      {diff.isPending && <Loading what="Comparing" />}
      {diff.isError && <ErrorNotice error={diff.error} />}
      {diff.data && (
        <div data-testid="diff">
          <p>
            Monthly cost{' '}
            <strong>
              {change === 0 ? 'unchanged' : `${change > 0 ? 'up' : 'down'} ${money(Math.abs(change), currency)}`}
            </strong>{' '}
            since {diff.data.from.name}.
          </p>
          {diff.data.toolsAdded.length > 0 && <p>Added: {diff.data.toolsAdded.join(', ')}</p>}
          {diff.data.toolsRemoved.length > 0 && <p>Removed: {diff.data.toolsRemoved.join(', ')}</p>}
          {diff.data.changed.length > 0 && (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Tool</th>
                    <th scope="col">Field</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.data.changed.map((c) => (
                    <tr key={`${c.name}-${c.field}`}>
                      <td>{c.name}</td>
                      <td>{TOOL_FIELDS[c.field] ?? c.field}</td>
                      <td>{changeText(c.field, c.before, currency)}</td>
                      <td>{changeText(c.field, c.after, currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {diff.data.toolsAdded.length + diff.data.toolsRemoved.length + diff.data.changed.length === 0 && (
            <p className="muted">The same tools, seats and costs.</p>
          )}
        </div>
      )}
    </section>
  );
}
