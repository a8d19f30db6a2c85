-- Server instances' liveness (ADR 0004, addendum 2026-12-05): each server process beats here every
-- few seconds with the database's clock; a claim names its instance, so a dead instance's claims
-- end at once instead of after their lease. Claims made before this migration name none: lease only.
CREATE TABLE IF NOT EXISTS "server_instance" (
	"id" uuid PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"alive_since" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN IF NOT EXISTS "claimed_by" uuid;
