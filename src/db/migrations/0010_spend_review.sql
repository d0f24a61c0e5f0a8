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
ALTER TABLE "vendor_rules" ADD CONSTRAINT "vendor_rules_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_rules" ADD CONSTRAINT "vendor_rules_decided_by_fkey" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "vendor_rules_org_merchant_key" ON "vendor_rules" USING btree ("organization_id","merchant_key");--> statement-breakpoint
CREATE INDEX "idx_tool_costs_org_review_created" ON "tool_costs" USING btree ("organization_id","review","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);