/**
 * Accounts and sessions: signup, email verification, login, password reset, logout, the
 * current user, and authenticating a request's token. Sessions live in the database (any
 * instance accepts any session); the client holds a 256-bit token, the database its
 * SHA-256. So do the links sent by email (verification, reset): single use, short-lived.
 */
import { setTimeout } from 'node:timers/promises';

import type { Config } from '../config.js';
import { transaction, type Database, type Executor } from '../db/database.js';
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  isUniqueViolation,
  PlanLimitError,
  UnauthenticatedError,
  ValidationError,
} from '../errors.js';
import { emailChangedEmail, passwordChangedEmail, passwordResetEmail, verifyEmail } from '../domain/email-templates.js';
import { exceeds, planLimits } from '../domain/plans.js';
import { hashToken, newSecretToken } from '../domain/tokens.js';
import {
  AccountTokenRepository,
  type AccountToken,
  type AccountTokenPurpose,
} from '../repositories/account-token.repository.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { EmailOutboxRepository } from '../repositories/email-outbox.repository.js';
import { OrganizationRepository, type Organization } from '../repositories/organization.repository.js';
import { SessionRepository, type SessionContext } from '../repositories/session.repository.js';
import { TeamInviteRepository } from '../repositories/team-invite.repository.js';
import { emailDomain, normalizeEmail, UserRepository, type User } from '../repositories/user.repository.js';
import { linkOrigin, type AccountSession, type Actor, type RequestMeta } from './actor.js';
import type { OrganizationRecord, UserView } from './views.js';
import { defaultSettings } from '../domain/organization-settings.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limit.service.js';
import { SessionCache } from './session-cache.js';

export interface Authenticated {
  user: UserView;
  /** Null for an account that belongs to no organization (see AccountSession). */
  organization: OrganizationRecord | null;
  token: string;
  expiresAt: Date;
}

const LOGIN_FAILED = 'The email or password is not right.';
const EMAIL_TAKEN = 'An account with this email already exists: log in instead.';
/** Extend a session at most this often (a write per request would be wasteful). */
const EXTEND_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;
const VERIFY_EMAIL_TTL_MS = DAY_MS;
const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
/** How long asking for a reset link takes, known address or not (well above the work it does). */
const RESET_REQUEST_MS = 200;
/** Emailed tokens are newSecretToken()s: 43 base64url characters. */
const EMAILED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The rate-limit key of an account's failed password checks (login, invite acceptance). */
export const accountAttemptsKey = (email: string): string => `login:account:${normalizeEmail(email)}`;

export class AuthService {
  constructor(
    private readonly database: Database,
    private readonly config: Config,
    /** Sessions looked up in the last seconds; changes made here are dropped from it after their commit. */
    readonly sessionCache: SessionCache = new SessionCache(0),
  ) {}

  /** The expiry a session has when used at `now`: idle lifetime from now, within the absolute one. */
  private expiryAt(createdAt: Date, now: number): Date {
    return new Date(
      Math.min(now + this.config.sessionIdleDays * DAY_MS, createdAt.getTime() + this.config.sessionMaxDays * DAY_MS),
    );
  }

  /** Creates a session for the user inside `db` (a transaction when part of a larger write). */
  async startSession(
    db: Executor,
    user: { id: string },
    meta: RequestMeta,
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = newSecretToken();
    const now = new Date();
    const expiresAt = this.expiryAt(now, now.getTime());
    await new SessionRepository(db).create({
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt,
      userAgent: meta.userAgent,
      ip: meta.ip,
    });
    return { token, expiresAt };
  }

