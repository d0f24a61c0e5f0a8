/**
 * The sessions this instance looked up in the last few seconds (SESSION_CACHE_SECONDS, at
 * most 5), so that a request does not need a round trip of its own to know who is calling.
 * Revocation is seen at once where it is made and within milliseconds elsewhere: a trigger
 * on sessions, users and organizations NOTIFYs every instance at commit (migration 0013),
 * and this cache drops what a notification names — a session, a user's sessions, an
 * organization's. The instance that makes a change also drops it (`forget…`) before
 * answering. While the LISTEN connection is down (and what was read before it came back)
 * nothing is cached; the seconds are the bound should a notification ever be lost.
 * Only sessions are cached here: never an audit or anything else a tenant reads.
 *
 * Written here rather than taken whole from a library: lru-cache keeps the entries (bounded,
 * with the TTL); what a notification invalidates, and the race between a lookup and a
 * notification (a `generation` read before the lookup), are this application's.
 */
import { LRUCache } from 'lru-cache';

import type { Database } from '../db/database.js';
import type { SessionContext } from '../repositories/session.repository.js';

export const SESSION_CHANNEL = 'stackaudit_sessions';
const MAX_ENTRIES = 10_000;

export class SessionCache {
  private readonly entries: LRUCache<string, SessionContext> | null;
  private listening = false;
  /** Grows with every invalidation: a lookup that began before one must not be cached. */
  private generation = 0;
  private stopListening: (() => Promise<void>) | null = null;

  /** `ttlSeconds` 0 (or no database): nothing is ever cached. */
  constructor(
    ttlSeconds: number,
    private readonly database: Database | null = null,
  ) {
    this.entries = ttlSeconds > 0 && database ? new LRUCache({ max: MAX_ENTRIES, ttl: ttlSeconds * 1000 }) : null;
  }

  /** Starts listening for changes; until it listens (and whenever it stops), nothing is cached. */
  async start(): Promise<void> {
    if (!this.entries || !this.database || this.stopListening) return;
    this.stopListening = await this.database.listen(
      SESSION_CHANNEL,
      (payload) => this.invalidate(payload),
      (listening) => {
        // Either way, what was read before may be stale: a lookup that began while the
        // connection was down must not be cached once it is back (its notification is lost).
        this.clear();
        this.listening = listening;
      },
    );
  }

  async stop(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = null;
    await stop?.();
  }

  /** A token hash's session as looked up at most the TTL ago, or undefined. */
  get(tokenHash: string): SessionContext | undefined {
    return this.listening ? this.entries?.get(tokenHash) : undefined;
  }

  /** Where a lookup begins: pass it to `set` with what the lookup found. */
  mark(): number {
    return this.generation;
  }

  set(tokenHash: string, found: SessionContext, mark: number): void {
    if (this.listening && mark === this.generation) this.entries?.set(tokenHash, found);
  }

  forgetSession(sessionId: string): void {
    this.drop((entry) => entry.session.id === sessionId);
  }

  forgetUser(userId: string): void {
    this.drop((entry) => entry.user.id === userId);
  }

  forgetOrganization(organizationId: string): void {
    this.drop((entry) => entry.organization?.id === organizationId);
  }

  clear(): void {
    this.generation++;
    this.entries?.clear();
  }

  /** A notification's payload: `sessions:ID`, `users:ID`, `organizations:ID`, or `TABLE:*`. */
  private invalidate(payload: string): void {
    const [table, id] = payload.split(':', 2);
    if (!id || id === '*') return this.clear();
    if (table === 'sessions') this.forgetSession(id);
    else if (table === 'users') this.forgetUser(id);
    else if (table === 'organizations') this.forgetOrganization(id);
    else this.clear();
  }

  private drop(matches: (entry: SessionContext) => boolean): void {
    this.generation++;
    if (!this.entries) return;
    for (const [key, entry] of this.entries.entries()) if (matches(entry)) this.entries.delete(key);
  }
}
