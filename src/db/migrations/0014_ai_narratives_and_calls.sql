CREATE TABLE "ai_calls" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50) NOT NULL,
	"audit_id" varchar(50),
	"user_id" varchar(50),
	"kind" varchar(20) NOT NULL,
	"model" varchar(255) NOT NULL,
	"day" date NOT NULL,
	"reserved_tokens" integer NOT NULL,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"total_tokens" integer,
	"tokens_estimated" boolean DEFAULT false NOT NULL,
	"latency_ms" integer,
	"outcome" varchar(20) DEFAULT 'running' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "audit_narratives" (
	"analysis_id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50) NOT NULL,
	"audit_id" varchar(50) NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"content" jsonb,
	"model" varchar(255),
	"reason" varchar(500),
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
ALTER TABLE "ai_calls" ADD CONSTRAINT "ai_calls_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_calls" ADD CONSTRAINT "ai_calls_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_calls" ADD CONSTRAINT "ai_calls_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_narratives" ADD CONSTRAINT "audit_narratives_analysis_id_analysis_results_id_fk" FOREIGN KEY ("analysis_id") REFERENCES "public"."analysis_results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_narratives" ADD CONSTRAINT "audit_narratives_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_narratives" ADD CONSTRAINT "audit_narratives_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_ai_calls_organization_day" ON "ai_calls" USING btree ("organization_id","day");--> statement-breakpoint
CREATE INDEX "idx_ai_calls_audit" ON "ai_calls" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "idx_ai_calls_user" ON "ai_calls" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_ai_calls_running" ON "ai_calls" USING btree ("created_at") WHERE outcome = 'running';--> statement-breakpoint
CREATE INDEX "idx_audit_narratives_due" ON "audit_narratives" USING btree ("run_after") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "idx_audit_narratives_audit" ON "audit_narratives" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "idx_audit_narratives_organization" ON "audit_narratives" USING btree ("organization_id");