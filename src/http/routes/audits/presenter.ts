/** Audits and analyses as the contract's JSON: each answer object built as one literal (an object spread cost ~5 µs a row on the list, profiled). */
import type { AnalysisView, AuditSummaryView } from '../../../services/views.js';
import { iso, money } from '../../present.js';

export function presentAudit(
  audit: Omit<AuditSummaryView, 'toolCount' | 'totalMonthlyCost' | 'potentialMonthlySavings'>,
) {
  return {
    id: audit.id,
    organizationId: audit.organizationId,
    userId: audit.userId,
    name: audit.name,
    status: audit.status ?? 'pending',
    // Only a failed audit says why (undefined is left out of the answer).
    error: audit.status === 'failed' && audit.error ? audit.error : undefined,
    createdAt: iso(audit.createdAt),
    updatedAt: iso(audit.updatedAt),
    completedAt: iso(audit.completedAt),
  };
}

export function presentListItem(audit: AuditSummaryView) {
  return Object.assign(presentAudit(audit), {
    toolCount: audit.toolCount,
    totalMonthlyCost: money(audit.totalMonthlyCost),
    potentialMonthlySavings: money(audit.potentialMonthlySavings),
  });
}

export function presentAnalysis(analysis: AnalysisView) {
  return {
    id: analysis.id,
    auditId: analysis.auditId,
    summary: analysis.summary,
    recommendations: analysis.recommendations,
    costAnalysis: analysis.costAnalysis,
    riskAssessment: analysis.riskAssessment,
    createdAt: iso(analysis.createdAt),
  };
}
