/**
 * Audit reports (PDF and CSV): the report model of an audit for whoever may view it, or for
 * anyone holding its public link (then without people's names, as the public view).
 */
import type { Database } from '../db/database.js';
import type { Analysis } from '../domain/analysis/result.js';
import type { StackData } from '../domain/analysis/stack.js';
import { buildAuditReport, type AuditReport } from '../domain/reports/audit-report.js';
import { NotFoundError } from '../errors.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import type { Actor } from './actor.js';
import { openAuditWithAnalysis } from './audit-access.js';
import type { ShareService } from './share.service.js';

const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** A stored analysis as the engine's type; analyses stored by older versions lack newer fields. */
function asAnalysis(parts: {
  summary: unknown;
  recommendations: unknown;
  costAnalysis: unknown;
  riskAssessment: unknown;
}): Analysis | null {
  if (!parts.summary || !parts.costAnalysis || !parts.riskAssessment) return null;
  const costAnalysis = parts.costAnalysis as Analysis['costAnalysis'];
  return {
    summary: parts.summary as Analysis['summary'],
    recommendations: (parts.recommendations ?? []) as Analysis['recommendations'],
    costAnalysis: { ...costAnalysis, missingRates: costAnalysis.missingRates ?? [] },
    riskAssessment: parts.riskAssessment as Analysis['riskAssessment'],
  };
}

export class ReportService {
  constructor(
    private readonly database: Database,
    private readonly shares: ShareService,
  ) {}

  /** The report of an audit the actor may view (404 for none, as the audit page). */
  async forAudit(actor: Actor, auditId: string, now = new Date()): Promise<AuditReport> {
    const { audit, analysis } = await openAuditWithAnalysis(this.database.db, actor, auditId, 'view');
    return buildAuditReport({
      organizationName: actor.organization.name,
      audit,
      stack: parsed<StackData>(audit.stackData),
      analysis: analysis
        ? asAnalysis({
            summary: parsed(analysis.summary),
            recommendations: parsed(analysis.recommendations),
            costAnalysis: parsed(analysis.costAnalysis),
            riskAssessment: parsed(analysis.riskAssessment),
          })
        : null,
      includePeople: true,
      now,
    });
  }

  /** The report of a public audit, by its link: no owners' names. */
  async forSharedAudit(token: string, now = new Date()): Promise<AuditReport> {
    const { audit, analysis } = await this.shares.shared(token);
    if (!audit.organizationId) throw new NotFoundError('shared audit');
    const organization = await new OrganizationRepository(this.database.db).findById(audit.organizationId);
    if (!organization) throw new NotFoundError('shared audit');
    return buildAuditReport({
      organizationName: organization.name,
      audit,
      stack: (audit.stackData ?? null) as StackData | null,
      analysis: analysis ? asAnalysis(analysis) : null,
      includePeople: false,
      now,
    });
  }
}
