/**
 * The contract's JSON of an audit (AuditFields in http/routes/audits/contract.ts), written by
 * PostgreSQL for the answers it writes whole (db/json-text.ts): the audit page and the audit
 * list. Field for field what `presentAudit` and the list's money fields write in JavaScript
 * (http/routes/audits/presenter.ts); test/repositories/audit-json.test.ts compares the two on
 * generated audits, on both databases.
 */
import { sql } from 'drizzle-orm';

import {
  decimalJson,
  jsonObject,
  numberJson,
  storedJson,
  stringJson,
  timestampJson,
  type JsonField,
  type JsonText,
} from '../db/json-text.js';
import { analysisResults, audits } from '../db/schema.js';

/** AuditFields: a failed audit's `error` only when it has one, as presentAudit leaves it out otherwise. */
const AUDIT_FIELDS: readonly JsonField[] = [
  ['id', stringJson(audits.id)],
  ['organizationId', stringJson(audits.organizationId)],
  ['userId', stringJson(audits.userId)],
  ['name', stringJson(audits.name)],
  ['status', stringJson(sql`coalesce(${audits.status}, 'pending')`)],
  ['error', stringJson(audits.error), sql`${audits.status} = 'failed' AND ${audits.error} <> ''`],
  ['createdAt', timestampJson(audits.createdAt)],
  ['updatedAt', timestampJson(audits.updatedAt)],
  ['completedAt', timestampJson(audits.completedAt)],
];

/** An item of GET /api/audits (AuditListItemSchema). */
export const auditListItemJson = jsonObject([
  ...AUDIT_FIELDS,
  ['toolCount', numberJson(audits.toolCount)],
  ['totalMonthlyCost', decimalJson(audits.totalMonthlyCost)],
  ['potentialMonthlySavings', decimalJson(audits.potentialMonthlySavings)],
]);

/** The audit of GET /api/audits/:id (AuditSchema): its fields and its stack as stored. */
export const auditJson = jsonObject([...AUDIT_FIELDS, ['stackData', storedJson(audits.stackData)]]);

/** An analysis (AnalysisSchema), its documents as stored. */
export const analysisJson = jsonObject([
  ['id', stringJson(analysisResults.id)],
  ['auditId', stringJson(analysisResults.auditId)],
  ['createdAt', timestampJson(analysisResults.createdAt)],
  ['summary', storedJson(analysisResults.summary)],
  ['recommendations', storedJson(analysisResults.recommendations)],
  ['costAnalysis', storedJson(analysisResults.costAnalysis)],
  ['riskAssessment', storedJson(analysisResults.riskAssessment)],
]);

export type { JsonText };
