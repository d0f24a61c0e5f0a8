/**
 * Audits: the stack a company pays for, and its analyses. Every write that asks for an
 * analysis queues it in the same transaction (status 'pending' on the audit row); the
 * analysis worker picks it up.
 */
import type { Database } from '../db/database.js';
import { transaction } from '../db/database.js';
import { searchCatalog, type CatalogEntry } from '../domain/analysis/catalog.js';
import { stackProblems, type StackData } from '../domain/analysis/stack.js';
import { effectiveLimits } from '../domain/plans.js';
import { parseToolCsv } from '../domain/tool-csv.js';
import { NotFoundError, PlanLimitError, ValidationError } from '../errors.js';
import { requireCreator } from '../policies/organization.policy.js';
import { AuditRepository, type AuditStatus, type JsonPage } from '../repositories/audit.repository.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import { ToolCostRepository } from '../repositories/tool-cost.repository.js';
import type { AuditDiff } from '../domain/audit-diff.js';
import type { Actor } from './actor.js';
import type { AuditSummaryView, AuditView, PageRequest } from './views.js';
import { openAudit, openAuditPage } from './audit-access.js';
import type { JsonText } from '../db/json-text.js';
import { diffAudits } from '../domain/audit-diff.js';
import { addMonths, startOfMonthUtc, todayIn } from '../domain/days.js';
import { stackFromSpend } from '../domain/spend-to-stack.js';
import { ExchangeRateRepository } from '../repositories/exchange-rate.repository.js';
import { readSettings } from '../domain/organization-settings.js';

export type { AuditDiff } from '../domain/audit-diff.js';

export class AuditService {
  constructor(
    private readonly database: Database,
    /** Called after a commit that queued an analysis, to wake this instance's worker. */
    private readonly onQueued: () => void = () => {},
  ) {}

  async create(actor: Actor, input: { name: string; stackData: StackData }): Promise<AuditView> {
    requireCreator(actor);
    assertStack(input.stackData);
    const audit = await transaction(this.database.db, async (tx) => {
      // Lock the organization's row: concurrent creates then count one after the other,
      // so the monthly limit holds under load.
      const organization = await new OrganizationRepository(tx).lockForUpdate(actor.organization.id);
      if (!organization) throw new NotFoundError('organization');
      const limit = effectiveLimits(
        organization.plan,
        readSettings(organization.settings).maxAuditsPerMonth,
      ).auditsPerMonth;
      const audits = new AuditRepository(tx);
      if (limit !== null && (await audits.countCreatedSince(organization.id, startOfMonthUtc())) >= limit) {
        throw new PlanLimitError(
          `This month's ${limit} audits are used (the ${organization.plan} plan${readSettings(organization.settings).maxAuditsPerMonth !== null ? ' and your organization setting' : ''}). Upgrade, or wait for next month.`,
        );
      }
      const created = await audits.create({
        organizationId: organization.id,
        userId: actor.user.id,
        name: input.name,
        stackData: input.stackData,
      });
      await new CollaborationActivityRepository(tx).record(organization.id, {
        auditId: created.id,
        userId: actor.user.id,
        action: 'audit_created',
        metadata: { name: created.name, toolCount: input.stackData.tools.length },
      });
      return created;
    });
    this.onQueued();
    return audit;
  }

  /**
   * A page of the audits the actor may see, newest first (the access policy, in SQL): its
   * items as the answer's JSON text, written by PostgreSQL (AuditRepository.listPage).
   */
  async list(actor: Actor, options: PageRequest & { status?: AuditStatus }): Promise<JsonPage> {
    return new AuditRepository(this.database.db).listPage(actor.organization.id, {
      ...options,
      visibleTo: { userId: actor.user.id, role: actor.user.role },
    });
  }

  /**
   * GET /api/audits/:id's answer (AuditDetailSchema) as JSON text, written by PostgreSQL in
   * the statement that reads the caller's level (AccessRepository.auditPage): the audit, its
   * latest analysis and that level. 404 for none, as any read of an audit.
   */
  async page(actor: Actor, auditId: string): Promise<JsonText> {
    return openAuditPage(this.database.db, actor, auditId);
  }

