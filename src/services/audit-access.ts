import type { Executor } from '../db/database.js';
import { NotFoundError } from '../errors.js';
import { requireLevel, type AccessLevel, type AuditAccessFacts } from '../policies/audit.policy.js';
import {
  findAuditWithAccess,
  findAuditWithAccessAndAnalysis,
  type AnalysisWithJson,
  type AuditWithJson,
} from '../repositories/audit-access.js';
import type { AuditListItem } from '../repositories/audit.repository.js';
import type { Actor } from './actor.js';

export interface OpenedAudit {
  /** Without its stack (AuditService.diff reads the stacks it compares). */
  audit: AuditListItem;
  facts: AuditAccessFacts;
  level: AccessLevel;
}

/** The audit, if the actor has at least `needed` access: 404 for none, 403 for too little. */
export async function openAudit(
  db: Executor,
  actor: Actor,
  auditId: string,
  needed: AccessLevel,
): Promise<OpenedAudit> {
  const found = await findAuditWithAccess(db, actor.organization.id, auditId, actor.user.id);
  if (!found) throw new NotFoundError('audit');
  const level = requireLevel(actor, found.audit, found.facts, needed);
  return { ...found, level };
}

/**
 * openAudit, with the audit's latest analysis read in the same statement (the audit page);
 * the stack and the analysis as stored JSON text.
 */
export async function openAuditWithAnalysis(
  db: Executor,
  actor: Actor,
  auditId: string,
  needed: AccessLevel,
): Promise<Omit<OpenedAudit, 'audit'> & { audit: AuditWithJson; analysis: AnalysisWithJson | null }> {
  const found = await findAuditWithAccessAndAnalysis(db, actor.organization.id, auditId, actor.user.id);
  if (!found) throw new NotFoundError('audit');
  const level = requireLevel(actor, found.audit, found.facts, needed);
  return { ...found, level };
}
