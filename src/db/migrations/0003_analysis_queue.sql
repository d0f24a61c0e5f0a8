ALTER TABLE "audits" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "analysis_generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "analysis_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "analysis_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "tool_count" integer;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "total_monthly_cost" numeric(12, 2);--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "potential_monthly_savings" numeric(12, 2);--> statement-breakpoint
CREATE INDEX "idx_audits_analysis_queue" ON "audits" USING btree ("updated_at") WHERE "audits"."status" IN ('pending', 'analyzing');