import { and, asc, eq, ne, or, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { organizations } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export type Organization = typeof organizations.$inferSelect;
export type OrganizationSettings = Record<string, unknown>;

export interface NewOrganization {
  id?: string;
  name: string;
  plan?: string;
  settings?: OrganizationSettings;
}

/** Organizations are the tenants: each method names the one organization it touches. */
export class OrganizationRepository {
  constructor(private readonly db: Executor) {}

  async create(input: NewOrganization): Promise<Organization> {
    const now = new Date();
    const [row] = await this.db
      .insert(organizations)
      .values({
        id: input.id ?? newId('organization'),
        name: input.name,
        plan: input.plan ?? 'free',
        settings: input.settings ?? {},
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  }

  /** Inserts unless the id exists; true when it inserted. */
  async createIfAbsent(input: NewOrganization & { id: string }): Promise<boolean> {
    const now = new Date();
    const rows = await this.db
      .insert(organizations)
      .values({ ...input, plan: input.plan ?? 'free', settings: input.settings ?? {}, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: organizations.id })
      .returning({ id: organizations.id });
    return rows.length === 1;
  }

  /** Locks the organization's row until the transaction ends: serialises limit checks (monthly audits). */
  async lockForUpdate(organizationId: string): Promise<Organization | null> {
    const [row] = await this.db.select().from(organizations).where(eq(organizations.id, organizationId)).for('update');
    return row ?? null;
  }

  async findById(organizationId: string): Promise<Organization | null> {
    const [row] = await this.db.select().from(organizations).where(eq(organizations.id, organizationId));
    return row ?? null;
  }

  async rename(organizationId: string, name: string): Promise<Organization | null> {
    return this.update(organizationId, { name });
  }

  /** Replaces the settings object as a whole (the service merges). */
  async replaceSettings(organizationId: string, settings: OrganizationSettings): Promise<Organization | null> {
    return this.update(organizationId, { settings });
  }

  async setPlan(organizationId: string, plan: string): Promise<Organization | null> {
    return this.update(organizationId, { plan });
  }

  async setStripeIds(
    organizationId: string,
    ids: { stripeCustomerId?: string | null; stripeSubscriptionId?: string | null },
  ): Promise<Organization | null> {
    return this.update(organizationId, ids);
  }

  /** Billing webhooks know only Stripe's customer id; the answer says which tenant it is. */
  async findByStripeCustomerIdAcrossOrganizations(stripeCustomerId: string): Promise<Organization | null> {
    const [row] = await this.db
      .select()
      .from(organizations)
      .where(eq(organizations.stripeCustomerId, stripeCustomerId));
    return row ?? null;
  }

  /** Signup looks for the organization whose settings.allowedDomains lists the email's domain (oldest first). */
  async findClaimingDomainAcrossOrganizations(domain: string): Promise<Organization | null> {
    const [row] = await this.db
      .select()
      .from(organizations)
      .where(sql`(${organizations.settings} -> 'allowedDomains') @> ${JSON.stringify([domain])}::jsonb`)
      .orderBy(asc(organizations.createdAt), asc(organizations.id))
      .limit(1);
    return row ?? null;
  }

  /**
   * Holds each domain's lock until the transaction ends: two organizations saving the same
   * new domain at once take turns, and the second finds it claimed (no unique index can say
   * "one organization per element of a jsonb array"). Sorted, so two saves never deadlock.
   */
  async lockDomainsAcrossOrganizations(domains: string[]): Promise<void> {
    for (const domain of [...domains].sort()) {
      await this.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`domain:${domain}`}, 0))`);
    }
  }

  /** The organizations other than this one that list any of the domains. */
  async findOthersClaimingDomains(organizationId: string, domains: string[]): Promise<Organization[]> {
    if (domains.length === 0) return [];
    return this.db
      .select()
      .from(organizations)
      .where(
        and(
          ne(organizations.id, organizationId),
          or(
            ...domains.map(
              (d) => sql`(${organizations.settings} -> 'allowedDomains') @> ${JSON.stringify([d])}::jsonb`,
            ),
          ),
        ),
      );
  }

  async delete(organizationId: string): Promise<boolean> {
    const rows = await this.db
      .delete(organizations)
      .where(eq(organizations.id, organizationId))
      .returning({ id: organizations.id });
    return rows.length === 1;
  }

  private async update(
    organizationId: string,
    values: Partial<Pick<Organization, 'name' | 'settings' | 'plan' | 'stripeCustomerId' | 'stripeSubscriptionId'>>,
  ): Promise<Organization | null> {
    const [row] = await this.db
      .update(organizations)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(organizations.id, organizationId))
      .returning();
    return row ?? null;
  }
}
