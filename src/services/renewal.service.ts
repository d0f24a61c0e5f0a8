/**
 * Renewals (issue #17 point 2): the organization's upcoming renewals (latest analysed audit
 * and connected spend), the reminders the job emails before each cancel-by date (else
 * renewal date), and the calendar feed (.ics) at a secret URL.
 */
import { Value } from 'typebox/value';

import type { Config } from '../config.js';
import { transaction, type Database } from '../db/database.js';
import type { Analysis, Recommendation } from '../domain/analysis/result.js';
import { StackDataSchema } from '../domain/analysis/stack.js';
import { addDays, todayIn } from '../domain/days.js';
import { formatMoney } from '../domain/money.js';
import { renewalReminderEmail } from '../domain/email-templates.js';
import { readSettings } from '../domain/organization-settings.js';
import {
  ANNUAL_TERM_DAYS,
  dueReminders,
  upcomingRenewals,
  type LatestAudit,
  type UpcomingRenewal,
} from '../domain/renewal-calendar.js';
import { renewalCalendar } from '../domain/renewal-ics.js';
import { hashToken, newSecretToken } from '../domain/tokens.js';
import { NotFoundError } from '../errors.js';
import { requireAdmin } from '../policies/organization.policy.js';
import { EmailOutboxRepository } from '../repositories/email-outbox.repository.js';
import { NotificationPreferencesRepository } from '../repositories/notification-preferences.repository.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import { RenewalRepository, type LatestAuditRow } from '../repositories/renewal.repository.js';
import { ToolCostRepository } from '../repositories/tool-cost.repository.js';
import { linkOrigin, type Actor, type RequestMeta } from './actor.js';

/** How far ahead the page, the feed and the reminders look (the largest lead time is 365). */
export const RENEWAL_HORIZON_DAYS = 400;
const PAGE = 200;

export interface RenewalFilters {
  /** Only renewals within this many days (default: the horizon). */
  withinDays?: number;
  source?: 'audit' | 'spend';
  /** Only those with a cancel-by date still to come. */
  needsNotice?: boolean;
  /** Text in the tool's name or owner. */
  search?: string;
}

function latestAuditOf(row: LatestAuditRow | null): LatestAudit | null {
  if (!row || !Value.Check(StackDataSchema, row.stackData)) return null;
  const costs = row.costAnalysis as Partial<Analysis['costAnalysis']> | null;
  return {
    id: row.id,
    stack: row.stackData,
    currency: costs?.currency ?? row.stackData.currency ?? 'USD',
    byTool: Array.isArray(costs?.byTool) ? costs.byTool : [],
    recommendations: Array.isArray(row.recommendations) ? (row.recommendations as Recommendation[]) : [],
  };
}

export class RenewalService {
  constructor(
    private readonly database: Database,
    private readonly config: Config,
  ) {}

  private get appUrl() {
    return this.config.appUrl ?? `http://localhost:${this.config.port}`;
  }

  /** Every upcoming renewal of the organization, by date, as `viewer` may see them (all when omitted). */
  private async renewalsOf(
    organizationId: string,
    timeZone: string,
    now: Date,
    viewer?: { userId: string; role: string | null },
  ): Promise<{ today: string; renewals: UpcomingRenewal[] }> {
    const today = todayIn(timeZone, now);
    const repository = new RenewalRepository(this.database.db);
    const [audit, spend] = await Promise.all([
      repository.latestAnalysedAudit(organizationId, viewer),
      // A term that ended within the last year still renews (rolled forward) until a newer one is imported.
      new ToolCostRepository(this.database.db).contractsEndingFrom(
        organizationId,
        addDays(today, -366),
        ANNUAL_TERM_DAYS,
      ),
    ]);
    const renewals = upcomingRenewals({
      today,
      horizonDays: RENEWAL_HORIZON_DAYS,
      audit: latestAuditOf(audit),
      spend: spend.flatMap((s) =>
        s.periodStart && s.periodEnd
          ? [
              {
                ...s,
                amount: Number(s.amount),
                currency: s.currency ?? 'USD',
                periodStart: s.periodStart,
                periodEnd: s.periodEnd,
              },
            ]
          : [],
      ),
    });
    return { today, renewals };
  }

  /** The renewals page: every upcoming renewal the caller may see, filtered. */
  async list(actor: Actor, filters: RenewalFilters = {}, now = new Date()) {
    const settings = readSettings(actor.organization.settings);
    const { today, renewals } = await this.renewalsOf(actor.organization.id, settings.timeZone, now, {
      userId: actor.user.id,
      role: actor.user.role,
    });
    const search = filters.search?.trim().toLowerCase();
    const items = renewals.filter(
      (r) =>
        (filters.withinDays === undefined || r.daysLeft <= filters.withinDays) &&
        (filters.source === undefined || r.source === filters.source) &&
        (!filters.needsNotice || (r.cancelBy !== null && r.cancelBy >= today)) &&
        (!search || r.tool.toLowerCase().includes(search) || (r.owner ?? '').toLowerCase().includes(search)),
    );
    return { today, timeZone: settings.timeZone, reminderLeadDays: settings.reminderLeadDays, items };
  }

