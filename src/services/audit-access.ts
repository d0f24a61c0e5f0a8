/** Opening an audit for a use case: the access repository's level, checked by the policy. */
import type { Executor } from '../db/database.js';
import type { JsonText } from '../db/json-text.js';
import { NotFoundError } from '../errors.js';
import { requireLevel, type AccessLevel } from '../policies/audit.policy.js';
import {
  AccessRepository,
  type AnalysisWithJson,
  type AuditAccess,
  type AuditWithJson,
} from '../repositories/access.repository.js';
import type { AuditListItem } from '../repositories/audit.repository.js';
import type { Actor } from './actor.js';

/** An audit the actor may use: without its stack (AuditService.diff reads the stacks it compares). */
export type OpenedAudit = AuditAccess<AuditListItem>;

/** The actor as the access rule reads it. */
export const asUser = (actor: Actor) => ({ id: actor.user.id, role: actor.user.role });

/** What the access rule answered, if it allows `needed`: 404 for no such audit or no access, 403 for too little. */
export function requireAccess<T extends { level: AccessLevel }>(found: T | null, needed: AccessLevel): T {
  if (!found) throw new NotFoundError('audit');
  requireLevel(found.level, needed);
  return found;
}

/** The audit, if the actor has at least `needed` access: 404 for none, 403 for too little. */
export async function openAudit(
  db: Executor,
  actor: Actor,
  auditId: string,
  needed: AccessLevel,
): Promise<OpenedAudit> {
  return requireAccess(await new AccessRepository(db).audit(actor.organization.id, auditId, asUser(actor)), needed);
}

/**
 * openAudit, with the audit's latest analysis read in the same statement (reports, savings,
 * the AI narrative); the stack and the analysis as stored JSON text.
 */
export async function openAuditWithAnalysis(
  db: Executor,
  actor: Actor,
  auditId: string,
  needed: AccessLevel,
): Promise<AuditAccess<AuditWithJson> & { analysis: AnalysisWithJson | null }> {
  return requireAccess(
    await new AccessRepository(db).auditWithAnalysis(actor.organization.id, auditId, asUser(actor)),
    needed,
  );
}

/**
 * GET /api/audits/:id's answer as JSON text (AccessRepository.auditPage), if the actor may
 * view the audit: 404 for none.
 */
export async function openAuditPage(db: Executor, actor: Actor, auditId: string): Promise<JsonText> {
  const found = requireAccess(
    await new AccessRepository(db).auditPage(actor.organization.id, auditId, asUser(actor)),
    'view',
  );
  // Written for a level of view or more, which requireAccess has just checked.
  return found.json!;
}
