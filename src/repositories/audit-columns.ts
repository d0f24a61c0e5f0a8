/** The audit row's types and the columns lists read: shared by the audit and access repositories. */
import { getTableColumns } from 'drizzle-orm';

import { audits } from '../db/schema.js';

export type Audit = typeof audits.$inferSelect;
/** A row of the audit list: everything but the stack (never read for a list). */
export type AuditListItem = Omit<Audit, 'stackData'>;

const { stackData: _stackData, ...LIST_COLUMNS } = getTableColumns(audits);
/** Every column but the stack data: what lists read. */
export { LIST_COLUMNS };
