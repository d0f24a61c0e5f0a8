/** The organization: its settings, limits and usage. */
import { transaction, type Database } from '../db/database.js';
import { effectiveLimits, planLimits, type PlanLimits } from '../domain/plans.js';
import { ConflictError, UnprocessableError, ValidationError } from '../errors.js';
import { requireAdmin } from '../policies/organization.policy.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { OrganizationRepository, type Organization } from '../repositories/organization.repository.js';
import { emailDomain, UserRepository } from '../repositories/user.repository.js';
import type { Actor } from './actor.js';

export interface OrganizationSettings {
  allowedDomains: string[];
  /** The organization's own monthly cap, at most the plan's; null: the plan's. */
  maxAuditsPerMonth: number | null;
  auditRetentionDays: number;
  baseCurrency: string;
}

export interface OrganizationView {
  organization: Organization;
  settings: OrganizationSettings;
  limits: PlanLimits;
  usage: { auditsThisMonth: number; members: number };
}

export const defaultSettings = (): OrganizationSettings => ({
  allowedDomains: [],
  maxAuditsPerMonth: null,
  auditRetentionDays: 90,
  baseCurrency: 'USD',
});

// Domains anyone can have an address at: claiming one would pull strangers into an organization.
const SHARED_EMAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'ymail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'zoho.com',
  'qq.com',
  '163.com',
  'fastmail.com',
  'hey.com',
  'tutanota.com',
  'example.com',
]);
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The stored settings with the seed plan's keys, whatever older rows hold. */
export function readSettings(stored: Record<string, unknown> | null): OrganizationSettings {
  const defaults = defaultSettings();
  const s = stored ?? {};
  return {
    allowedDomains: Array.isArray(s.allowedDomains)
      ? s.allowedDomains.filter((d): d is string => typeof d === 'string')
      : defaults.allowedDomains,
    maxAuditsPerMonth: typeof s.maxAuditsPerMonth === 'number' ? s.maxAuditsPerMonth : defaults.maxAuditsPerMonth,
    auditRetentionDays: typeof s.auditRetentionDays === 'number' ? s.auditRetentionDays : defaults.auditRetentionDays,
    baseCurrency: typeof s.baseCurrency === 'string' ? s.baseCurrency : defaults.baseCurrency,
  };
}

/** The first moment of the current calendar month, UTC: monthly limits count from it. */
export function startOfMonthUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export class OrganizationService {
  constructor(private readonly database: Database) {}

  /** The actor's organization: the row came with the session lookup of this request, so it is current. */
  async get(actor: Actor): Promise<OrganizationView> {
    return this.summarize(actor.organization);
  }

  /** The organization as its members see it, read fresh (the given row may be older than a change). */
  async viewOf(given: Organization): Promise<OrganizationView> {
    return this.summarize((await new OrganizationRepository(this.database.db).findById(given.id)) ?? given);
  }

  private async summarize(organization: Organization): Promise<OrganizationView> {
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

function normalizeDomains(domains: string[]): string[] {
  const normalized = [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))];
  const details = normalized.flatMap((domain, i) => {
    if (!DOMAIN.test(domain)) return [{ field: `body.settings.allowedDomains.${i}`, message: 'is not a domain name' }];
    if (SHARED_EMAIL_DOMAINS.has(domain)) {
      return [
        { field: `body.settings.allowedDomains.${i}`, message: 'is a shared email provider anyone can sign up at' },
      ];
    }
    return [];
  });
  if (details.length > 0) throw new ValidationError('Some allowed domains cannot be used.', details);
  return normalized;
}
