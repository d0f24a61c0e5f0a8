/**
 * What the renewal calendar reads and writes: the organization's latest analysed audit, the
 * reminders sent (the claim rows) and the calendar feed's token hash.
 */
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { analysisResults, audits, calendarFeeds, organizations, renewalReminders, users } from '../db/schema.js';
import { visibleAuditCondition } from './access.repository.js';

export interface LatestAuditRow {
  id: string;
  stackData: unknown;
  costAnalysis: unknown;
  recommendations: unknown;
}

export class RenewalRepository {
  constructor(private readonly db: Executor) {}

  /**
   * The organization's newest audit that has an analysis, with its latest analysis — of those
   * `viewer` may view when given (the renewals page), of all of them when not (reminders, the
   * feed). An audit being analysed again keeps speaking with its last analysis meanwhile.
   */
  async latestAnalysedAudit(
    organizationId: string,
    viewer?: { userId: string; role: string | null },
  ): Promise<LatestAuditRow | null> {
    const latest = this.db
      .select({ costAnalysis: analysisResults.costAnalysis, recommendations: analysisResults.recommendations })
      .from(analysisResults)
      .where(eq(analysisResults.auditId, audits.id))
      .orderBy(desc(analysisResults.createdAt), desc(analysisResults.id))
      .limit(1)
      .as('latest');
    const [row] = await this.db
      .select({
        id: audits.id,
        stackData: audits.stackData,
        costAnalysis: latest.costAnalysis,
        recommendations: latest.recommendations,
      })
      .from(audits)
      .innerJoinLateral(latest, sql`true`)
      .where(
        and(
          eq(audits.organizationId, organizationId),
          viewer ? visibleAuditCondition(this.db, audits.id, viewer) : undefined,
        ),
      )
      .orderBy(sql`${audits.createdAt} DESC`, sql`${audits.id} DESC`)
      .limit(1);
    return row ?? null;
  }

  /**
   * Records the lead times of one reminder; true when this call recorded `leadDays` (so the
   * caller sends it), false when another instance or an earlier run already did.
   */
  async claimReminder(
    organizationId: string,
    toolKey: string,
    dueDate: string,
    leadDays: number,
    reachedLeads: number[],
  ): Promise<boolean> {
    const made = await this.db
      .insert(renewalReminders)
      .values(reachedLeads.map((lead) => ({ organizationId, toolKey, dueDate, leadDays: lead })))
      .onConflictDoNothing()
      .returning({ leadDays: renewalReminders.leadDays });
    return made.some((r) => r.leadDays === leadDays);
  }

  /** Organizations' ids and settings, in id order from `after`, a page at a time (the reminder job). */
  async organizationsAcrossOrganizations(after: string, limit: number) {
    return this.db
      .select({ id: organizations.id, name: organizations.name, settings: organizations.settings })
      .from(organizations)
      .where(gt(organizations.id, after))
      .orderBy(asc(organizations.id))
      .limit(limit);
  }

  /** Admins of the organization, and members whose email is one of `emails` (owners). */
  async reminderRecipients(organizationId: string, emails: string[]) {
    return this.db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role })
      .from(users)
      .where(
        and(
          eq(users.organizationId, organizationId),
          emails.length === 0
            ? eq(users.role, 'admin')
            : sql`(${users.role} = 'admin' OR lower(${users.email}) IN (${sql.join(
                emails.map((e) => sql`${e.toLowerCase()}`),
                sql`, `,
              )}))`,
        ),
      );
  }

  async feed(organizationId: string): Promise<{ createdAt: Date | null } | null> {
    const [row] = await this.db
      .select({ createdAt: calendarFeeds.createdAt })
      .from(calendarFeeds)
      .where(eq(calendarFeeds.organizationId, organizationId));
    return row ?? null;
  }

  /** A new token for the organization's feed: the old URL stops answering. */
  async replaceFeed(organizationId: string, tokenHash: string, createdBy: string): Promise<void> {
    await this.db
      .insert(calendarFeeds)
      .values({ organizationId, tokenHash, createdBy })
      .onConflictDoUpdate({
        target: calendarFeeds.organizationId,
        set: { tokenHash, createdBy, createdAt: sql`now()` },
      });
  }

  async deleteFeed(organizationId: string): Promise<boolean> {
    const deleted = await this.db
      .delete(calendarFeeds)
      .where(eq(calendarFeeds.organizationId, organizationId))
      .returning({ id: calendarFeeds.organizationId });
    return deleted.length > 0;
  }

  /** The organization whose feed has this token hash (the URL is the credential). */
  async organizationOfFeedAcrossOrganizations(tokenHash: string): Promise<string | null> {
    const [row] = await this.db
      .select({ organizationId: calendarFeeds.organizationId })
      .from(calendarFeeds)
      .where(eq(calendarFeeds.tokenHash, tokenHash));
    return row?.organizationId ?? null;
  }
}
