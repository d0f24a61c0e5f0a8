import type { RateLimit } from '../config.js';
import type { Executor } from '../db/database.js';
import { RateLimitedError } from '../errors.js';
import { RateLimitRepository } from '../repositories/rate-limit.repository.js';

/**
 * Rate limits counted in the database, shared by every instance. An attempt is counted
 * before the work it limits (one atomic upsert), so concurrent attempts cannot slip past
 * the limit between a check and a count: of 30 simultaneous wrong passwords against a
 * limit of 10, exactly 10 are checked.
 */
export class RateLimiter {
  constructor(private readonly db: Executor) {}

  /** Counts one attempt; throws 429 when it goes past the limit. */
  async consume(key: string, limit: RateLimit): Promise<void> {
    const counter = await new RateLimitRepository(this.db).hit(key, limit.windowSeconds);
    if (counter.count > limit.max) throw new RateLimitedError((counter.resetAt.getTime() - Date.now()) / 1000);
  }

  /** Gives one counted attempt back: it succeeded, and the limit counts failures. */
  async refund(key: string): Promise<void> {
    await new RateLimitRepository(this.db).refund(key);
  }

  /** Forgets the key's attempts (a successful login clears its account's failures). */
  async reset(key: string): Promise<void> {
    await new RateLimitRepository(this.db).clear(key);
  }
}
