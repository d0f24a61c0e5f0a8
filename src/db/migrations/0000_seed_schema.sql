CREATE TABLE "analysis_results" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"audit_id" varchar(50),
	"summary" jsonb,
	"recommendations" jsonb,
	"cost_analysis" jsonb,
	"risk_assessment" jsonb,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "audit_comments" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"audit_id" varchar(50),
	"user_id" varchar(50),
	"parent_id" varchar(50),
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "audit_shares" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"audit_id" varchar(50),
	"visibility" varchar(50) DEFAULT 'private',
	"share_token" varchar(255),
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "audit_shares_share_token_key" UNIQUE("share_token"),
	CONSTRAINT "audit_shares_audit_id_key" UNIQUE("audit_id")
);
--> statement-breakpoint
CREATE TABLE "audit_user_shares" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"audit_id" varchar(50),
	"user_id" varchar(50),
	"permission" varchar(50) DEFAULT 'view',
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "audit_user_shares_audit_id_user_id_key" UNIQUE("audit_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "audits" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50),
	"user_id" varchar(50),
	"name" varchar(255) NOT NULL,
	"stack_data" jsonb,
	"status" varchar(50) DEFAULT 'pending',
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "collaboration_activity" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50),
	"audit_id" varchar(50),
	"user_id" varchar(50),
	"action" varchar(100) NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "comment_reactions" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"comment_id" varchar(50),
	"user_id" varchar(50),
	"reaction" varchar(50) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "comment_reactions_comment_id_user_id_reaction_key" UNIQUE("comment_id","user_id","reaction")
);
--> statement-breakpoint
CREATE TABLE "integration_credentials" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50),
	"provider" varchar(100) NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"token_expires_at" timestamp with time zone,
	"config" jsonb DEFAULT '{}'::jsonb,
	"last_sync_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "integration_credentials_organization_id_provider_key" UNIQUE("organization_id","provider")
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"user_id" varchar(50),
	"email_comments" boolean DEFAULT true,
	"email_mentions" boolean DEFAULT true,
	"email_shares" boolean DEFAULT true,
	"email_weekly_digest" boolean DEFAULT true,
	"in_app_comments" boolean DEFAULT true,
	"in_app_mentions" boolean DEFAULT true,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "notification_preferences_user_id_key" UNIQUE("user_id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"name" varchar(255) NOT NULL,
	"plan" varchar(50) DEFAULT 'free',
	"stripe_customer_id" varchar(100),
	"stripe_subscription_id" varchar(100),
	"settings" jsonb DEFAULT '{}'::jsonb,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50),
	"stripe_subscription_id" varchar(100),
	"plan" varchar(50) NOT NULL,
	"status" varchar(50) DEFAULT 'active',
	"current_period_start" timestamp with time zone,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "team_invites" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50),
	"email" varchar(255) NOT NULL,
	"role" varchar(50) DEFAULT 'member',
	"invited_by" varchar(50),
	"token" varchar(255) NOT NULL,
	"status" varchar(50) DEFAULT 'pending',
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "team_invites_token_key" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "tool_costs" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50),
	"source" varchar(100) NOT NULL,
	"tool_name" varchar(255) NOT NULL,
	"vendor" varchar(255),
	"amount" numeric(12, 2) NOT NULL,
	"currency" varchar(10) DEFAULT 'USD',
	"billing_period_start" date,
	"billing_period_end" date,
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"imported_at" timestamp with time zone DEFAULT now(),
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"email" varchar(255) NOT NULL,
	"password_hash" varchar(255) NOT NULL,
	"name" varchar(255),
	"organization_id" varchar(50),
	"role" varchar(50) DEFAULT 'member',
	"plan" varchar(50) DEFAULT 'free',
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_email_key" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "analysis_results" ADD CONSTRAINT "analysis_results_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_comments" ADD CONSTRAINT "audit_comments_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_comments" ADD CONSTRAINT "audit_comments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_comments" ADD CONSTRAINT "audit_comments_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "public"."audit_comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_shares" ADD CONSTRAINT "audit_shares_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_user_shares" ADD CONSTRAINT "audit_user_shares_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_user_shares" ADD CONSTRAINT "audit_user_shares_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaboration_activity" ADD CONSTRAINT "collaboration_activity_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaboration_activity" ADD CONSTRAINT "collaboration_activity_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaboration_activity" ADD CONSTRAINT "collaboration_activity_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_reactions" ADD CONSTRAINT "comment_reactions_comment_id_fkey" FOREIGN KEY ("comment_id") REFERENCES "public"."audit_comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_reactions" ADD CONSTRAINT "comment_reactions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_credentials" ADD CONSTRAINT "integration_credentials_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invites" ADD CONSTRAINT "team_invites_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invites" ADD CONSTRAINT "team_invites_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_costs" ADD CONSTRAINT "tool_costs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_analysis_audit" ON "analysis_results" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "idx_comments_audit" ON "audit_comments" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "idx_comments_user" ON "audit_comments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_comments_parent" ON "audit_comments" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "idx_shares_audit" ON "audit_shares" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "idx_shares_token" ON "audit_shares" USING btree ("share_token");--> statement-breakpoint
CREATE INDEX "idx_user_shares_audit" ON "audit_user_shares" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "idx_user_shares_user" ON "audit_user_shares" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_audits_organization" ON "audits" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "idx_audits_user" ON "audits" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_audits_status" ON "audits" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_audits_created" ON "audits" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_activity_org" ON "collaboration_activity" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "idx_activity_audit" ON "collaboration_activity" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "idx_activity_created" ON "collaboration_activity" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_reactions_comment" ON "comment_reactions" USING btree ("comment_id");--> statement-breakpoint
CREATE INDEX "idx_integration_org" ON "integration_credentials" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "idx_integration_provider" ON "integration_credentials" USING btree ("provider");--> statement-breakpoint
CREATE INDEX "idx_notif_prefs_user" ON "notification_preferences" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_organizations_stripe_customer" ON "organizations" USING btree ("stripe_customer_id");--> statement-breakpoint
CREATE INDEX "idx_organizations_plan" ON "organizations" USING btree ("plan");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_org" ON "subscriptions" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_stripe" ON "subscriptions" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "idx_invites_org" ON "team_invites" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "idx_invites_email" ON "team_invites" USING btree ("email");--> statement-breakpoint
CREATE INDEX "idx_invites_token" ON "team_invites" USING btree ("token");--> statement-breakpoint
CREATE INDEX "idx_tool_costs_org" ON "tool_costs" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "idx_tool_costs_source" ON "tool_costs" USING btree ("source");--> statement-breakpoint
CREATE INDEX "idx_tool_costs_period" ON "tool_costs" USING btree ("billing_period_start","billing_period_end");--> statement-breakpoint
CREATE INDEX "idx_users_email" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "idx_users_organization" ON "users" USING btree ("organization_id");