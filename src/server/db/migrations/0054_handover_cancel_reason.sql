-- A handover meeting is cancelled with its reason (ADR 0029, addendum of 2026-12-06): who cancelled it
-- and why, sent to the participants with the calendar cancellation. Meetings cancelled before: empty.
ALTER TABLE "handover_meeting" ADD COLUMN IF NOT EXISTS "cancelled_by" uuid REFERENCES "user"("id");--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD COLUMN IF NOT EXISTS "cancel_reason" text DEFAULT '' NOT NULL;
