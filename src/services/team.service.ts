/**
 * Members and invites. Every change that matters to the team is recorded in the activity
 * feed in the same transaction as the change itself.
 */
import type { Config } from '../config.js';
import { transaction, type Database, type Executor } from '../db/database.js';
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  isUniqueViolation,
  NotFoundError,
  PlanLimitError,
  UnauthenticatedError,
  UnprocessableError,
  ValidationError,
} from '../errors.js';
import { inviteEmail } from '../domain/email-templates.js';
import { inviteState } from '../domain/invites.js';
import { exceeds, planLimits } from '../domain/plans.js';
import { hashToken, newSecretToken } from '../domain/tokens.js';
import { requireAdmin, type Role } from '../policies/organization.policy.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { EmailOutboxRepository } from '../repositories/email-outbox.repository.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import { SessionRepository } from '../repositories/session.repository.js';
import { TeamInviteRepository } from '../repositories/team-invite.repository.js';
import { normalizeEmail, UserRepository } from '../repositories/user.repository.js';
import type { InviteView, OrganizationRecord, UserView } from './views.js';
import { linkOrigin, type AccountSession, type Actor, type RequestMeta } from './actor.js';
import { accountAttemptsKey, type AuthService, type Authenticated } from './auth.service.js';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limit.service.js';

const INVITE_TTL_MS = 7 * 86_400_000;

export class TeamService {
  constructor(
    private readonly database: Database,
    private readonly config: Config,
    private readonly auth: AuthService,
  ) {}

  async listMembers(actor: Actor): Promise<UserView[]> {
    return new UserRepository(this.database.db).listByOrganization(actor.organization.id);
  }

