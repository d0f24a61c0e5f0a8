CREATE TABLE "accepted_recommendations" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50) NOT NULL,
	"audit_id" varchar(50),
	"recommendation_key" varchar(600) NOT NULL,
	"type" varchar(50) NOT NULL,
	"title" varchar(500) NOT NULL,
	"tools" jsonb NOT NULL,
	"expected_monthly_savings" numeric(12, 2) NOT NULL,
	"currency" varchar(10) NOT NULL,
	"accepted_by" varchar(50),
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vendor_rules" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50) NOT NULL,
	"merchant_key" varchar(255) NOT NULL,
	"decision" varchar(20) NOT NULL,
	"tool_name" varchar(255),
	"vendor" varchar(255),
	"decided_by" varchar(50),
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
ALTER TABLE "tool_costs" ADD COLUMN "review" varchar(20) DEFAULT 'software' NOT NULL;--> statement-breakpoint
ALTER TABLE "accepted_recommendations" ADD CONSTRAINT "accepted_recommendations_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accepted_recommendations" ADD CONSTRAINT "accepted_recommendations_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accepted_recommendations" ADD CONSTRAINT "accepted_recommendations_accepted_by_fkey" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_rules" ADD CONSTRAINT "vendor_rules_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_rules" ADD CONSTRAINT "vendor_rules_decided_by_fkey" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accepted_recommendations_audit_key" ON "accepted_recommendations" USING btree ("audit_id","recommendation_key");--> statement-breakpoint
CREATE INDEX "idx_accepted_recommendations_org_accepted" ON "accepted_recommendations" USING btree ("organization_id","accepted_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "vendor_rules_org_merchant_key" ON "vendor_rules" USING btree ("organization_id","merchant_key");--> statement-breakpoint
CREATE INDEX "idx_tool_costs_org_review_created" ON "tool_costs" USING btree ("organization_id","review","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_tool_costs_org_unreviewed_merchant" ON "tool_costs" USING btree ("organization_id",("metadata" ->> 'merchantKey')) WHERE "tool_costs"."review" = 'unreviewed';