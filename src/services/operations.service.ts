/**
 * What operators ask of an instance: is its database reachable (health), is it ready to
 * serve (readiness: the database and this version's migrations), and the figures /metrics
 * shows about the database (pool, analysis queue, email outbox). Across organizations by
 * nature: none of it is tenant data.
 */
import type { Database, DriverName, PoolStats } from '../db/database.js';
import { migrationStatus } from '../db/migrate.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { EmailOutboxRepository } from '../repositories/email-outbox.repository.js';

const HEALTH_TIMEOUT_MS = 2_000;
/** How long a health result is reused: a blink next to any load balancer's interval (seconds). */
export const HEALTH_REUSE_MS = 50;

export type Health =
  | { status: 'healthy'; database: 'connected'; driver: DriverName }
  | { status: 'unhealthy'; database: 'disconnected'; driver: DriverName; reason: string };

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

export class OperationsService {
  constructor(private readonly database: Database) {}

  get driver(): DriverName {
    return this.database.driver;
  }

  /**
   * Whether the database answers within a short timeout. No server version: it would tell
   * anyone what to try. Checks made at once share one ping, and a result is reused for
   * HEALTH_REUSE_MS after it came: a load balancer (or a flood of /health) costs the
   * database at most a few pings a second, never one per request.
   */
  health(): Promise<Health> {
    const now = Date.now();
    if (this.lastHealth && now - this.lastHealth.at < HEALTH_REUSE_MS) return Promise.resolve(this.lastHealth.health);
    this.healthInFlight ??= this.checkHealth().then((health) => {
      this.lastHealth = { at: Date.now(), health };
      this.healthInFlight = null;
      return health;
    });
    return this.healthInFlight;
  }

  private lastHealth: { at: number; health: Health } | null = null;
  private healthInFlight: Promise<Health> | null = null;

  private async checkHealth(): Promise<Health> {
    try {
      await this.database.ping(HEALTH_TIMEOUT_MS);
      return { status: 'healthy', database: 'connected', driver: this.database.driver };
    } catch (error) {
      return {
        status: 'unhealthy',
        database: 'disconnected',
        driver: this.database.driver,
        reason: (error as Error).message,
      };
    }
  }

  /** Ready when the database answers and every migration of this version is applied. */
  async readiness(): Promise<Readiness> {
    let databaseUp = false;
    let migrated = false;
    try {
      await this.database.ping(HEALTH_TIMEOUT_MS);
      databaseUp = true;
      migrated = (await migrationStatus(this.database)).every((m) => m.applied);
    } catch {
      // reported as not ready
    }
    return { ready: databaseUp && migrated, checks: { database: databaseUp, migrations: migrated } };
  }

  poolStats(): PoolStats {
    return this.database.poolStats();
  }

  /** Analyses pending or running, and the age of the oldest. */
  analysisQueue(): Promise<{ depth: number; oldestSeconds: number }> {
    return new AuditRepository(this.database.db).queueStatsAcrossOrganizations();
  }

  /** Emails waiting, given up on, and the age of the oldest waiting. */
  emailOutbox(): Promise<{ backlog: number; oldestSeconds: number; failed: number }> {
    return new EmailOutboxRepository(this.database.db).backlogAcrossOrganizations();
  }
}
