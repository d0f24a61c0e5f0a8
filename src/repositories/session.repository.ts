import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { organizations, sessions, users } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import type { Organization } from './organization.repository.js';
import { ACCOUNT_COLUMNS } from './user.repository.js';

export type Session = typeof sessions.$inferSelect;

export interface SessionContext {
  session: Session;
  /** Without the password hash: a session never needs it, and it must not travel with every request. */
  user: Omit<typeof users.$inferSelect, 'passwordHash' | 'updatedAt'>;
  /** Null for an account that belongs to no organization (waiting to join by domain, or removed). */
  organization: Organization | null;
}

/** Sessions belong to a user; they are looked up by token hash before any organization is known. */
export class SessionRepository {
  constructor(private readonly db: Executor) {}

  async create(input: {
    userId: string;
    tokenHash: string;
    expiresAt: Date;
    userAgent?: string | null;
    ip?: string | null;
  }): Promise<Session> {
    const now = new Date();
    const [row] = await this.db
      .insert(sessions)
      .values({
        id: newId('session'),
        userId: input.userId,
        tokenHash: input.tokenHash,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: input.expiresAt,
        userAgent: input.userAgent?.slice(0, 255) ?? null,
        ip: input.ip?.slice(0, 64) ?? null,
      })
      .returning();
    return row!;
  }

  /**
   * The live session of a token with its user and the user's organization (null when the
   * user belongs to none), in one query. Null when unknown or expired.
   */
  async findLiveByTokenHashAcrossOrganizations(
    tokenHash: string,
    now = new Date(),
    /** Sessions that began before this are over whatever their expiry says (the absolute lifetime). */
    bornAfter = new Date(0),
    /** …and so are sessions last seen before this (the idle lifetime, as configured now). */
    seenAfter = new Date(0),
  ): Promise<SessionContext | null> {
    // Every authenticated request runs this: a prepared statement (db/prepared.ts).
    const statement = prepared(this.db, 'session_by_token', (db) =>
      db
        .select({ session: sessions, user: ACCOUNT_COLUMNS, organization: organizations })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .leftJoin(organizations, eq(organizations.id, users.organizationId))
        .where(
          and(
            eq(sessions.tokenHash, sql.placeholder('tokenHash')),
            gt(sessions.expiresAt, sql.placeholder('now')),
            gt(sessions.createdAt, sql.placeholder('bornAfter')),
            gt(sessions.lastSeenAt, sql.placeholder('seenAfter')),
          ),
        )
        .prepare('session_by_token'),
    );
    const [row] = await statement.execute({ tokenHash, now, bornAfter, seenAfter });
    return row ?? null;
  }

  /** Slides the expiry forward. */
  async extend(sessionId: string, expiresAt: Date, now = new Date()): Promise<void> {
    await this.db.update(sessions).set({ expiresAt, lastSeenAt: now }).where(eq(sessions.id, sessionId));
  }

  async delete(sessionId: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.id, sessionId));
  }

  /** Ends every session of the user, or every one but `keepSessionId`. Returns how many ended. */
  async deleteForUser(userId: string, keepSessionId?: string): Promise<number> {
    const rows = await this.db
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), keepSessionId ? ne(sessions.id, keepSessionId) : undefined))
      .returning({ id: sessions.id });
    return rows.length;
  }

  async deleteExpired(now = new Date()): Promise<number> {
    const rows = await this.db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
    return rows.length;
  }

  async countForUser(userId: string): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(sessions)
      .where(eq(sessions.userId, userId));
    return row?.count ?? 0;
  }
}
