/** The audit row's types and the columns lists read: shared by the audit and access repositories. */
import { getTableColumns } from 'drizzle-orm';

import { audits } from '../db/schema.js';

export type Audit = typeof audits.$inferSelect;

/**
 * What lists and pages read of an audit: everything but the stack (never read for a list) and
 * the analysis queue's bookkeeping (generation, lease, attempts: the worker's, never shown).
 * Every column read is parsed and mapped per row (a timestamp into a Date): on the list, twenty
 * rows a page, on the audit page, every request.
 */
const {
  stackData: _stackData,
  analysisGeneration: _generation,
  analysisLeaseUntil: _leaseUntil,
  analysisAttempts: _attempts,
  ...LIST_COLUMNS
} = getTableColumns(audits);

/** A row of the audit list (and the audit page's audit before its stack). */
export type AuditListItem = Omit<Audit, 'stackData' | 'analysisGeneration' | 'analysisLeaseUntil' | 'analysisAttempts'>;

export { LIST_COLUMNS };
