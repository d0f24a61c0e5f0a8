/**
 * Housekeeping any instance may run (each statement is idempotent): delete expired
 * sessions, emailed links, OAuth requests in flight and rate-limit windows that have passed,
 * so those tables stay small, and end calls to an AI model that a dead process left running; and, only where asked for (RETENTION_ENABLED), audits older
 * than their organization's settings.auditRetentionDays. Across organizations by nature.
 */
import type { Database } from '../db/database.js';
import { AiCallRepository } from '../repositories/ai-call.repository.js';
import { AccountTokenRepository } from '../repositories/account-token.repository.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { OAuthStateRepository } from '../repositories/oauth-state.repository.js';
import { RateLimitRepository } from '../repositories/rate-limit.repository.js';
import { SessionRepository } from '../repositories/session.repository.js';
import { TableStatisticsRepository } from '../repositories/table-statistics.repository.js';

/** One table's pass: what it needed, how long it took, and its error if it failed. */
export interface TableUpkeep {
  table: string;
  vacuum: boolean;
  analyze: boolean;
  ms: number;
  error?: string;
}

/** The seed plan's auditRetentionDays, for organizations without the setting. */
export const DEFAULT_RETENTION_DAYS = 90;

export class MaintenanceService {
  constructor(private readonly database: Database) {}

  /** Deletes rows whose time has passed; how many of each. */
  async purgeExpired(
    now = new Date(),
  ): Promise<{ sessions: number; rateLimits: number; links: number; oauthStates: number; aiCalls: number }> {
    const db = this.database.db;
    const sessions = await new SessionRepository(db).deleteExpired(now);
    const rateLimits = await new RateLimitRepository(db).deleteExpired(now);
    const links = await new AccountTokenRepository(db).deleteExpired(now);
    const oauthStates = await new OAuthStateRepository(db).deleteExpiredAcrossOrganizations(now);
    // Calls to the model still 'running' after an hour were cut off by a process that died
    // (no call lasts that long: AI_TIMEOUT_MS is at most ten minutes, four times over).
    const aiCalls = await new AiCallRepository(db).endAbandonedAcrossOrganizations(new Date(now.getTime() - 3_600_000));
    return { sessions, rateLimits, links, oauthStates, aiCalls };
  }

  /**
   * What autovacuum would do now, done: each table past its thresholds vacuumed and/or
   * analysed, one at a time, with how long each took (repositories/table-statistics.repository.ts
   * says why the embedded database needs it). A table that fails (one dropped meanwhile, as
   * pg-boss drops its partitions) is reported with its error and does not stop the others.
   */
  async upkeepTables(): Promise<TableUpkeep[]> {
    const tables = new TableStatisticsRepository(this.database.db);
    const done: TableUpkeep[] = [];
    for (const due of await tables.due()) {
      const started = performance.now();
      let error: string | undefined;
      try {
        await tables.upkeep(due);
      } catch (failure) {
        error = (failure as Error).message;
      }
      done.push({
        table: `${due.schema}.${due.name}`,
        vacuum: due.vacuum,
        analyze: due.analyze,
        ms: Math.round(performance.now() - started),
        ...(error === undefined ? {} : { error }),
      });
    }
    return done;
  }

  /** Deletes audits past their organization's retention; returns them (for the log). */
  applyRetention(now = new Date()): Promise<{ id: string; organizationId: string | null; name: string }[]> {
    return new AuditRepository(this.database.db).deleteExpiredAcrossOrganizations(DEFAULT_RETENTION_DAYS, now);
  }
}
