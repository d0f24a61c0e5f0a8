/**
 * Audits and analyses as the contract's JSON: each answer object built as one literal (an
 * object spread cost ~5 µs a row on the list, profiled). The audit page and the list are
 * written by PostgreSQL instead (repositories/audit-json.ts), field for field as presentAudit
 * writes them: test/repositories/audit-json.test.ts holds the two to each other.
 */
import type { AnalysisView, AuditSummaryView } from '../../../services/views.js';
import { iso } from '../../present.js';

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