  async changeRole(actor: Actor, userId: string, role: Role): Promise<UserView> {
    requireAdmin(actor);
    const changed = await transaction(this.database.db, async (tx) => {
      const users = new UserRepository(tx);
      const target = await users.findById(actor.organization.id, userId);
      if (!target) throw new NotFoundError('member');
      if (target.role === role) return target;
      if (target.role === 'admin') await this.ensureAnotherAdmin(tx, actor.organization.id);
      const updated = (await users.setRole(actor.organization.id, userId, role))!;
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: null,
        userId: actor.user.id,
        action: 'role_changed',
        metadata: { memberId: userId, from: target.role, to: role },
      });
      return updated;
    });
    // The member's sessions carry their role: no instance answers with the old one.
    this.auth.sessionCache.forgetUser(userId);
    return changed;
  }

  async removeMember(actor: Actor, userId: string): Promise<void> {
    requireAdmin(actor);
    await transaction(this.database.db, async (tx) => {
      const users = new UserRepository(tx);
      const target = await users.findById(actor.organization.id, userId);
      if (!target) throw new NotFoundError('member');
      if (target.role === 'admin') await this.ensureAnotherAdmin(tx, actor.organization.id);
      await users.removeFromOrganization(actor.organization.id, userId);
      await new SessionRepository(tx).deleteForUser(userId);
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: null,
        userId: actor.user.id,
        action: 'member_removed',
        metadata: { memberId: userId, email: target.email },
      });
    });
    this.auth.sessionCache.forgetUser(userId);
  }

  /** Throws 422 last_admin unless the organization has more than one admin. */
  private async ensureAnotherAdmin(tx: Executor, organizationId: string): Promise<void> {
    if ((await new UserRepository(tx).countByOrganization(organizationId, 'admin')) <= 1) {
      throw new UnprocessableError(
        'last_admin',
        'The organization needs at least one admin: make someone else admin first.',
      );
    }
  }

  async createInvite(
    actor: Actor,
    input: { email: string; role: Role },
    meta: RequestMeta,
  ): Promise<{ invite: InviteView; acceptUrl: string }> {
    requireAdmin(actor);
    const email = normalizeEmail(input.email);
    const token = newSecretToken();
    const acceptUrl = `${linkOrigin(this.config, meta)}/invite/${token}`;
    return transaction(this.database.db, async (tx) => {
      const users = new UserRepository(tx);
      const invites = new TeamInviteRepository(tx);
      const existing = await users.findByEmailAcrossOrganizations(email);
      if (existing?.organizationId === actor.organization.id) {
        throw new ConflictError(`${email} is already a member of ${actor.organization.name}.`);
      }
      // Inviting again replaces the pending invite: the old link stops working.
      const pending = await invites.listPending(actor.organization.id);
      const replaced = pending.filter((i) => i.email === email);
      for (const old of replaced) await invites.resolvePending(actor.organization.id, old.id, 'revoked');

      // Locked: seat counts (members, invites, domain joins) of one organization go one at a time.
      const organization = (await new OrganizationRepository(tx).lockForUpdate(actor.organization.id))!;
      const members = await users.countByOrganization(organization.id);
      const outstanding = pending.filter((i) => i.email !== email && inviteState(i) === 'pending').length;
      if (exceeds(planLimits(organization.plan).members, members + outstanding + 1)) {
        throw new PlanLimitError(
          `The ${organization.plan} plan allows ${planLimits(organization.plan).members} members, counting pending invites. Upgrade, or revoke an invite.`,
        );
      }
      // Each invite emails an address an admin typed: bounded per organization. Counted here,
      // once the invite is known to be acceptable, so refused ones do not use the budget.
      await new RateLimiter(tx).consume(
        `invites:org:${organization.id}`,
        this.config.rateLimits.invitesPerOrganization,
      );
      const invite = await invites.create(organization.id, {
        email,
        role: input.role,
        invitedBy: actor.user.id,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      });
      const message = inviteEmail({
        inviterName: actor.user.name ?? actor.user.email,
        organizationName: organization.name,
        role: input.role,
        acceptUrl,
        expiresAt: invite.expiresAt,
      });
      await new EmailOutboxRepository(tx).enqueue({
        organizationId: organization.id,
        template: 'invite',
        to: email,
        ...message,
      });
      await new CollaborationActivityRepository(tx).record(organization.id, {
        auditId: null,
        userId: actor.user.id,
        action: 'member_invited',
        metadata: { inviteId: invite.id, email, role: input.role, replaced: replaced.length > 0 },
      });
      return { invite, acceptUrl };
    });
  }

  /** Pending, unexpired invites, newest first. */
  async listInvites(actor: Actor): Promise<InviteView[]> {
    requireAdmin(actor);
    const pending = await new TeamInviteRepository(this.database.db).listPending(actor.organization.id);
    return pending.filter((i) => inviteState(i) === 'pending');
  }

  async revokeInvite(actor: Actor, inviteId: string): Promise<void> {
    requireAdmin(actor);
    const revoked = await new TeamInviteRepository(this.database.db).resolvePending(
      actor.organization.id,
      inviteId,
      'revoked',
    );
    if (!revoked) throw new NotFoundError('pending invite');
  }

  /** What the invite page shows to whoever holds the link. */
  async lookupInvite(token: string): Promise<{ invite: InviteView; organization: OrganizationRecord }> {
    const found = await this.findUsableInvite(this.database.db, token);
    return found;
  }

  private async findUsableInvite(
    db: Executor,
    token: string,
  ): Promise<{ invite: InviteView & { organizationId: string | null }; organization: OrganizationRecord }> {
    const invite = await new TeamInviteRepository(db).findByTokenHashAcrossOrganizations(hashToken(token));
    if (!invite?.organizationId) throw new NotFoundError('invite');
    const state = inviteState(invite);
    if (state !== 'pending') {
      throw new GoneError(
        'invite_expired',
        `This invite is ${state === 'accepted' ? 'already used' : state}: ask for a new one.`,
      );
    }
    const organization = await new OrganizationRepository(db).findById(invite.organizationId);
    if (!organization) throw new NotFoundError('invite');
    return { invite, organization };
  }

  /**
   * Accepts an invite, in one transaction with the invite's use and a new session:
   * creates the account (`name` and `password`), or attaches an existing account that
   * belongs to no organization — logged in with the invited email, or proving it with its
   * `password`. An account of another organization is 409 already_in_organization (a user
   * belongs to one).
   */
  async acceptInvite(
    token: string,
    input: { account: AccountSession | null; name?: string; password?: string },
    meta: RequestMeta,
  ): Promise<Authenticated> {
    const limiter = new RateLimiter(this.database.db);
    await limiter.consume(`invite:ip:${meta.ip}`, this.config.rateLimits.invitePerIp);
    // A password given for an existing account is a guess like a login's: counted before it
    // is checked, against the same per-account limit (outside the transaction, which a wrong
    // password rolls back).
    const { invite: preview } = await this.findUsableInvite(this.database.db, token);
    const owner = input.account
      ? null
      : await new UserRepository(this.database.db).findByEmailAcrossOrganizations(preview.email);
    const checksPassword = owner !== null && owner.organizationId === null && input.password !== undefined;
    if (checksPassword)
      await limiter.consume(accountAttemptsKey(preview.email), this.config.rateLimits.loginPerAccount);
    let result: Authenticated;
    try {
      result = await transaction(this.database.db, async (tx) => {
        const { invite, organization } = await this.findUsableInvite(tx, token);
        // Claim the invite first: a concurrent accept waits on this row, then finds it used.
        if (!(await new TeamInviteRepository(tx).resolvePending(organization.id, invite.id, 'accepted'))) {
          throw new GoneError('invite_expired', 'This invite is already used: ask for a new one.');
        }
        const users = new UserRepository(tx);
        const role = (invite.role ?? 'member') as Role;
        const loggedIn = input.account?.user;
        if (loggedIn && loggedIn.email !== invite.email) {
          throw new ForbiddenError(`This invite is for ${invite.email}; you are logged in as ${loggedIn.email}.`);
        }
        const existing = loggedIn ?? (await users.findByEmailAcrossOrganizations(invite.email));
        if (existing?.organizationId) {
          throw new ConflictError(
            existing.organizationId === organization.id
              ? `You are already a member of ${organization.name}.`
              : 'An account with this email belongs to another organization; a user belongs to one organization.',
            'already_in_organization',
          );
        }
        // The invite held its seat; the lock keeps a domain join from taking it meanwhile.
        await new OrganizationRepository(tx).lockForUpdate(organization.id);
        const members = await users.countByOrganization(organization.id);
        if (exceeds(planLimits(organization.plan).members, members + 1)) {
          throw new PlanLimitError(
            `${organization.name} has reached its plan's member limit; ask an admin to upgrade.`,
          );
        }
        let user: UserView;
        if (existing) {
          if (
            !loggedIn &&
            (input.password === undefined ||
              !(await verifyPassword(await users.passwordHashAcrossOrganizations(existing.id), input.password)))
          ) {
            throw new UnauthenticatedError(
              'An account with this email exists: log in, or give its password, to accept the invite.',
            );
          }
          const attached = await users.attachToOrganization(
            existing.id,
            organization.id,
            role,
            organization.plan ?? 'free',
          );
          if (!attached)
            throw new ConflictError('Your account joined an organization meanwhile.', 'already_in_organization');
          user = attached;
        } else {
          const missing = (['name', 'password'] as const).filter((field) => input[field] === undefined);
          if (missing.length > 0) {
            throw new ValidationError(
              'Give a name and a password for the new account.',
              missing.map((field) => ({ field: `body.${field}`, message: 'is required for a new account' })),
            );
          }
          if (input.password!.length < MIN_PASSWORD_LENGTH) {
            throw new ValidationError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, [
              { field: 'body.password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
            ]);
          }
          user = await users.create({
            email: invite.email,
            passwordHash: await hashPassword(input.password!),
            name: input.name!,
            organizationId: organization.id,
            role,
            plan: organization.plan ?? 'free',
          });
        }
        await new CollaborationActivityRepository(tx).record(organization.id, {
          auditId: null,
          userId: user.id,
          action: 'member_joined',
          metadata: { via: 'invite', inviteId: invite.id, role },
        });
        const session = await this.auth.startSession(tx, user, meta);
        return { user, organization, ...session };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('An account with this email already exists.');
      throw error;
    }
    if (checksPassword) await limiter.reset(accountAttemptsKey(preview.email));
    // An existing account now has an organization: its sessions carry the new one from now on.
    this.auth.sessionCache.forgetUser(result.user.id);
    return result;
  }
}
