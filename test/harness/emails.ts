/** What the outbox holds for an address: the emails a user would find in their mailbox. */
import { and, desc, eq } from 'drizzle-orm';

import type { Executor } from '../../src/db/database.js';
import { emailOutbox } from '../../src/db/schema.js';

export type OutboxRow = typeof emailOutbox.$inferSelect;

/** Every email to `to` of one template, newest first. */
export async function emailsTo(db: Executor, to: string, template: string): Promise<OutboxRow[]> {
  return db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to.toLowerCase()), eq(emailOutbox.template, template)))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id));
}

/**
 * The link of the newest email of this template to `to` (`…/verify-email/TOKEN`,
 * `…/reset-password/TOKEN`), read from its text as the recipient would, and its token.
 */
export async function emailedLink(
  db: Executor,
  to: string,
  template: 'verify_email' | 'password_reset',
): Promise<{ url: string; token: string; email: OutboxRow }> {
  const [email] = await emailsTo(db, to, template);
  if (!email) throw new Error(`no ${template} email to ${to}`);
  const path = template === 'verify_email' ? 'verify-email' : 'reset-password';
  const match = new RegExp(`(https?://\\S+/${path}/([A-Za-z0-9_-]+))`).exec(email.textBody);
  if (!match) throw new Error(`the ${template} email to ${to} has no ${path} link:\n${email.textBody}`);
  return { url: match[1]!, token: match[2]!, email };
}