  async update(actor: Actor, auditId: string, input: { name?: string; stackData?: StackData }): Promise<AuditView> {
    const { audit } = await openAudit(this.database.db, actor, auditId, 'edit');
    if (input.name === undefined && input.stackData === undefined) {
      throw new ValidationError('Nothing to change: give a name or stack data.', [
        { field: 'body', message: 'must have name or stackData' },
      ]);
    }
    if (input.stackData) assertStack(input.stackData);
    const updated = await transaction(this.database.db, async (tx) => {
      const audits = new AuditRepository(tx);
      let row: AuditView | null = null;
      if (input.name !== undefined) row = await audits.rename(actor.organization.id, audit.id, input.name);
      if (input.stackData !== undefined)
        row = await audits.replaceStackData(actor.organization.id, audit.id, input.stackData);
      if (!row) throw new NotFoundError('audit');
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: audit.id,
        userId: actor.user.id,
        action: 'audit_updated',
        metadata: { fields: Object.keys(input).sort() },
      });
      return row;
    });
    if (input.stackData !== undefined) this.onQueued();
    return updated;
  }

  async delete(actor: Actor, auditId: string): Promise<void> {
    const { audit } = await openAudit(this.database.db, actor, auditId, 'manage');
    await transaction(this.database.db, async (tx) => {
      await new AuditRepository(tx).delete(actor.organization.id, audit.id);
      // No audit_id: the audit's own activity goes with it (ON DELETE CASCADE), this row stays.
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: null,
        userId: actor.user.id,
        action: 'audit_deleted',
        metadata: { auditId: audit.id, name: audit.name },
      });
    });
  }

  async analyze(actor: Actor, auditId: string): Promise<AuditView> {
    const { audit } = await openAudit(this.database.db, actor, auditId, 'edit');
    const queued = await new AuditRepository(this.database.db).queueAnalysis(actor.organization.id, audit.id);
    if (!queued) throw new NotFoundError('audit');
    this.onQueued();
    return queued;
  }

  async diff(actor: Actor, auditId: string, againstId?: string): Promise<AuditDiff> {
    const { audit: to } = await openAudit(this.database.db, actor, auditId, 'view');
    const audits = new AuditRepository(this.database.db);
    let from: AuditSummaryView | null;
    if (againstId) {
      from = (await openAudit(this.database.db, actor, againstId, 'view')).audit;
    } else {
      // The previous audit the caller can see: a private one of someone else is not compared against.
      from = await audits.findPrevious(actor.organization.id, to, {
        userId: actor.user.id,
        role: actor.user.role,
      });
      if (!from) throw new NotFoundError('earlier audit to compare with');
    }
    // Opening an audit does not read its stack: the two compared are read here, in one statement.
    const stacks = await audits.stacksOf(actor.organization.id, [from.id, to.id]);
    return diffAudits({ ...from, stackData: stacks.get(from.id) }, { ...to, stackData: stacks.get(to.id) });
  }

  async importCsv(actor: Actor, name: string, csv: string): Promise<AuditView> {
    requireCreator(actor);
    const { tools, problems } = parseToolCsv(csv);
    if (problems.length > 0) {
      throw new ValidationError(`${problems.length} problem(s) in the CSV: nothing was imported.`, problems);
    }
    return this.create(actor, { name, stackData: { tools } });
  }

  /** An audit of what the organization actually paid: the last `months` of tool costs, averaged per month. */
  async fromSpend(actor: Actor, name: string, months: number): Promise<AuditView> {
    requireCreator(actor);
    const settings = readSettings(actor.organization.settings);
    // Whole months only, ending before the current (partial) month in the organization's time zone.
    const until = `${todayIn(settings.timeZone).slice(0, 7)}-01`;
    const window = { from: addMonths(until, -months), until, months };
    const db = this.database.db;
    const [totals, rates] = await Promise.all([
      new ToolCostRepository(db).totalsByToolBetween(actor.organization.id, window.from, window.until),
      new ExchangeRateRepository(db).asTable(actor.organization.id),
    ]);
    if (totals.length === 0) {
      throw new ValidationError(
        `No tool costs in the ${months} whole month(s) from ${window.from}: import spend first (the current month counts once it is over).`,
        [{ field: 'body.months', message: 'covers no imported costs' }],
      );
    }
    const tools = stackFromSpend(totals, window, settings.baseCurrency, rates).slice(0, 1000);
    return this.create(actor, { name, stackData: { currency: settings.baseCurrency, tools } });
  }

  catalog(query: string): CatalogEntry[] {
    return searchCatalog(query, 20);
  }
}

function assertStack(stack: StackData): void {
  const problems = stackProblems(stack);
  if (problems.length > 0) throw new ValidationError('The stack data is not valid: see details.', problems);
}
