CREATE TABLE "audit_commenters" (
	"audit_id" varchar(50) NOT NULL,
	"user_id" varchar(50) NOT NULL,
	"first_commented_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audit_commenters_pkey" PRIMARY KEY("audit_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "audit_commenters" ADD CONSTRAINT "audit_commenters_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_commenters" ADD CONSTRAINT "audit_commenters_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_commenters_user" ON "audit_commenters" USING btree ("user_id");--> statement-breakpoint
-- Everyone who had commented on an audit follows it from their first comment (read through
-- idx_comments_audit_user, dropped after; idempotent, so it can be run again after a deploy).
INSERT INTO "audit_commenters" ("audit_id", "user_id", "first_commented_at")
SELECT "audit_id", "user_id", min("created_at") FROM "audit_comments"
 WHERE "audit_id" IS NOT NULL AND "user_id" IS NOT NULL
 GROUP BY "audit_id", "user_id"
ON CONFLICT ("audit_id", "user_id") DO NOTHING;--> statement-breakpoint
-- Last: its lock on audit_comments is held only from here to the commit.
DROP INDEX "idx_comments_audit_user";
