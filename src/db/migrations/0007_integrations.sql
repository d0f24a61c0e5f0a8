CREATE TABLE "oauth_states" (
	"state_hash" varchar(64) PRIMARY KEY NOT NULL,
	"organization_id" varchar(50) NOT NULL,
	"user_id" varchar(50) NOT NULL,
	"session_id" varchar(50) NOT NULL,
	"provider" varchar(100) NOT NULL,
	"code_verifier" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "integration_credentials" ADD COLUMN "status" varchar(30) DEFAULT 'connected' NOT NULL;--> statement-breakpoint
ALTER TABLE "integration_credentials" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "integration_credentials" ADD COLUMN "sync_status" varchar(20) DEFAULT 'idle' NOT NULL;--> statement-breakpoint
ALTER TABLE "integration_credentials" ADD COLUMN "sync_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "integration_credentials" ADD COLUMN "next_sync_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "integration_credentials" ADD COLUMN "sync_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_oauth_states_expires" ON "oauth_states" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "idx_integration_sync_queue" ON "integration_credentials" USING btree ("sync_status","next_sync_at") WHERE "integration_credentials"."sync_status" IN ('queued', 'running');