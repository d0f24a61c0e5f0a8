import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { users } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export type User = typeof users.$inferSelect;

const { passwordHash: _passwordHash, updatedAt: _updatedAt, ...ACCOUNT_COLUMNS } = getTableColumns(users);
/** A user's columns but the password hash (what a session carries): every request reads them. */
export { ACCOUNT_COLUMNS };
export type Role = 'admin' | 'member' | 'viewer';

export interface NewUser {
  id?: string;
  email: string;
  passwordHash: string;
  name?: string | null;
  organizationId: string | null;
  role?: Role;
  plan?: string;
  /** Waiting for a verified email to join the organization that claims its domain (organizationId null). */
  domainJoinPending?: boolean;
}

/** Emails are compared case-insensitively: stored lower-cased, looked up lower-cased. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The part after the @ of an address, lower-cased ('' when there is none). */
export const emailDomain = (email: string): string => normalizeEmail(email).split('@')[1] ?? '';

export class UserRepository {
  constructor(private readonly db: Executor) {}

  async create(input: NewUser): Promise<User> {
    const now = new Date();
    const [row] = await this.db
      .insert(users)
      .values({
        id: input.id ?? newId('user'),
        email: normalizeEmail(input.email),
        passwordHash: input.passwordHash,
        name: input.name ?? null,
        organizationId: input.organizationId,
        role: input.role ?? 'member',
        plan: input.plan ?? 'free',
        domainJoinPending: input.domainJoinPending ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  }

  /** Inserts unless the id or the email exists; true when it inserted. */
  async createIfAbsent(input: NewUser & { id: string }): Promise<boolean> {
    const now = new Date();
    const rows = await this.db
      .insert(users)
      .values({
        ...input,
        email: normalizeEmail(input.email),
        role: input.role ?? 'member',
        plan: input.plan ?? 'free',
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: users.id });
    return rows.length === 1;
  }

  /** A user of this organization, or null (also when the user belongs to another one). */
  async findById(organizationId: string, userId: string): Promise<User | null> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(and(eq(users.id, userId), eq(users.organizationId, organizationId)));
    return row ?? null;
  }

  /** The stored password hash, to check a password given again (a profile change); null without the user. */
  async passwordHashAcrossOrganizations(userId: string): Promise<string | null> {
    const [row] = await this.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
    return row?.hash ?? null;
  }

  /** For authentication, which starts before any organization is known. */
  async findByIdAcrossOrganizations(userId: string): Promise<User | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    return row ?? null;
  }

  /**
   * Locks the user's row until the transaction ends: every use of the user's emailed links
   * queues here first, so two used at once cannot deadlock on each other's rows.
   */
  async lockAcrossOrganizations(userId: string): Promise<User | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId)).for('update');
    return row ?? null;
  }

  /** For login and signup, which start before any organization is known. */
  async findByEmailAcrossOrganizations(email: string): Promise<User | null> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(eq(users.email, normalizeEmail(email)));
    return row ?? null;
  }

  /** The members of an organization, oldest first (a bounded list: plans cap members). */
  async listByOrganization(organizationId: string): Promise<User[]> {
    return this.db
      .select()
      .from(users)
      .where(eq(users.organizationId, organizationId))
      .orderBy(asc(users.createdAt), asc(users.id));
  }

  async countByOrganization(organizationId: string, role?: Role): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(users)
      .where(and(eq(users.organizationId, organizationId), role ? eq(users.role, role) : undefined));
    return row?.count ?? 0;
  }

  /** A new email is not verified: whoever typed it has not yet shown they read mail there. */
  async updateProfile(
    organizationId: string | null,
    userId: string,
    changes: { name?: string | null; email?: string },
  ): Promise<User | null> {
    const values: Partial<Pick<User, 'name' | 'email' | 'emailVerifiedAt'>> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.email !== undefined) {
      values.email = normalizeEmail(changes.email);
      values.emailVerifiedAt = null;
    }
    return this.update(organizationId, userId, values);
  }

  async setRole(organizationId: string, userId: string, role: Role): Promise<User | null> {
    return this.update(organizationId, userId, { role });
  }

  async setPasswordHash(organizationId: string | null, userId: string, passwordHash: string): Promise<User | null> {
    return this.update(organizationId, userId, { passwordHash });
  }

  /**
   * For password reset, which may concern an account that belongs to no organization
   * (one waiting to join by domain, or a removed member).
   */
  async setPasswordHashAcrossOrganizations(userId: string, passwordHash: string): Promise<User | null> {
    const [row] = await this.db
      .update(users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning();
    return row ?? null;
  }

  /** The email is proven (a verification link was used); the first proof's time is kept. */
  async markEmailVerifiedAcrossOrganizations(userId: string, email: string, at = new Date()): Promise<User | null> {
    const [row] = await this.db
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${at})`, updatedAt: at })
      .where(and(eq(users.id, userId), eq(users.email, email)))
      .returning();
    return row ?? null;
  }

  async recordLogin(organizationId: string, userId: string, at = new Date()): Promise<User | null> {
    const [row] = await this.db
      .update(users)
      .set({ lastLoginAt: at })
      .where(and(eq(users.id, userId), eq(users.organizationId, organizationId)))
      .returning();
    return row ?? null;
  }

  /** users.plan mirrors the organization's plan (the seed's column): set it for every member. */
  async setPlanForOrganization(organizationId: string, plan: string): Promise<void> {
    await this.db.update(users).set({ plan, updatedAt: new Date() }).where(eq(users.organizationId, organizationId));
  }

  /** Attaches a user with no organization to this one (an invite accepted, a domain join verified). */
  async attachToOrganization(userId: string, organizationId: string, role: Role, plan: string): Promise<User | null> {
    const [row] = await this.db
      .update(users)
      .set({ organizationId, role, plan, domainJoinPending: false, updatedAt: new Date() })
      .where(and(eq(users.id, userId), isNull(users.organizationId)))
      .returning();
    return row ?? null;
  }

  /** Removes the user from the organization (the account stays, with no organization). */
  async removeFromOrganization(organizationId: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .update(users)
      .set({ organizationId: null, updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.organizationId, organizationId)))
      .returning({ id: users.id });
    return rows.length === 1;
  }

  /** `organizationId` null: a user who belongs to no organization (changing their own account). */
  private async update(
    organizationId: string | null,
    userId: string,
    values: Partial<Pick<User, 'name' | 'email' | 'emailVerifiedAt' | 'role' | 'passwordHash'>>,
  ): Promise<User | null> {
    const [row] = await this.db
      .update(users)
      .set({ ...values, updatedAt: new Date() })
      .where(
        and(
          eq(users.id, userId),
          organizationId === null ? isNull(users.organizationId) : eq(users.organizationId, organizationId),
        ),
      )
      .returning();
    return row ?? null;
  }
}
