CREATE TABLE "comment_fanout_queue" (
	"comment_id" varchar(50) PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comment_fanout_queue" ADD CONSTRAINT "comment_fanout_queue_comment_id_fkey" FOREIGN KEY ("comment_id") REFERENCES "public"."audit_comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_comment_fanout_queue_created" ON "comment_fanout_queue" USING btree ("created_at","comment_id");