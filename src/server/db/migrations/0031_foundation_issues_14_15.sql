ALTER TYPE "public"."notification_kind" ADD VALUE 'invitation';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'newsletter';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'agent_alert';--> statement-breakpoint
CREATE TABLE "collective_action" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"theme" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"site_id" uuid,
	"address" text DEFAULT '' NOT NULL,
	"capacity" integer,
	"status" text DEFAULT 'planned' NOT NULL,
	"series_id" uuid,
	"outcomes" jsonb,
	"minutes" text DEFAULT '' NOT NULL,
	"decisions" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collective_action_invitation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"directory_contact_id" uuid,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collective_action_invitation_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "convention" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"title" text NOT NULL,
	"reference" text DEFAULT '' NOT NULL,
	"level" text NOT NULL,
	"scope" text NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"signed_on" date,
	"starts_on" date,
	"ends_on" date,
	"renewal_terms" text DEFAULT '' NOT NULL,
	"tacit_renewal" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"referent_user_id" uuid,
	"signed_file_id" uuid,
	"signed_file_name" text,
	"renewed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "convention_party" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"convention_id" uuid NOT NULL,
	"directory_entry_id" uuid,
	"label" text NOT NULL
);
--> statement-breakpoint
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
ALTER TABLE "collective_action" ADD CONSTRAINT "collective_action_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action" ADD CONSTRAINT "collective_action_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action" ADD CONSTRAINT "collective_action_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_invitation" ADD CONSTRAINT "collective_action_invitation_action_id_collective_action_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."collective_action"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_invitation" ADD CONSTRAINT "collective_action_invitation_directory_contact_id_directory_contact_id_fk" FOREIGN KEY ("directory_contact_id") REFERENCES "public"."directory_contact"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention" ADD CONSTRAINT "convention_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention" ADD CONSTRAINT "convention_referent_user_id_user_id_fk" FOREIGN KEY ("referent_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention" ADD CONSTRAINT "convention_signed_file_id_stored_file_id_fk" FOREIGN KEY ("signed_file_id") REFERENCES "public"."stored_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_party" ADD CONSTRAINT "convention_party_convention_id_convention_id_fk" FOREIGN KEY ("convention_id") REFERENCES "public"."convention"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_party" ADD CONSTRAINT "convention_party_directory_entry_id_directory_entry_id_fk" FOREIGN KEY ("directory_entry_id") REFERENCES "public"."directory_entry"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_contact" ADD CONSTRAINT "directory_contact_entry_id_directory_entry_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."directory_entry"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_entry" ADD CONSTRAINT "directory_entry_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_entry" ADD CONSTRAINT "directory_entry_partner_id_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partner"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collective_action_structure_start_idx" ON "collective_action" USING btree ("structure_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "collective_action_invitation_email_uq" ON "collective_action_invitation" USING btree ("action_id","email");--> statement-breakpoint
CREATE INDEX "convention_structure_end_idx" ON "convention" USING btree ("structure_id","ends_on");--> statement-breakpoint
CREATE INDEX "convention_party_convention_idx" ON "convention_party" USING btree ("convention_id");--> statement-breakpoint
CREATE INDEX "directory_contact_entry_idx" ON "directory_contact" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "directory_entry_structure_idx" ON "directory_entry" USING btree ("structure_id","name");--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_detention_site_id_site_id_fk" FOREIGN KEY ("detention_site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;