CREATE TABLE "exchange_rates" (
	"organization_id" varchar(50) NOT NULL,
	"currency" varchar(3) NOT NULL,
	"rate" numeric(20, 10) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_rates_pkey" PRIMARY KEY("organization_id","currency")
);
--> statement-breakpoint
ALTER TABLE "exchange_rates" ADD CONSTRAINT "exchange_rates_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tool_costs_org_source_external_id_key" ON "tool_costs" USING btree ("organization_id","source",("metadata" ->> 'externalId')) WHERE ("tool_costs"."metadata" ->> 'externalId') IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_tool_costs_org_period" ON "tool_costs" USING btree ("organization_id","billing_period_start");--> statement-breakpoint
CREATE INDEX "idx_tool_costs_org_source_created" ON "tool_costs" USING btree ("organization_id","source","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);