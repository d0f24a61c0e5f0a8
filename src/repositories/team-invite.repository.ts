import { and, desc, eq, gt, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { teamInvites } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import type { Role } from './user.repository.js';
import { normalizeEmail } from './user.repository.js';

export type TeamInvite = typeof teamInvites.$inferSelect;
export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface NewTeamInvite {
  email: string;
  role: Role;
  invitedBy: string | null;
  /** What is stored in `token`: the SHA-256 of the token sent, never the token itself. */
  tokenHash: string;
  expiresAt: Date;
}

export class TeamInviteRepository {
  constructor(private readonly db: Executor) {}

  async create(organizationId: string, input: NewTeamInvite): Promise<TeamInvite> {
    const [row] = await this.db
      .insert(teamInvites)
      .values({
        id: newId('invite'),
        organizationId,
        email: normalizeEmail(input.email),
        role: input.role,
        invitedBy: input.invitedBy,
        token: input.tokenHash,
        status: 'pending',
        expiresAt: input.expiresAt,
        createdAt: new Date(),
      })
      .returning();
    return row!;
  }

  /** Whoever holds an invite link is not logged in to its organization yet. */
  async findByTokenHashAcrossOrganizations(tokenHash: string): Promise<TeamInvite | null> {
    const [row] = await this.db.select().from(teamInvites).where(eq(teamInvites.token, tokenHash));
    return row ?? null;
  }

  async findById(organizationId: string, inviteId: string): Promise<TeamInvite | null> {
    const [row] = await this.db
      .select()
      .from(teamInvites)
      .where(and(eq(teamInvites.id, inviteId), eq(teamInvites.organizationId, organizationId)));
    return row ?? null;
  }

  /** Pending invites, newest first (bounded by the plan's member limit). */
  async listPending(organizationId: string): Promise<TeamInvite[]> {
    return this.db
      .select()
      .from(teamInvites)
      .where(and(eq(teamInvites.organizationId, organizationId), eq(teamInvites.status, 'pending')))
      .orderBy(desc(teamInvites.createdAt), desc(teamInvites.id));
  }

  /** Pending invites not yet expired: each holds a seat of the plan until it is used or expires. */
  async countOutstanding(organizationId: string, now = new Date()): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(teamInvites)
      .where(
        and(
          eq(teamInvites.organizationId, organizationId),
          eq(teamInvites.status, 'pending'),
          gt(teamInvites.expiresAt, now),
        ),
      );
    return row?.count ?? 0;
  }

  /** Moves a pending invite to another status; null when it was not pending (single use). */
  async resolvePending(
    organizationId: string,
    inviteId: string,
    status: Exclude<InviteStatus, 'pending'>,
  ): Promise<TeamInvite | null> {
    const [row] = await this.db
      .update(teamInvites)
      .set({ status })
      .where(
        and(
          eq(teamInvites.id, inviteId),
          eq(teamInvites.organizationId, organizationId),
          eq(teamInvites.status, 'pending'),
        ),
      )
      .returning();
    return row ?? null;
  }
}