  /**
   * A new account. At an email domain no organization claims, it gets an organization of
   * its own and is its admin. At a claimed domain it belongs to no organization until its
   * email is verified (verifyEmail), then joins that one as a member: an address nobody has
   * proven to read must not open a company's data.
   */
  async signup(
    input: { email: string; password: string; name: string; organizationName?: string },
    meta: RequestMeta,
  ): Promise<Authenticated> {
    await new RateLimiter(this.database.db).consume(`signup:ip:${meta.ip}`, this.config.rateLimits.signupPerIp);
    const email = normalizeEmail(input.email);
    const passwordHash = await hashPassword(input.password);

    try {
      return await transaction(this.database.db, async (tx) => {
        const users = new UserRepository(tx);
        if (await users.findByEmailAcrossOrganizations(email)) throw new ConflictError(EMAIL_TAKEN);
        const organizations = new OrganizationRepository(tx);
        const claimed = await organizations.findClaimingDomainAcrossOrganizations(emailDomain(email));
        let organization: Organization | null = null;
        let user: User;
        if (claimed) {
          user = await users.create({
            email,
            passwordHash,
            name: input.name,
            organizationId: null,
            role: 'member',
            domainJoinPending: true,
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
        await this.sendVerification(tx, user, meta);
        const session = await this.startSession(tx, user, meta);
        return { user, organization, ...session };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(EMAIL_TAKEN);
      throw error;
    }
  }

  /** Writes a verification link (24 h, single use) and its email, in `db`'s transaction. */
  private async sendVerification(db: Executor, user: UserView, meta: RequestMeta): Promise<void> {
    const token = newSecretToken();
    const expiresAt = new Date(Date.now() + VERIFY_EMAIL_TTL_MS);
    await new AccountTokenRepository(db).create({
      userId: user.id,
      purpose: 'verify_email',
      tokenHash: hashToken(token),
      email: user.email,
      expiresAt,
    });
    const message = verifyEmail({
      name: user.name ?? user.email,
      verifyUrl: `${linkOrigin(this.config, meta)}/verify-email/${token}`,
      expiresAt,
      joining: user.domainJoinPending,
    });
    await new EmailOutboxRepository(db).enqueue({
      organizationId: user.organizationId,
      template: 'verify_email',
      to: user.email,
      ...message,
    });
  }

  /** Sends a fresh verification link to the logged-in user (rate-limited per user). */
  async resendVerification(account: AccountSession, meta: RequestMeta): Promise<void> {
    if (account.user.emailVerifiedAt) {
      throw new ConflictError('Your email address is already verified.', 'already_verified');
    }
    await new RateLimiter(this.database.db).consume(
      `verify-email:user:${account.user.id}`,
      this.config.rateLimits.verificationEmailsPerUser,
    );
    await transaction(this.database.db, (tx) => this.sendVerification(tx, account.user, meta));
  }

  /**
   * Uses a verification link, logged in as the account it was sent for: the email is
   * verified, and an account waiting to join by domain joins the organization that claims
   * it (as a member), all in one transaction. If that organization has no free seat, nothing
   * changes (402) and the link still works.
   *
   * Why logged in: the link proves that someone reads the mailbox, not that it is the person
   * who chose the account's password and holds its sessions. Whoever signed up with another
   * person's address must not be let into that person's company by the owner's click. The
   * owner, who does not know that password, resets it (which ends every session) and then
   * uses the link.
   */
  async verifyEmail(
    account: AccountSession,
    token: string,
    meta: RequestMeta,
  ): Promise<{ user: User; organization: Organization | null }> {
    await new RateLimiter(this.database.db).consume(`email-link:ip:${meta.ip}`, this.config.rateLimits.emailLinksPerIp);
    const verified = await transaction(this.database.db, async (tx) => {
      const { user: holder } = await this.useEmailedToken(tx, 'verify_email', token, 'body.token', account.user.id);
      const user = (await new UserRepository(tx).markEmailVerifiedAcrossOrganizations(holder.id, holder.email))!;
      await new AccountTokenRepository(tx).retireOutstanding(user.id, 'verify_email');
      if (user.organizationId === null && user.domainJoinPending) return this.joinByDomain(tx, user);
      const organization = user.organizationId
        ? await new OrganizationRepository(tx).findById(user.organizationId)
        : null;
      return { user, organization };
    });
    // The account is verified, and may have joined an organization: its sessions say so next.
    this.sessionCache.forgetUser(verified.user.id);
    return verified;
  }

  /** A verified account waiting to join by domain joins the organization that claims it now. */
  private async joinByDomain(tx: Executor, user: User): Promise<{ user: User; organization: Organization }> {
    const users = new UserRepository(tx);
    const organizations = new OrganizationRepository(tx);
    const domain = emailDomain(user.email);
    const claimed = await organizations.findClaimingDomainAcrossOrganizations(domain);
    if (!claimed) {
      // The domain was released since the signup: the account gets an organization of its
      // own, as a signup at an unclaimed domain does.
      const organization = await organizations.create({
        name: `${user.name ?? user.email}'s organization`,
        plan: 'free',
        settings: { ...defaultSettings() },
      });
      const joined = await users.attachToOrganization(user.id, organization.id, 'admin', 'free');
      return { user: joined!, organization };
    }
    // Locked so that two joins (or a join and an invite's acceptance) cannot both take the
    // last seat. Outstanding invites hold their seats: a join must not take an invitee's.
    const organization = (await organizations.lockForUpdate(claimed.id))!;
    const members = await users.countByOrganization(organization.id);
    const invited = await new TeamInviteRepository(tx).countOutstanding(organization.id);
    if (exceeds(planLimits(organization.plan).members, members + invited + 1)) {
      throw new PlanLimitError(
        `${organization.name} has reached its plan's member limit: ask an admin to upgrade or free a seat, then open the link again.`,
      );
    }
    const joined = await users.attachToOrganization(user.id, organization.id, 'member', organization.plan ?? 'free');
    await new CollaborationActivityRepository(tx).record(organization.id, {
      auditId: null,
      userId: user.id,
      action: 'member_joined',
      metadata: { via: 'allowed_domain', domain, role: 'member' },
    });
    return { user: joined!, organization };
  }

  /**
   * Marks an emailed link used and returns it with its user, or throws: 400 for a link that
   * never existed, 410 for one used, expired or sent to an address the user no longer has,
   * 403 when `holder` is given and the link is another user's. Inside the caller's
   * transaction, so a request refused later (a full organization, say) leaves it usable.
   */
  private async useEmailedToken(
    tx: Executor,
    purpose: AccountTokenPurpose,
    token: string,
    field: string,
    holder?: string,
  ): Promise<{ token: AccountToken; user: User }> {
    const invalid = () =>
      new ValidationError('This link is not valid: check that you copied all of it, or ask for a new one.', [
        { field, message: 'is not a link we sent' },
      ]);
    if (!EMAILED_TOKEN.test(token)) throw invalid();
    const tokens = new AccountTokenRepository(tx);
    const tokenHash = hashToken(token);
    const found = await tokens.findAcrossOrganizations(purpose, tokenHash);
    if (!found) throw invalid();
    if (holder !== undefined && found.userId !== holder) {
      throw new ForbiddenError(
        'This link confirms the address of another account: log out, then log in to the account it was sent to.',
      );
    }
    // The user's row first, then the link: two links of one user used at once queue on the
    // same row in the same order instead of deadlocking on each other's.
    const user = await new UserRepository(tx).lockAcrossOrganizations(found.userId);
    const used = await tokens.consumeAcrossOrganizations(purpose, tokenHash);
    if (!used) {
      if (found.expiresAt.getTime() <= Date.now()) {
        throw new GoneError('token_expired', 'This link has expired: ask for a new one.');
      }
      throw new GoneError('token_used', 'This link was already used: ask for a new one.');
    }
    if (!user || user.email !== used.email) {
      throw new GoneError('token_expired', 'This link was sent to an email address the account no longer has.');
    }
    return { token: used, user };
  }

  /**
   * Emails a password reset link (1 h, single use) if the address has an account. The
   * caller answers the same either way, and both limits count every request whether the
   * account exists or not, so neither the answer nor a 429 tells who has an account.
   */
  async requestPasswordReset(input: { email: string }, meta: RequestMeta): Promise<void> {
    const email = normalizeEmail(input.email);
    const limiter = new RateLimiter(this.database.db);
    await limiter.consume(`password-reset:ip:${meta.ip}`, this.config.rateLimits.passwordResetPerIp);
    await limiter.consume(`password-reset:email:${email}`, this.config.rateLimits.passwordResetPerEmail);
    // The answer takes the same time whether or not the address has an account (writing the
    // link and its email takes a few milliseconds that would otherwise tell).
    const answerAt = Date.now() + RESET_REQUEST_MS;
    try {
      await this.emailResetLink(email, meta);
    } finally {
      await setTimeout(Math.max(0, answerAt - Date.now()));
    }
  }

  private async emailResetLink(email: string, meta: RequestMeta): Promise<void> {
    const user = await new UserRepository(this.database.db).findByEmailAcrossOrganizations(email);
    if (!user) return;
    const token = newSecretToken();
    const expiresAt = new Date(Date.now() + PASSWORD_RESET_TTL_MS);
    await transaction(this.database.db, async (tx) => {
      await new AccountTokenRepository(tx).create({
        userId: user.id,
        purpose: 'password_reset',
        tokenHash: hashToken(token),
        email: user.email,
        expiresAt,
      });
      const message = passwordResetEmail({
        name: user.name ?? user.email,
        resetUrl: `${linkOrigin(this.config, meta)}/reset-password/${token}`,
        expiresAt,
      });
      await new EmailOutboxRepository(tx).enqueue({
        organizationId: user.organizationId,
        template: 'password_reset',
        to: user.email,
        ...message,
      });
    });
  }

  /**
   * Uses a reset link: sets the password, ends every session of the user (whoever knew the
   * old password is out), retires the user's other reset links, tells the user by email, and
   * logs them in with a new session, in one transaction.
   */
  async resetPassword(token: string, input: { password: string }, meta: RequestMeta): Promise<Authenticated> {
    await new RateLimiter(this.database.db).consume(`email-link:ip:${meta.ip}`, this.config.rateLimits.emailLinksPerIp);
    // Hashed before the transaction, which then stays short (argon2id takes ~10 ms).
    const passwordHash = await hashPassword(input.password);
    const result = await transaction(this.database.db, async (tx) => {
      const { user: current } = await this.useEmailedToken(tx, 'password_reset', token, 'params.token');
      const users = new UserRepository(tx);
      let user = (await users.setPasswordHashAcrossOrganizations(current.id, passwordHash))!;
      await new AccountTokenRepository(tx).retireOutstanding(user.id, 'password_reset');
      await new SessionRepository(tx).deleteForUser(user.id);
      // The owner of the mailbox is back in: earlier failed logins no longer hold them off.
      await new RateLimiter(tx).reset(accountAttemptsKey(user.email));
      let organization: Organization | null = null;
      if (user.organizationId) {
        organization = await new OrganizationRepository(tx).findById(user.organizationId);
        user = (await users.recordLogin(user.organizationId, user.id)) ?? user;
      }
      await this.tellPasswordChanged(tx, user, meta);
      const session = await this.startSession(tx, user, meta);
      return { user, organization, ...session };
    });
    // Every session of the account ended with the commit: no instance answers from one.
    this.sessionCache.forgetUser(result.user.id);
    return result;
  }

  private async tellPasswordChanged(db: Executor, user: UserView, meta: RequestMeta): Promise<void> {
    const origin = linkOrigin(this.config, meta);
    await new EmailOutboxRepository(db).enqueue({
      organizationId: user.organizationId,
      template: 'password_changed',
      to: user.email,
      ...passwordChangedEmail({ name: user.name ?? user.email, at: new Date(), loginUrl: `${origin}/` }),
    });
  }

  /**
   * Logs in. Every attempt is counted before the password is checked (atomically, in the
   * database): concurrent guesses cannot get more than the limit checked. A success clears
   * the account's count and gives the IP's attempt back.
   */
  async login(input: { email: string; password: string }, meta: RequestMeta): Promise<Authenticated> {
    const email = normalizeEmail(input.email);
    const limits = this.config.rateLimits;
    const limiter = new RateLimiter(this.database.db);
    const ipKey = `login:ip:${meta.ip}`;
    const accountKey = accountAttemptsKey(email);
    await limiter.consume(ipKey, limits.loginPerIp);
    await limiter.consume(accountKey, limits.loginPerAccount);

    const users = new UserRepository(this.database.db);
    const user = await users.findByEmailAcrossOrganizations(email);
    const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !valid) throw new UnauthenticatedError(LOGIN_FAILED);
    await limiter.reset(accountKey);
    await limiter.refund(ipKey);
    // A legacy bcrypt hash (the seed plan's) becomes argon2id on the first successful login.
    const upgradedHash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;

    return transaction(this.database.db, async (tx) => {
      const txUsers = new UserRepository(tx);
      if (upgradedHash) await txUsers.setPasswordHashAcrossOrganizations(user.id, upgradedHash);
      let updated = user;
      let organization: Organization | null = null;
      if (user.organizationId) {
        updated = (await txUsers.recordLogin(user.organizationId, user.id)) ?? user;
        organization = await new OrganizationRepository(tx).findById(user.organizationId);
      }
      const session = await this.startSession(tx, updated, meta);
      return { user: updated, organization, ...session };
    });
  }

  async logout(account: AccountSession): Promise<void> {
    await new SessionRepository(this.database.db).delete(account.sessionId);
    this.sessionCache.forgetSession(account.sessionId);
  }

  /**
   * The account of a session token, or null when the token is unknown or expired; `actor`
   * when the account belongs to an organization. Slides the expiry forward (at most once an
   * hour, never past the session's absolute lifetime); `renewedUntil` tells the caller to
   * re-send the cookie.
   */
  async authenticate(
    token: string,
  ): Promise<{ account: AccountSession; actor: Actor | null; renewedUntil: Date | null } | null> {
    if (token.length < 20 || token.length > 200) return null;
    const sessions = new SessionRepository(this.database.db);
    const now = Date.now();
    // Both lifetimes are also checked here, not only built into expires_at: a lowered
    // SESSION_MAX_DAYS or SESSION_IDLE_DAYS applies to existing sessions at once. (last_seen_at
    // is written with each extension, at most an hour apart: hence the hour of slack.)
    const bornAfter = now - this.config.sessionMaxDays * DAY_MS;
    const seenAfter = now - this.config.sessionIdleDays * DAY_MS - EXTEND_EVERY_MS;
    const tokenHash = hashToken(token);
    let found: SessionContext | null | undefined = this.sessionCache.get(tokenHash);
    // A cached session is held to the same lifetimes, as of now.
    if (
      found &&
      !(
        found.session.expiresAt.getTime() > now &&
        found.session.createdAt.getTime() > bornAfter &&
        found.session.lastSeenAt.getTime() > seenAfter
      )
    ) {
      found = undefined;
    }
    if (!found) {
      const mark = this.sessionCache.mark();
      found = await sessions.findLiveByTokenHashAcrossOrganizations(
        tokenHash,
        new Date(now),
        new Date(bornAfter),
        new Date(seenAfter),
      );
      if (found) this.sessionCache.set(tokenHash, found, mark);
    }
    if (!found) return null;
    let renewedUntil: Date | null = null;
    const expiry = this.expiryAt(found.session.createdAt, now);
    if (expiry.getTime() - found.session.expiresAt.getTime() >= EXTEND_EVERY_MS) {
      renewedUntil = expiry;
      await sessions.extend(found.session.id, expiry, new Date(now));
      this.sessionCache.forgetSession(found.session.id);
    }
    const { user, organization } = found;
    const sessionId = found.session.id;
    return {
      account: { user, organization, sessionId },
      actor: organization ? { user, organization, sessionId } : null,
      renewedUntil,
    };
  }

  /**
   * Changes name, email or password. The email and the password need the current password
   * (a stolen session alone must not be able to take the account over), counted against the
   * account's login limit. A new email is unverified until its link is used (one is sent,
   * within the verification-email limit) and the old address is told; a new password ends
   * the other sessions and is announced by email. Either change retires the account's
   * outstanding emailed links. An account waiting to join by domain may fix a mistyped
   * address: the domain of the address it verifies decides what it joins.
   */
  async updateMe(
    account: AccountSession,
    input: { name?: string; email?: string; currentPassword?: string; newPassword?: string },
    meta: RequestMeta,
  ): Promise<UserView> {
    const before = account.user;
    const emailChanges = input.email !== undefined && normalizeEmail(input.email) !== before.email;
    const limiter = new RateLimiter(this.database.db);
    if (input.newPassword !== undefined || emailChanges) {
      if (input.currentPassword === undefined) {
        throw new ValidationError('Changing the email or the password needs the current password.', [
          { field: 'body.currentPassword', message: 'is required with newPassword or a new email' },
        ]);
      }
      const attempts = accountAttemptsKey(before.email);
      await limiter.consume(attempts, this.config.rateLimits.loginPerAccount);
      const stored = await new UserRepository(this.database.db).passwordHashAcrossOrganizations(before.id);
      if (!(await verifyPassword(stored, input.currentPassword))) {
        throw new ValidationError('The current password is not right.', [
          { field: 'body.currentPassword', message: 'is not your current password' },
        ]);
      }
      await limiter.reset(attempts);
    }
    if (emailChanges) {
      await limiter.consume(`verify-email:user:${before.id}`, this.config.rateLimits.verificationEmailsPerUser);
    }
    const newHash = input.newPassword !== undefined ? await hashPassword(input.newPassword) : null;
    try {
      const updated = await transaction(this.database.db, async (tx) => {
        const users = new UserRepository(tx);
        const tokens = new AccountTokenRepository(tx);
        let user: UserView | null = before;
        if (emailChanges && (await users.findByEmailAcrossOrganizations(input.email!))) {
          throw new ConflictError('Another account already uses this email.');
        }
        if (input.name !== undefined || emailChanges) {
          user = await users.updateProfile(before.organizationId, before.id, {
            name: input.name,
            email: emailChanges ? input.email : undefined,
          });
        }
        if (newHash) {
          user = await users.setPasswordHash(before.organizationId, before.id, newHash);
          // A new password ends every other session: whoever knew the old one is out.
          await new SessionRepository(tx).deleteForUser(before.id, account.sessionId);
        }
        if (!user) throw new UnauthenticatedError();
        if (emailChanges || newHash) await tokens.retireOutstanding(before.id, 'password_reset');
        if (emailChanges) {
          await tokens.retireOutstanding(before.id, 'verify_email');
          await this.sendVerification(tx, user, meta);
          await new EmailOutboxRepository(tx).enqueue({
            organizationId: user.organizationId,
            template: 'email_changed',
            to: before.email,
            ...emailChangedEmail({
              name: user.name ?? before.email,
              from: before.email,
              to: user.email,
              at: new Date(),
            }),
          });
        }
        if (newHash) await this.tellPasswordChanged(tx, user, meta);
        return user;
      });
      // The account's sessions carry the old name or email; a new password ended the others.
      this.sessionCache.forgetUser(before.id);
      return updated;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('Another account already uses this email.');
      throw error;
    }
  }
}
