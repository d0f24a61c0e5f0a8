import { and, asc, eq, isNull, or } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { acceptedRecommendations } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { visibleAuditCondition } from './access.repository.js';

export type AcceptedRecommendation = typeof acceptedRecommendations.$inferSelect;

export interface NewAcceptance {
  auditId: string;
  recommendationKey: string;
  type: string;
  title: string;
  tools: string[];
  /** Decimal string, e.g. "182.50". */
  expectedMonthlySavings: string;
  currency: string;
  acceptedBy: string;
  /** Now, unless said (the demo data's acceptance is months old). */
  acceptedAt?: Date;
}

/** The recommendations an organization decided to act on. */
export class AcceptedRecommendationRepository {
  constructor(private readonly db: Executor) {}

  /** Records an acceptance; null when this recommendation of the audit was accepted already. */
  async create(organizationId: string, input: NewAcceptance): Promise<AcceptedRecommendation | null> {
    const [row] = await this.db
      .insert(acceptedRecommendations)
      .values({
        id: newId('acceptedRecommendation'),
        organizationId,
        ...input,
        acceptedAt: input.acceptedAt ?? new Date(),
      })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  /**
   * The organization's acceptances this user may see, oldest first (a short list: decisions
   * people made): those of audits the user may view (access.repository.ts decides, in SQL),
   * and those whose audit was deleted since.
   */
  listVisible(
    organizationId: string,
    viewer: { userId: string; role: string | null },
  ): Promise<AcceptedRecommendation[]> {
    const visible = visibleAuditCondition(this.db, acceptedRecommendations.auditId, viewer);
    return this.db
      .select()
      .from(acceptedRecommendations)
      .where(
        and(
          eq(acceptedRecommendations.organizationId, organizationId),
          visible ? or(isNull(acceptedRecommendations.auditId), visible) : undefined,
        ),
      )
      .orderBy(asc(acceptedRecommendations.acceptedAt), asc(acceptedRecommendations.id));
  }

  /** Withdraws an acceptance of an audit; false when there is none of this organization's. */
  async delete(organizationId: string, auditId: string, acceptanceId: string): Promise<boolean> {
    const rows = await this.db
      .delete(acceptedRecommendations)
      .where(
        and(
          eq(acceptedRecommendations.id, acceptanceId),
          eq(acceptedRecommendations.auditId, auditId),
          eq(acceptedRecommendations.organizationId, organizationId),
        ),
      )
      .returning({ id: acceptedRecommendations.id });
    return rows.length === 1;
  }
}
