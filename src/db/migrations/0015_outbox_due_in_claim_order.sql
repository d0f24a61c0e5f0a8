DROP INDEX "idx_outbox_due";--> statement-breakpoint
CREATE INDEX "idx_outbox_failed" ON "email_outbox" USING btree ("created_at") WHERE "email_outbox"."status" = 'failed';--> statement-breakpoint
CREATE INDEX "idx_outbox_due" ON "email_outbox" USING btree ("next_attempt_at") WHERE "email_outbox"."status" IN ('pending', 'sending');