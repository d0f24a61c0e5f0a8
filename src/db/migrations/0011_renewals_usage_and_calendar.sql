CREATE TABLE "app_usage" (
	"organization_id" varchar(50) NOT NULL,
	"provider" varchar(50) NOT NULL,
	"app_key" varchar(255) NOT NULL,
	"app_name" varchar(255) NOT NULL,
	"tool_name" varchar(255),
	"purchased" integer,
	"assigned" integer,
	"active_30" integer NOT NULL,
	"active_90" integer NOT NULL,
	"users" integer NOT NULL,
	"evidence" varchar(20) NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_usage_pkey" PRIMARY KEY("organization_id","provider","app_key")
);
--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"organization_id" varchar(50) PRIMARY KEY NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"created_by" varchar(50),
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "renewal_reminders" (
	"organization_id" varchar(50) NOT NULL,
	"tool_key" varchar(255) NOT NULL,
	"due_date" date NOT NULL,
	"lead_days" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "renewal_reminders_pkey" PRIMARY KEY("organization_id","tool_key","due_date","lead_days")
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD COLUMN "email_renewal_reminders" boolean DEFAULT true;--> statement-breakpoint
ALTER TABLE "app_usage" ADD CONSTRAINT "app_usage_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renewal_reminders" ADD CONSTRAINT "renewal_reminders_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feeds_token_hash_key" ON "calendar_feeds" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "idx_tool_costs_org_period_end" ON "tool_costs" USING btree ("organization_id","billing_period_end");