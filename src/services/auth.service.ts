/**
 * Accounts and sessions: signup, login, logout, the current user, and authenticating a
 * request's token. Sessions live in the database (any instance accepts any session);
 * the client holds a 256-bit token, the database its SHA-256.
 */
import type { Config } from '../config.js';
import { transaction, type Database, type Executor } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { exceeds, planLimits } from '../domain/plans.js';
import { hashToken, newSecretToken } from '../domain/tokens.js';
import { ConflictError, ForbiddenError, PlanLimitError, UnauthenticatedError, ValidationError } from '../errors.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { OrganizationRepository, type Organization } from '../repositories/organization.repository.js';
import { SessionRepository } from '../repositories/session.repository.js';
import { normalizeEmail, UserRepository, type User } from '../repositories/user.repository.js';
import type { Actor, RequestMeta } from './actor.js';
import { defaultSettings } from './organization.service.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limit.service.js';

export interface Authenticated {
  user: User;
  organization: Organization;
  token: string;
  expiresAt: Date;
}

const LOGIN_FAILED = 'The email or password is not right.';
/** Extend a session at most this often (a write per request would be wasteful). */
const EXTEND_EVERY_MS = 60 * 60 * 1000;

export class AuthService {
  constructor(
    private readonly database: Database,
    private readonly config: Config,
  ) {}

  private get ttlMs(): number {
    return this.config.sessionTtlDays * 86_400_000;
  }

  /** Creates a session for the user inside `db` (a transaction when part of a larger write). */
  async startSession(db: Executor, user: User, meta: RequestMeta): Promise<{ token: string; expiresAt: Date }> {
    const token = newSecretToken();
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await new SessionRepository(db).create({
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt,
      userAgent: meta.userAgent,
      ip: meta.ip,
    });
    return { token, expiresAt };
  }

