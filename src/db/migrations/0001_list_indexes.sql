CREATE INDEX "idx_analysis_audit_created" ON "analysis_results" USING btree ("audit_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_comments_audit_created" ON "audit_comments" USING btree ("audit_id","created_at","id");--> statement-breakpoint
CREATE INDEX "idx_audits_org_created" ON "audits" USING btree ("organization_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_activity_org_created" ON "collaboration_activity" USING btree ("organization_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_tool_costs_org_created" ON "tool_costs" USING btree ("organization_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);