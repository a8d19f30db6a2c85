ALTER TYPE "public"."notification_kind" ADD VALUE 'account_notice';--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "activation_token_hash" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "activation_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_activation_token_hash_unique" UNIQUE("activation_token_hash");