  /**
   * Emails the reminders due today in each organization's time zone, once per tool, date and
   * lead time (the claim row is written in the transaction that queues the emails): to the
   * admins and the tool's owner (a member whose email the stack names), unless they turned
   * renewal reminders off. Returns how many reminders and emails it queued.
   */
  async sendReminders(now = new Date()): Promise<{ reminders: number; emails: number }> {
    const repository = new RenewalRepository(this.database.db);
    let after = '';
    let reminders = 0;
    let emails = 0;
    for (;;) {
      const organizations = await repository.organizationsAcrossOrganizations(after, PAGE);
      for (const organization of organizations) {
        const settings = readSettings(organization.settings);
        if (settings.reminderLeadDays.length === 0) continue;
        const { today, renewals } = await this.renewalsOf(organization.id, settings.timeZone, now);
        const due = dueReminders(renewals, settings.reminderLeadDays, today);
        for (const reminder of due) {
          const sent = await transaction(this.database.db, async (tx) => {
            const r = reminder.renewal;
            const claimed = await new RenewalRepository(tx).claimReminder(
              organization.id,
              r.key,
              reminder.dueDate,
              reminder.leadDays,
              reminder.reachedLeads,
            );
            if (!claimed) return null;
            const recipients = await new RenewalRepository(tx).reminderRecipients(
              organization.id,
              r.owner?.includes('@') ? [r.owner] : [],
            );
            const preferences = await new NotificationPreferencesRepository(tx).getMany(
              organization.id,
              recipients.map((u) => u.id),
            );
            const message = renewalReminderEmail({
              tool: r.tool,
              renewalDate: r.renewalDate,
              cancelBy: r.cancelBy,
              daysLeft: reminder.daysLeft,
              monthlyCost: r.monthlyCost === null ? null : formatMoney(r.monthlyCost, r.currency),
              recommendation: r.recommendation
                ? `${r.recommendation.title} (saves ${formatMoney(r.recommendation.estimatedMonthlySavings, r.currency)} a month)`
                : null,
              url: `${this.appUrl}/renewals`,
            });
            let queued = 0;
            for (const user of recipients) {
              if (preferences.get(user.id)?.emailRenewalReminders === false) continue;
              await new EmailOutboxRepository(tx).enqueue({
                organizationId: organization.id,
                template: 'renewal_reminder',
                to: user.email,
                ...message,
              });
              queued += 1;
            }
            return queued;
          });
          if (sent === null) continue;
          reminders += 1;
          emails += sent;
        }
      }
      if (organizations.length < PAGE) return { reminders, emails };
      after = organizations.at(-1)!.id;
    }
  }

  /** Whether the organization has a calendar feed (its URL is shown only when made). */
  async feed(actor: Actor): Promise<{ active: boolean; createdAt: Date | null }> {
    requireAdmin(actor);
    const feed = await new RenewalRepository(this.database.db).feed(actor.organization.id);
    return { active: feed !== null, createdAt: feed?.createdAt ?? null };
  }

  /** A new secret URL for the feed (admin); the previous one stops answering. Shown once. */
  async replaceFeed(actor: Actor, meta: RequestMeta): Promise<{ url: string; createdAt: Date | null }> {
    requireAdmin(actor);
    const token = newSecretToken();
    const repository = new RenewalRepository(this.database.db);
    await repository.replaceFeed(actor.organization.id, hashToken(token), actor.user.id);
    const feed = await repository.feed(actor.organization.id);
    return { url: `${linkOrigin(this.config, meta)}/api/calendar/${token}.ics`, createdAt: feed?.createdAt ?? null };
  }

  async deleteFeed(actor: Actor): Promise<void> {
    requireAdmin(actor);
    if (!(await new RenewalRepository(this.database.db).deleteFeed(actor.organization.id)))
      throw new NotFoundError('calendar feed');
  }

  /** The feed's .ics for whoever holds its URL (404 for an unknown or replaced token). */
  async calendar(token: string, now = new Date()): Promise<string> {
    const repository = new RenewalRepository(this.database.db);
    const organizationId = await repository.organizationOfFeedAcrossOrganizations(hashToken(token));
    if (!organizationId) throw new NotFoundError('calendar feed');
    const organization = await new OrganizationRepository(this.database.db).findById(organizationId);
    if (!organization) throw new NotFoundError('calendar feed');
    const settings = readSettings(organization.settings);
    const { renewals } = await this.renewalsOf(organizationId, settings.timeZone, now);
    return renewalCalendar({
      organizationId,
      organizationName: organization.name,
      renewals,
      url: `${this.appUrl}/renewals`,
      now,
    });
  }
}
