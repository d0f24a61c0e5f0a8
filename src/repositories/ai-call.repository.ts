import { and, eq, lt, sql } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { aiCalls } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export type AiCall = typeof aiCalls.$inferSelect;

export interface NewAiCall {
  auditId: string | null;
  userId: string | null;
  kind: AiCall['kind'];
  model: string;
  day: string;
  reservedTokens: number;
}

export interface FinishedAiCall {
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number;
  tokensEstimated: boolean;
  latencyMs: number;
  outcome: Exclude<AiCall['outcome'], 'running'>;
}

/** Calls to the model, per organization: what the daily token budget counts. Never their content. */
export class AiCallRepository {
  constructor(private readonly db: Executor) {}

  /** Tokens used on `day`, a call under way counting what it holds. */
  async tokensOn(organizationId: string, day: string): Promise<number> {
    const [row] = await this.db
      .select({ used: sql<string>`coalesce(sum(coalesce(${aiCalls.totalTokens}, ${aiCalls.reservedTokens})), 0)` })
      .from(aiCalls)
      .where(and(eq(aiCalls.organizationId, organizationId), eq(aiCalls.day, day)));
    return Number(row?.used ?? 0);
  }

  async start(organizationId: string, call: NewAiCall): Promise<AiCall> {
    const [row] = await this.db
      .insert(aiCalls)
      .values({ id: newId('aiCall'), organizationId, ...call })
      .returning();
    return row!;
  }

  async finish(organizationId: string, id: string, result: FinishedAiCall): Promise<void> {
    await this.db
      .update(aiCalls)
      .set(result)
      .where(and(eq(aiCalls.organizationId, organizationId), eq(aiCalls.id, id)));
  }

  /**
   * Ends calls left 'running' since before `before` (their process died): failed, holding
   * what they reserved (what they used is not known). Returns how many.
   */
  async endAbandonedAcrossOrganizations(before: Date): Promise<number> {
    const ended = await this.db
      .update(aiCalls)
      .set({ outcome: 'failed', totalTokens: sql`${aiCalls.reservedTokens}`, tokensEstimated: true })
      .where(and(eq(aiCalls.outcome, 'running'), lt(aiCalls.createdAt, before)))
      .returning({ id: aiCalls.id });
    return ended.length;
  }
}
