/** Usage from identity providers (app_usage): a sync replaces its provider's rows. */
import { and, desc, eq, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { appUsage, audits } from '../db/schema.js';
import type { AppUsage } from '../domain/app-usage.js';
import { visibleAuditCondition } from './access.repository.js';

export type AppUsageRow = typeof appUsage.$inferSelect;

/** The audits whose tools count as "listed" (newest first): the discovered apps are the others. */
const LISTED_AUDITS = 50;

export class AppUsageRepository {
  constructor(private readonly db: Executor) {}

  /** The provider's apps as this sync saw them, in place of the last sync's. */
  async replace(organizationId: string, provider: string, usage: AppUsage[], syncedAt: Date): Promise<number> {
    await this.db
      .delete(appUsage)
      .where(and(eq(appUsage.organizationId, organizationId), eq(appUsage.provider, provider)));
    // One row per app name (a provider may name two apps alike: their counts are added).
    const rows = new Map<string, typeof appUsage.$inferInsert>();
    for (const u of usage) {
      const appKey = u.appName.trim().toLowerCase().slice(0, 255);
      if (!appKey) continue;
      const seen = rows.get(appKey);
      const add = (a: number | null | undefined, b: number | null) =>
        a == null && b === null ? null : (a ?? 0) + (b ?? 0);
      rows.set(
        appKey,
        seen
          ? {
              ...seen,
              purchased: add(seen.purchased, u.purchased),
              assigned: add(seen.assigned, u.assigned),
              active30: seen.active30 + u.active30,
              active90: seen.active90 + u.active90,
              users: seen.users + u.users,
            }
          : {
              organizationId,
              provider,
              appKey,
              appName: u.appName.slice(0, 255),
              toolName: u.toolName,
              purchased: u.purchased,
              assigned: u.assigned,
              active30: u.active30,
              active90: u.active90,
              users: u.users,
              evidence: u.evidence,
              syncedAt,
            },
      );
    }
    const values = [...rows.values()];
    for (let i = 0; i < values.length; i += 500) await this.db.insert(appUsage).values(values.slice(i, i + 500));
    return values.length;
  }

  async list(organizationId: string): Promise<AppUsageRow[]> {
    return this.db
      .select()
      .from(appUsage)
      .where(eq(appUsage.organizationId, organizationId))
      .orderBy(desc(appUsage.active90), appUsage.appName);
  }

  async deleteProvider(organizationId: string, provider: string): Promise<void> {
    await this.db
      .delete(appUsage)
      .where(and(eq(appUsage.organizationId, organizationId), eq(appUsage.provider, provider)));
  }

  /** Tool names (lower-cased) the organization's newest audits list, of those `viewer` may view. */
  async listedToolNames(organizationId: string, viewer: { userId: string; role: string | null }): Promise<Set<string>> {
    const rows = await this.db
      .select({ names: sql<string>`jsonb_path_query_array(${audits.stackData}, '$.tools[*].name')::text` })
      .from(audits)
      .where(and(eq(audits.organizationId, organizationId), visibleAuditCondition(this.db, audits.id, viewer)))
      .orderBy(sql`${audits.createdAt} DESC`, sql`${audits.id} DESC`)
      .limit(LISTED_AUDITS);
    const names = new Set<string>();
    for (const row of rows)
      for (const name of JSON.parse(row.names ?? '[]') as unknown[])
        if (typeof name === 'string') names.add(name.trim().toLowerCase());
    return names;
  }
}
