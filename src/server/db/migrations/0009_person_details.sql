ALTER TABLE "person" ADD COLUMN "domiciliation" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "preferred_language" text DEFAULT 'français' NOT NULL;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "reads_french" text DEFAULT '' NOT NULL;