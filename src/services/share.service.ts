/**
 * Who an audit is shared with: its visibility (private, organization, public link) and
 * per-person shares, the public view by link, and the people who may be mentioned on it.
 */
import { transaction, type Database } from '../db/database.js';
import { todayIn } from '../domain/days.js';
import { readSettings } from '../domain/organization-settings.js';
import { newSecretToken } from '../domain/tokens.js';
import { NotFoundError } from '../errors.js';
import type { SharePermission, Visibility } from '../policies/audit.policy.js';
import { AccessRepository, type MemberAccess } from '../repositories/access.repository.js';
import { AnalysisResultRepository } from '../repositories/analysis-result.repository.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { AuditShareRepository } from '../repositories/audit-share.repository.js';
import { AuditUserShareRepository } from '../repositories/audit-user-share.repository.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import { UserRepository } from '../repositories/user.repository.js';
import type { Actor } from './actor.js';
import { openAudit } from './audit-access.js';
import type { Notifier } from './notifier.js';
import type { AnalysisView, AuditView, UserShareView } from './views.js';

export class ShareService {
  constructor(
    private readonly database: Database,
    private readonly notifier: Notifier,
  ) {}

  async get(actor: Actor, auditId: string): Promise<{ visibility: Visibility; shareToken: string | null }> {
    const opened = await openAudit(this.database.db, actor, auditId, 'view');
    const share = await new AuditShareRepository(this.database.db).findByAudit(actor.organization.id, opened.audit.id);
    const token = opened.level === 'manage' && opened.visibility === 'public' ? (share?.shareToken ?? null) : null;
    return { visibility: opened.visibility, shareToken: token };
  }

  /** Making it public makes a fresh token; leaving public kills it. */
  async setVisibility(
    actor: Actor,
    auditId: string,
    visibility: Visibility,
  ): Promise<{ visibility: Visibility; shareToken: string | null }> {
    const opened = await openAudit(this.database.db, actor, auditId, 'manage');
    return transaction(this.database.db, async (tx) => {
      const token = visibility === 'public' ? newSecretToken() : null;
      await new AuditShareRepository(tx).setVisibility(actor.organization.id, opened.audit.id, visibility, token);
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: opened.audit.id,
        userId: actor.user.id,
        action: 'visibility_changed',
        metadata: { from: opened.visibility, to: visibility },
      });
      return { visibility, shareToken: token };
    });
  }

  /**
   * A public audit by its link, for anyone: no comments, no member data; with today in its
   * organization's time zone, which its renewal dates count from.
   */
  async shared(token: string): Promise<{ audit: AuditView; analysis: AnalysisView | null; today: string }> {
    const share = await new AuditShareRepository(this.database.db).findPublicByTokenAcrossOrganizations(token);
    if (!share?.auditId) throw new NotFoundError('shared audit');
    const audit = await new AuditRepository(this.database.db).findByIdAcrossOrganizations(share.auditId);
    if (!audit) throw new NotFoundError('shared audit');
    const analysis = await new AnalysisResultRepository(this.database.db).latestForAuditAcrossOrganizations(audit.id);
    const organization = audit.organizationId
      ? await new OrganizationRepository(this.database.db).findById(audit.organizationId)
      : null;
    return { audit, analysis, today: todayIn(readSettings(organization?.settings ?? null).timeZone) };
  }

  async listUserShares(actor: Actor, auditId: string): Promise<UserShareView[]> {
    const opened = await openAudit(this.database.db, actor, auditId, 'manage');
    const shares = await new AuditUserShareRepository(this.database.db).listForAudit(
      actor.organization.id,
      opened.audit.id,
    );
    const members = new Map(
      (await new UserRepository(this.database.db).listByOrganization(actor.organization.id)).map((u) => [u.id, u]),
    );
    return shares.flatMap((s) => {
      const user = s.userId ? members.get(s.userId) : undefined;
      return user ? [{ ...s, user }] : [];
    });
  }

  async shareWithUser(
    actor: Actor,
    auditId: string,
    input: { userId?: string; email?: string; permission: SharePermission },
    origin: string,
  ): Promise<{ share: UserShareView; created: boolean }> {
    const opened = await openAudit(this.database.db, actor, auditId, 'manage');
    const users = new UserRepository(this.database.db);
    const target = input.userId
      ? await users.findById(actor.organization.id, input.userId)
      : input.email
        ? await users.findByEmailAcrossOrganizations(input.email)
        : null;
    // Only people of the same organization; anyone else is "not found" (never reveal accounts).
    if (!target || target.organizationId !== actor.organization.id)
      throw new NotFoundError('user in this organization');
    return transaction(this.database.db, async (tx) => {
      const result = (await new AuditUserShareRepository(tx).upsert(actor.organization.id, {
        auditId: opened.audit.id,
        userId: target.id,
        permission: input.permission,
      }))!;
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: opened.audit.id,
        userId: actor.user.id,
        action: 'audit_shared',
        metadata: { withUserId: target.id, permission: input.permission, changed: !result.created },
      });
      await this.notifier.auditShared(tx, actor, opened, target, input.permission, origin);
      return { share: { ...result.share, user: target }, created: result.created };
    });
  }

  async unshare(actor: Actor, auditId: string, userId: string): Promise<void> {
    const opened = await openAudit(this.database.db, actor, auditId, 'manage');
    await transaction(this.database.db, async (tx) => {
      const removed = await new AuditUserShareRepository(tx).delete(actor.organization.id, opened.audit.id, userId);
      if (!removed) throw new NotFoundError('share');
      await new CollaborationActivityRepository(tx).record(actor.organization.id, {
        auditId: opened.audit.id,
        userId: actor.user.id,
        action: 'share_removed',
        metadata: { withUserId: userId },
      });
    });
  }

  /** The people who can see the audit (mention autocomplete), optionally matching `query`: one query. */
  async mentionable(actor: Actor, auditId: string, query = ''): Promise<MemberAccess[]> {
    const opened = await openAudit(this.database.db, actor, auditId, 'comment');
    const people = await new AccessRepository(this.database.db).members(actor.organization.id, opened.audit.id, 'view');
    const q = query.trim().toLowerCase();
    return people
      .filter((u) => !q || u.email.includes(q) || (u.name ?? '').toLowerCase().includes(q))
      .sort((a, b) => (a.name ?? a.email).localeCompare(b.name ?? b.email))
      .slice(0, 50);
  }
}
