ALTER TABLE "directory_contact" ADD COLUMN "email_bounced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "bounce_token" text;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_bounce_token_uq" ON "notification" USING btree ("bounce_token") WHERE "notification"."bounce_token" is not null;