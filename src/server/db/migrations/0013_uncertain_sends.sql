ALTER TYPE "public"."notification_status" ADD VALUE 'uncertain';--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "uncertain_sends" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "uncertain_at" timestamp with time zone;