CREATE TABLE "scheduled_job" (
	"name" text PRIMARY KEY NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"last_started_at" timestamp with time zone,
	"last_finished_at" timestamp with time zone,
	"last_result" text DEFAULT '' NOT NULL,
	"last_error" text,
	"runs" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "orientation_sent_expiry_idx" ON "orientation" USING btree ("expires_at") WHERE "orientation"."status" = 'sent';