CREATE TABLE "accepted_recommendations" (
	"id" varchar(50) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50) NOT NULL,
	"audit_id" varchar(50) NOT NULL,
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
ALTER TABLE "accepted_recommendations" ADD CONSTRAINT "accepted_recommendations_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accepted_recommendations" ADD CONSTRAINT "accepted_recommendations_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accepted_recommendations" ADD CONSTRAINT "accepted_recommendations_accepted_by_fkey" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accepted_recommendations_audit_key" ON "accepted_recommendations" USING btree ("audit_id","recommendation_key");--> statement-breakpoint
CREATE INDEX "idx_accepted_recommendations_org_accepted" ON "accepted_recommendations" USING btree ("organization_id","accepted_at","id");