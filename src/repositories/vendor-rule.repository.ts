import { and, eq, inArray, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { vendorRules } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export type VendorRule = typeof vendorRules.$inferSelect;

export interface VendorDecision {
  merchantKey: string;
  decision: 'software' | 'not_software';
  toolName: string | null;
  vendor: string | null;
  decidedBy: string | null;
}

/** What an organization decided about a merchant's charges, applied to later imports and syncs. */
export class VendorRuleRepository {
  constructor(private readonly db: Executor) {}

  /** The organization's rules for these merchants, by merchant key (one statement). */
  async forKeys(organizationId: string, keys: string[]): Promise<Map<string, VendorRule>> {
    const unique = [...new Set(keys.filter((k) => k !== ''))];
    if (unique.length === 0) return new Map();
    const rows = await this.db
      .select()
      .from(vendorRules)
      .where(and(eq(vendorRules.organizationId, organizationId), inArray(vendorRules.merchantKey, unique)));
    return new Map(rows.map((r) => [r.merchantKey, r]));
  }

  /** Records a decision, replacing an earlier one about the same merchant. */
  async upsert(organizationId: string, rule: VendorDecision): Promise<VendorRule> {
    const now = new Date();
    const [row] = await this.db
      .insert(vendorRules)
      .values({ id: newId('vendorRule'), organizationId, ...rule, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [vendorRules.organizationId, vendorRules.merchantKey],
        set: {
          decision: sql`excluded.decision`,
          toolName: sql`excluded.tool_name`,
          vendor: sql`excluded.vendor`,
          decidedBy: sql`excluded.decided_by`,
          updatedAt: now,
        },
      })
      .returning();
    return row!;
  }
}
