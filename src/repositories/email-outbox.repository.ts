import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';

import { rowsOf, type Executor } from '../db/database.js';
import { emailOutbox } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { insertRows } from './bulk-insert.js';

export type OutboxMessage = typeof emailOutbox.$inferSelect;

export interface NewEmail {
  organizationId: string | null;
  template: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * The token of an emailed link (an invite, an email verification, a password reset) in a
 * message body. The database keeps only hashes of these tokens; the outbox must hold the
 * link until the message is out, and not a moment longer, or a read of the table or of a
 * backup would hand out working links.
 */
const LINK_TOKEN = '(/(invite|verify-email|reset-password)/)[A-Za-z0-9_-]{20,}';
const REMOVED = String.raw`\1[removed once sent]`;
const withoutLinkTokens = {
  textBody: sql`regexp_replace(${emailOutbox.textBody}, ${LINK_TOKEN}, ${REMOVED}, 'g')`,
  htmlBody: sql`regexp_replace(${emailOutbox.htmlBody}, ${LINK_TOKEN}, ${REMOVED}, 'g')`,
};

/** How long a claimed message stays claimed before another worker may take it again. */
const CLAIM_SECONDS = 120;

/** The email outbox: written with what caused the message, drained by jobs/outbox.worker.ts. */
export class EmailOutboxRepository {
  constructor(private readonly db: Executor) {}

  /** Several emails in one INSERT (the comment fan-out's batch; bulk-insert.ts). */
  async enqueueMany(emails: NewEmail[]): Promise<number> {
    const now = new Date();
    await insertRows(
      this.db,
      emailOutbox,
      [
        'id',
        'organizationId',
        'template',
        'toAddress',
        'subject',
        'textBody',
        'htmlBody',
        'status',
        'nextAttemptAt',
        'createdAt',
      ],
      emails.map((email) => outboxRow(email, now)),
    );
    return emails.length;
  }

  async enqueue(email: NewEmail): Promise<OutboxMessage> {
    const [row] = await this.db.insert(emailOutbox).values(outboxRow(email, new Date())).returning();
    return row!;
  }

  /**
   * Claims up to `limit` due messages for this worker: pending ones whose time has come,
   * and ones left 'sending' by a worker that died (their claim ran out). SKIP LOCKED lets
   * several instances drain the outbox without taking the same message.
   */
  async claimDue(limit: number, now = new Date()): Promise<OutboxMessage[]> {
    const due = this.db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      // Written as the index's predicate (idx_outbox_due), so that every plan can use it.
      .where(and(sql`${emailOutbox.status} IN ('pending', 'sending')`, lte(emailOutbox.nextAttemptAt, now)))
      .orderBy(asc(emailOutbox.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    return this.db
      .update(emailOutbox)
      .set({
        status: 'sending',
        attempts: sql`${emailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + CLAIM_SECONDS * 1000),
      })
      .where(inArray(emailOutbox.id, due))
      .returning();
  }

  /** Sent (or logged): the messages' secret links are removed from the stored copies. One statement. */
  async markSent(ids: readonly string[], status: 'sent' | 'logged', at = new Date()): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(emailOutbox)
      .set({ status, sentAt: at, lastError: null, ...withoutLinkTokens })
      .where(inArray(emailOutbox.id, [...ids]));
  }

  /** A failed attempt: try again at `retryAt`, or give up (`retryAt` null; its links are removed). */
  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.db
      .update(emailOutbox)
      .set(
        retryAt
          ? { status: 'pending', nextAttemptAt: retryAt, lastError: error.slice(0, 2000) }
          : { status: 'failed', lastError: error.slice(0, 2000), ...withoutLinkTokens },
      )
      .where(eq(emailOutbox.id, id));
  }

  /** For /metrics: messages not yet sent (across organizations), and the oldest one's age. */
  async backlogAcrossOrganizations(): Promise<{ backlog: number; oldestSeconds: number; failed: number }> {
    // Each count reads its own partial index (idx_outbox_due, idx_outbox_failed), never the
    // messages already sent.
    const result = await this.db.execute(sql`
      SELECT count(*)::int AS backlog,
             coalesce(extract(epoch FROM now() - min(${emailOutbox.createdAt})), 0)::float8 AS oldest_seconds,
             (SELECT count(*)::int FROM ${emailOutbox} WHERE ${emailOutbox.status} = 'failed') AS failed
        FROM ${emailOutbox}
       WHERE ${emailOutbox.status} IN ('pending', 'sending')`);
    const [row] = rowsOf<{ backlog: number; oldest_seconds: number; failed: number }>(result);
    return { backlog: row?.backlog ?? 0, failed: row?.failed ?? 0, oldestSeconds: Number(row?.oldest_seconds ?? 0) };
  }

  /** The organization's messages to one address, oldest first (support and tests). */
  async listTo(organizationId: string, to: string): Promise<OutboxMessage[]> {
    return this.db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.organizationId, organizationId), eq(emailOutbox.toAddress, to)))
      .orderBy(asc(emailOutbox.createdAt), asc(emailOutbox.id));
  }
}

/** A new pending message, due now. */
function outboxRow(email: NewEmail, now: Date) {
  return {
    id: newId('email'),
    organizationId: email.organizationId,
    template: email.template,
    toAddress: email.to,
    // The column holds 500: a longer subject would fail the whole write (templates keep theirs short).
    subject: email.subject.slice(0, 500),
    textBody: email.text,
    htmlBody: email.html,
    status: 'pending',
    nextAttemptAt: now,
    createdAt: now,
  } satisfies typeof emailOutbox.$inferInsert;
}
