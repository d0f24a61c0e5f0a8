import type { RateLimit } from '../config.js';
import type { Executor } from '../db/database.js';
import { RateLimitedError } from '../errors.js';
import { RateLimitRepository } from '../repositories/rate-limit.repository.js';

/** Rate limits counted in the database, shared by every instance. */
export class RateLimiter {
  constructor(private readonly db: Executor) {}

  /** Counts one attempt; throws 429 when it goes past the limit. */
  async consume(key: string, limit: RateLimit): Promise<void> {
    const counter = await new RateLimitRepository(this.db).hit(key, limit.windowSeconds);
    if (counter.count > limit.max) throw new RateLimitedError((counter.resetAt.getTime() - Date.now()) / 1000);
  }

  /** Throws 429 when the limit is already used up, without counting (failed-login limits). */
  async check(key: string, limit: RateLimit): Promise<void> {
    const counter = await new RateLimitRepository(this.db).peek(key);
    if (counter && counter.count >= limit.max) {
      throw new RateLimitedError((counter.resetAt.getTime() - Date.now()) / 1000);
    }
  }

  /** Counts a failure, without throwing (the next check decides). */
  async record(key: string, limit: RateLimit): Promise<void> {
    await new RateLimitRepository(this.db).hit(key, limit.windowSeconds);
  }

  async reset(key: string): Promise<void> {
    await new RateLimitRepository(this.db).clear(key);
  }
}
