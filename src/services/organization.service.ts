/** The organization: its settings, limits and usage. */
import { transaction, type Database } from '../db/database.js';
import { isTimeZone, startOfMonthUtc } from '../domain/days.js';
import {
  normalizeDomains,
  normalizeLeadDays,
  readSettings,
  type OrganizationSettings,
} from '../domain/organization-settings.js';
import { effectiveLimits, planLimits, type PlanLimits } from '../domain/plans.js';
import { ConflictError, UnprocessableError, ValidationError } from '../errors.js';
import { requireAdmin } from '../policies/organization.policy.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import { emailDomain, UserRepository } from '../repositories/user.repository.js';
import type { Actor } from './actor.js';
import type { OrganizationRecord } from './views.js';
import { SessionCache } from './session-cache.js';

export interface OrganizationView {
  organization: OrganizationRecord;
  settings: OrganizationSettings;
  limits: PlanLimits;
  usage: { auditsThisMonth: number; members: number };
}

export class OrganizationService {
  constructor(
    private readonly database: Database,
    /** Sessions carry their organization: a change is dropped from this instance's cache after its commit. */
    private readonly sessionCache: SessionCache = new SessionCache(0),
  ) {}

  /**
   * The actor's organization: the row came with the session lookup of this request (read
   * then, or at most SESSION_CACHE_SECONDS ago and dropped by any change since: session-cache.ts).
   */
  async get(actor: Actor): Promise<OrganizationView> {
    return this.summarize(actor.organization);
  }

  /** The organization as its members see it, read fresh (the given row may be older than a change). */
  async viewOf(given: OrganizationRecord): Promise<OrganizationView> {
    return this.summarize((await new OrganizationRepository(this.database.db).findById(given.id)) ?? given);
  }

  private async summarize(organization: OrganizationRecord): Promise<OrganizationView> {
    const db = this.database.db;
    const [auditsThisMonth, members] = await Promise.all([
      new AuditRepository(db).countCreatedSince(organization.id, startOfMonthUtc()),
      new UserRepository(db).countByOrganization(organization.id),
    ]);
    const settings = readSettings(organization.settings);
    return {
      organization,
      settings,
      limits: effectiveLimits(organization.plan, settings.maxAuditsPerMonth),
      usage: { auditsThisMonth, members },
    };
  }

  async update(
    actor: Actor,
    input: { name?: string; settings?: Partial<OrganizationSettings> },
  ): Promise<OrganizationView> {
    requireAdmin(actor);
    await transaction(this.database.db, async (tx) => {
      const organizations = new OrganizationRepository(tx);
      const current = await organizations.findById(actor.organization.id);
      if (!current) throw new ConflictError('The organization no longer exists.');
      if (input.name !== undefined) await organizations.rename(current.id, input.name.trim());
      if (input.settings !== undefined) {
        const next = { ...readSettings(current.settings), ...input.settings };
        next.allowedDomains = normalizeDomains(next.allowedDomains);
        next.reminderLeadDays = normalizeLeadDays(next.reminderLeadDays);
        if (!isTimeZone(next.timeZone)) {
          throw new ValidationError('The time zone is not one this server knows.', [
            { field: 'body.settings.timeZone', message: 'is not an IANA time zone name (e.g. Europe/Paris)' },
          ]);
        }
        const planMax = planLimits(current.plan).auditsPerMonth;
        if (next.maxAuditsPerMonth !== null && planMax !== null && next.maxAuditsPerMonth > planMax) {
          throw new UnprocessableError(
            'above_plan_limit',
            `The ${current.plan} plan allows at most ${planMax} audits a month; upgrade to allow more.`,
          );
        }
        const listed = new Set(readSettings(current.settings).allowedDomains);
        const added = next.allowedDomains.filter((d) => !listed.has(d));
        requireProvenDomains(actor, added);
        await organizations.lockDomainsAcrossOrganizations(added);
        const others = await organizations.findOthersClaimingDomains(current.id, next.allowedDomains);
        if (others.length > 0) {
          throw new ConflictError('Another organization already lists one of these domains in its allowed domains.');
        }
        // Keep keys this version does not know about (written by other tools or later versions).
        await organizations.replaceSettings(current.id, { ...current.settings, ...next });
      }
    });
    this.sessionCache.forgetOrganization(actor.organization.id);
    return this.viewOf(actor.organization);
  }
}

/**
 * A domain an organization lists pulls every verified signup at it into the organization:
 * only an admin who has proven they read mail at that domain (a verified email there) may
 * add it. Domains listed before are kept as they are.
 */
function requireProvenDomains(actor: Actor, added: string[]): void {
  const own = emailDomain(actor.user.email);
  const unproven = added.filter((domain) => domain !== own || actor.user.emailVerifiedAt === null);
  if (unproven.length === 0) return;
  const why =
    actor.user.emailVerifiedAt === null
      ? `your email address ${actor.user.email} is not verified yet (use the link we sent, or ask for a new one)`
      : `your verified email address is at ${own}`;
  throw new UnprocessableError(
    'domain_not_verified',
    `You can add ${unproven.join(', ')} only with a verified email address at that domain, and ${why}.`,
  );
}
