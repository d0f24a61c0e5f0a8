/** The audit row's types and the columns lists read: shared by the audit and access repositories. */
import { getTableColumns } from 'drizzle-orm';

import { audits } from '../db/schema.js';

export type Audit = typeof audits.$inferSelect;

/**
 * What the repositories map of an audit when they read it without its stack: everything but
 * the stack and the analysis queue's bookkeeping (generation, lease, attempts: the worker's,
 * never shown). Every column read is parsed and mapped (a timestamp into a Date), so reads on a
 * hot path take no more: the list and the audit page read none of them, PostgreSQL writes their
 * JSON (audit-json.ts).
 */
const {
  stackData: _stackData,
  analysisGeneration: _generation,
  analysisLeaseUntil: _leaseUntil,
  analysisAttempts: _attempts,
  ...LIST_COLUMNS
} = getTableColumns(audits);

/** An audit as read without its stack (LIST_COLUMNS). */
export type AuditListItem = Omit<Audit, 'stackData' | 'analysisGeneration' | 'analysisLeaseUntil' | 'analysisAttempts'>;

export { LIST_COLUMNS };
