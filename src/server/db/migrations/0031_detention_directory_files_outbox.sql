ALTER TYPE "public"."notification_kind" ADD VALUE 'invitation';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'newsletter';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'agent_alert';--> statement-breakpoint
CREATE TABLE "directory_contact" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entry_id" uuid NOT NULL,
	"name" text NOT NULL,
	"function" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"newsletter_subscribed" boolean DEFAULT false NOT NULL,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"partner_id" uuid,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"iae_kind" "iae_kind",
	"siret" text DEFAULT '' NOT NULL,
	"in_prison" boolean DEFAULT false NOT NULL,
	"area" text DEFAULT '' NOT NULL,
	"services" text[] DEFAULT '{}'::text[] NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"website" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stored_file" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"iv" "bytea" NOT NULL,
	"tag" "bytea" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"media_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "html" text;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "attachments" jsonb;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "headers" jsonb;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "directory_contact_id" uuid;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "detention_site_id" uuid;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "prison_number" text;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "expected_release_date" date;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "release_kind" text;--> statement-breakpoint
ALTER TABLE "directory_contact" ADD CONSTRAINT "directory_contact_entry_id_directory_entry_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."directory_entry"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_entry" ADD CONSTRAINT "directory_entry_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_entry" ADD CONSTRAINT "directory_entry_partner_id_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partner"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_contact_entry_idx" ON "directory_contact" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "directory_entry_structure_idx" ON "directory_entry" USING btree ("structure_id","name");--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_detention_site_id_site_id_fk" FOREIGN KEY ("detention_site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;