ALTER TABLE "user" ADD COLUMN "recovery_token_hash" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "recovery_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_recovery_token_hash_unique" UNIQUE("recovery_token_hash");