  async signup(
    input: { email: string; password: string; name: string; organizationName?: string },
    meta: RequestMeta,
  ): Promise<Authenticated> {
    const limiter = new RateLimiter(this.database.db);
    await limiter.consume(`signup:ip:${meta.ip}`, this.config.rateLimits.signupPerIp);
    const email = normalizeEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    const domain = email.split('@')[1] ?? '';

    try {
      return await transaction(this.database.db, async (tx) => {
        const users = new UserRepository(tx);
        if (await users.findByEmailAcrossOrganizations(email)) {
          throw new ConflictError('An account with this email already exists: log in instead.');
        }
        const organizations = new OrganizationRepository(tx);
        const claiming = await organizations.findClaimingDomainAcrossOrganizations(domain);
        let organization: Organization;
        let user: User;
        if (claiming) {
          // The email's domain belongs to an organization: join it as a member.
          organization = claiming;
          const members = await users.countByOrganization(organization.id);
          if (exceeds(planLimits(organization.plan).members, members + 1)) {
            throw new PlanLimitError(
              `${organization.name} has reached its plan's member limit; ask an admin to upgrade or to free a seat.`,
            );
          }
          user = await users.create({
            email,
            passwordHash,
            name: input.name,
            organizationId: organization.id,
            role: 'member',
            plan: organization.plan ?? 'free',
          });
          await new CollaborationActivityRepository(tx).record(organization.id, {
            auditId: null,
            userId: user.id,
            action: 'member_joined',
            metadata: { via: 'allowed_domain', domain, role: 'member' },
          });
        } else {
          organization = await organizations.create({
            name: input.organizationName?.trim() || `${input.name}'s organization`,
            plan: 'free',
            settings: { ...defaultSettings() },
          });
          user = await users.create({
            email,
            passwordHash,
            name: input.name,
            organizationId: organization.id,
            role: 'admin',
            plan: 'free',
          });
        }
        const session = await this.startSession(tx, user, meta);
        return { user, organization, ...session };
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError('An account with this email already exists: log in instead.');
      throw error;
    }
  }

  async login(input: { email: string; password: string }, meta: RequestMeta): Promise<Authenticated> {
    const email = normalizeEmail(input.email);
    const limits = this.config.rateLimits;
    const limiter = new RateLimiter(this.database.db);
    const accountKey = `login:account:${email}`;
    const ipKey = `login:ip:${meta.ip}`;
    await limiter.check(ipKey, limits.loginPerIp);
    await limiter.check(accountKey, limits.loginPerAccount);

    const users = new UserRepository(this.database.db);
    const user = await users.findByEmailAcrossOrganizations(email);
    const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !valid) {
      await limiter.record(ipKey, limits.loginPerIp);
      await limiter.record(accountKey, limits.loginPerAccount);
      throw new UnauthenticatedError(LOGIN_FAILED);
    }
    if (user.organizationId === null) {
      throw new ForbiddenError('This account no longer belongs to an organization. Ask an admin for a new invite.');
    }
    const organizationId = user.organizationId;
    await limiter.reset(accountKey);
    // A legacy bcrypt hash (the seed plan's) becomes argon2id on the first successful login.
    const upgradedHash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;

    return transaction(this.database.db, async (tx) => {
      const txUsers = new UserRepository(tx);
      if (upgradedHash) await txUsers.setPasswordHash(organizationId, user.id, upgradedHash);
      const updated = (await txUsers.recordLogin(organizationId, user.id)) ?? user;
      const organization = await new OrganizationRepository(tx).findById(organizationId);
      if (!organization) throw new UnauthenticatedError(LOGIN_FAILED);
      const session = await this.startSession(tx, updated, meta);
      return { user: updated, organization, ...session };
    });
  }

  async logout(actor: Actor): Promise<void> {
    await new SessionRepository(this.database.db).delete(actor.sessionId);
  }

  /**
   * The actor of a session token, or null when the token is unknown or expired. Slides
   * the expiry forward (at most once an hour); `renewed` tells the caller to re-send the cookie.
   */
  async authenticate(token: string): Promise<{ actor: Actor; renewedUntil: Date | null } | null> {
    if (token.length < 20 || token.length > 200) return null;
    const sessions = new SessionRepository(this.database.db);
    const found = await sessions.findLiveByTokenHashAcrossOrganizations(hashToken(token));
    if (!found) return null;
    const now = Date.now();
    let renewedUntil: Date | null = null;
    if (found.session.expiresAt.getTime() - now < this.ttlMs - EXTEND_EVERY_MS) {
      renewedUntil = new Date(now + this.ttlMs);
      await sessions.extend(found.session.id, renewedUntil, new Date(now));
    }
    return { actor: { user: found.user, organization: found.organization, sessionId: found.session.id }, renewedUntil };
  }

  async updateMe(
    actor: Actor,
    input: { name?: string; email?: string; currentPassword?: string; newPassword?: string },
  ): Promise<User> {
    if (input.newPassword !== undefined) {
      if (input.currentPassword === undefined) {
        throw new ValidationError('Changing the password needs the current one.', [
          { field: 'body.currentPassword', message: 'is required with newPassword' },
        ]);
      }
      if (!(await verifyPassword(actor.user.passwordHash, input.currentPassword))) {
        throw new ValidationError('The current password is not right.', [
          { field: 'body.currentPassword', message: 'is not your current password' },
        ]);
      }
    }
    const newHash = input.newPassword !== undefined ? await hashPassword(input.newPassword) : null;
    try {
      return await transaction(this.database.db, async (tx) => {
        const users = new UserRepository(tx);
        let user: User | null = actor.user;
        if (input.email !== undefined && normalizeEmail(input.email) !== actor.user.email) {
          const taken = await users.findByEmailAcrossOrganizations(input.email);
          if (taken) throw new ConflictError('Another account already uses this email.');
        }
        if (input.name !== undefined || input.email !== undefined) {
          user = await users.updateProfile(actor.organization.id, actor.user.id, {
            name: input.name,
            email: input.email,
          });
        }
        if (newHash) {
          user = await users.setPasswordHash(actor.organization.id, actor.user.id, newHash);
          // A new password ends every other session: whoever knew the old one is out.
          await new SessionRepository(tx).deleteForUser(actor.user.id, actor.sessionId);
        }
        if (!user) throw new UnauthenticatedError();
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('Another account already uses this email.');
      throw error;
    }
  }
}
