CREATE TYPE "public"."document_kind" AS ENUM('identity', 'proof', 'rights_decision', 'judgment_extract', 'expertise', 'other');--> statement-breakpoint
CREATE TYPE "public"."document_share_target" AS ENUM('orientation', 'structure', 'outside');--> statement-breakpoint
CREATE TABLE "collective_action_document" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collective_action_organiser" (
	"action_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "collective_action_organiser_action_id_user_id_pk" PRIMARY KEY("action_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "convention_alert" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"convention_id" uuid NOT NULL,
	"ends_on" date NOT NULL,
	"threshold_days" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "convention_settings" (
	"structure_id" uuid PRIMARY KEY NOT NULL,
	"alert_days" integer DEFAULT 90 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "detention_settings" (
	"structure_id" uuid PRIMARY KEY NOT NULL,
	"release_plan_days" integer DEFAULT 90 NOT NULL,
	"access_alert_days" integer DEFAULT 30 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"demarche_id" uuid,
	"kind" "document_kind" NOT NULL,
	"judicial" boolean GENERATED ALWAYS AS (kind in ('judgment_extract', 'expertise')) STORED NOT NULL,
	"title" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"stored_file_id" uuid,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid
);
--> statement-breakpoint
CREATE TABLE "document_share" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"target" "document_share_target" NOT NULL,
	"orientation_id" uuid,
	"recipient_structure_id" uuid,
	"recipient_label" text DEFAULT '' NOT NULL,
	"legal_basis" text NOT NULL,
	"reason" text NOT NULL,
	"shared_by" uuid NOT NULL,
	"shared_at" timestamp with time zone NOT NULL,
	"until" date,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" uuid
);
--> statement-breakpoint
CREATE TABLE "handover_meeting" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"target_structure_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"site_id" uuid,
	"place_text" text DEFAULT '' NOT NULL,
	"release_date" date NOT NULL,
	"status" text NOT NULL,
	"minutes" text DEFAULT '' NOT NULL,
	"decisions" text DEFAULT '' NOT NULL,
	"consent_given" boolean DEFAULT false NOT NULL,
	"consent_reference" text DEFAULT '' NOT NULL,
	"agenda" jsonb,
	"target_referent_user_id" uuid,
	"first_convocation_id" uuid,
	"result_person_id" uuid,
	"ics_uid" text NOT NULL,
	"ics_sequence" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"held_at" timestamp with time zone,
	"held_by" uuid,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "handover_participant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"user_id" uuid,
	"directory_contact_id" uuid,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"role_label" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "newsletter_delivery" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"directory_contact_id" uuid NOT NULL,
	"email" text NOT NULL,
	"notification_id" uuid,
	"token_hash" text NOT NULL,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_delivery_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "newsletter_issue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"blocks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"content" jsonb,
	"html" text,
	"text" text,
	"sent_at" timestamp with time zone,
	"sent_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "release_alert" (
	"person_id" uuid NOT NULL,
	"release_date" date NOT NULL,
	"threshold_days" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "release_alert_person_id_release_date_threshold_days_pk" PRIMARY KEY("person_id","release_date","threshold_days")
);
--> statement-breakpoint
CREATE TABLE "site_access_authorisation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"valid_until" date NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"alerted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transfer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"from_structure_id" uuid NOT NULL,
	"to_structure_id" uuid NOT NULL,
	"proposed_by" uuid NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"consent_given" boolean NOT NULL,
	"consent_reference" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"refusal_reason" text DEFAULT '' NOT NULL,
	"new_referent_user_id" uuid,
	"result_person_id" uuid
);
--> statement-breakpoint
DROP INDEX "convocation_seat_uq";--> statement-breakpoint
ALTER TABLE "collective_action" ADD COLUMN "sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "collective_action" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "collective_action_invitation" ADD COLUMN "present" boolean;--> statement-breakpoint
ALTER TABLE "convention" ADD COLUMN "ended_on" date;--> statement-breakpoint
ALTER TABLE "convocation" ADD COLUMN "collective_action_id" uuid;--> statement-breakpoint
ALTER TABLE "orientation" ADD COLUMN "directory_contact_id" uuid;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "released_on" date;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "capacity" integer;--> statement-breakpoint
ALTER TABLE "collective_action_document" ADD CONSTRAINT "collective_action_document_action_id_collective_action_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."collective_action"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_document" ADD CONSTRAINT "collective_action_document_file_id_stored_file_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_document" ADD CONSTRAINT "collective_action_document_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_organiser" ADD CONSTRAINT "collective_action_organiser_action_id_collective_action_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."collective_action"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_organiser" ADD CONSTRAINT "collective_action_organiser_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_alert" ADD CONSTRAINT "convention_alert_convention_id_convention_id_fk" FOREIGN KEY ("convention_id") REFERENCES "public"."convention"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_settings" ADD CONSTRAINT "convention_settings_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_settings" ADD CONSTRAINT "convention_settings_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detention_settings" ADD CONSTRAINT "detention_settings_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_demarche_id_demarche_id_fk" FOREIGN KEY ("demarche_id") REFERENCES "public"."demarche"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_stored_file_id_stored_file_id_fk" FOREIGN KEY ("stored_file_id") REFERENCES "public"."stored_file"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_deleted_by_user_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_share" ADD CONSTRAINT "document_share_document_id_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."document"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_share" ADD CONSTRAINT "document_share_orientation_id_orientation_id_fk" FOREIGN KEY ("orientation_id") REFERENCES "public"."orientation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_share" ADD CONSTRAINT "document_share_recipient_structure_id_structure_id_fk" FOREIGN KEY ("recipient_structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_share" ADD CONSTRAINT "document_share_shared_by_user_id_fk" FOREIGN KEY ("shared_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_share" ADD CONSTRAINT "document_share_withdrawn_by_user_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_target_structure_id_structure_id_fk" FOREIGN KEY ("target_structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_target_referent_user_id_user_id_fk" FOREIGN KEY ("target_referent_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_first_convocation_id_convocation_id_fk" FOREIGN KEY ("first_convocation_id") REFERENCES "public"."convocation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_result_person_id_person_id_fk" FOREIGN KEY ("result_person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_meeting" ADD CONSTRAINT "handover_meeting_held_by_user_id_fk" FOREIGN KEY ("held_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_participant" ADD CONSTRAINT "handover_participant_meeting_id_handover_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."handover_meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_participant" ADD CONSTRAINT "handover_participant_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_participant" ADD CONSTRAINT "handover_participant_directory_contact_id_directory_contact_id_fk" FOREIGN KEY ("directory_contact_id") REFERENCES "public"."directory_contact"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_delivery" ADD CONSTRAINT "newsletter_delivery_issue_id_newsletter_issue_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."newsletter_issue"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_delivery" ADD CONSTRAINT "newsletter_delivery_directory_contact_id_directory_contact_id_fk" FOREIGN KEY ("directory_contact_id") REFERENCES "public"."directory_contact"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_delivery" ADD CONSTRAINT "newsletter_delivery_notification_id_notification_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notification"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_issue" ADD CONSTRAINT "newsletter_issue_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_issue" ADD CONSTRAINT "newsletter_issue_sent_by_user_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_issue" ADD CONSTRAINT "newsletter_issue_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_alert" ADD CONSTRAINT "release_alert_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_access_authorisation" ADD CONSTRAINT "site_access_authorisation_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_access_authorisation" ADD CONSTRAINT "site_access_authorisation_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_access_authorisation" ADD CONSTRAINT "site_access_authorisation_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_access_authorisation" ADD CONSTRAINT "site_access_authorisation_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_from_structure_id_structure_id_fk" FOREIGN KEY ("from_structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_to_structure_id_structure_id_fk" FOREIGN KEY ("to_structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_proposed_by_user_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_answered_by_user_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_new_referent_user_id_user_id_fk" FOREIGN KEY ("new_referent_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_result_person_id_person_id_fk" FOREIGN KEY ("result_person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collective_action_document_action_idx" ON "collective_action_document" USING btree ("action_id");--> statement-breakpoint
CREATE UNIQUE INDEX "convention_alert_uq" ON "convention_alert" USING btree ("convention_id","ends_on","threshold_days");--> statement-breakpoint
CREATE INDEX "document_person_idx" ON "document" USING btree ("person_id","uploaded_at");--> statement-breakpoint
CREATE INDEX "document_demarche_idx" ON "document" USING btree ("demarche_id");--> statement-breakpoint
CREATE INDEX "document_share_document_idx" ON "document_share" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "document_share_orientation_idx" ON "document_share" USING btree ("orientation_id");--> statement-breakpoint
CREATE INDEX "document_share_structure_idx" ON "document_share" USING btree ("recipient_structure_id");--> statement-breakpoint
CREATE INDEX "handover_meeting_person_idx" ON "handover_meeting" USING btree ("person_id","starts_at");--> statement-breakpoint
CREATE INDEX "handover_meeting_structure_idx" ON "handover_meeting" USING btree ("structure_id","status");--> statement-breakpoint
CREATE INDEX "handover_meeting_target_idx" ON "handover_meeting" USING btree ("target_structure_id","held_at");--> statement-breakpoint
CREATE INDEX "handover_participant_meeting_idx" ON "handover_participant" USING btree ("meeting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "newsletter_delivery_contact_uq" ON "newsletter_delivery" USING btree ("issue_id","directory_contact_id");--> statement-breakpoint
CREATE INDEX "newsletter_delivery_notification_idx" ON "newsletter_delivery" USING btree ("notification_id");--> statement-breakpoint
CREATE UNIQUE INDEX "newsletter_issue_number_uq" ON "newsletter_issue" USING btree ("structure_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "site_access_authorisation_site_user_uq" ON "site_access_authorisation" USING btree ("site_id","user_id");--> statement-breakpoint
CREATE INDEX "site_access_authorisation_expiry_idx" ON "site_access_authorisation" USING btree ("valid_until");--> statement-breakpoint
CREATE INDEX "transfer_to_status_idx" ON "transfer" USING btree ("to_structure_id","status");--> statement-breakpoint
CREATE INDEX "transfer_from_idx" ON "transfer" USING btree ("from_structure_id","proposed_at");--> statement-breakpoint
CREATE INDEX "transfer_person_idx" ON "transfer" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_one_open_uq" ON "transfer" USING btree ("person_id") WHERE "transfer"."status" = 'proposed';--> statement-breakpoint
ALTER TABLE "convocation" ADD CONSTRAINT "convocation_collective_action_id_collective_action_id_fk" FOREIGN KEY ("collective_action_id") REFERENCES "public"."collective_action"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_directory_contact_id_directory_contact_id_fk" FOREIGN KEY ("directory_contact_id") REFERENCES "public"."directory_contact"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "convocation_action_seat_uq" ON "convocation" USING btree ("collective_action_id","seat") WHERE "convocation"."status" in ('planned', 'honoured', 'missed') and "convocation"."collective_action_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "convocation_seat_uq" ON "convocation" USING btree ("site_id","starts_at","seat") WHERE "convocation"."status" in ('planned', 'honoured', 'missed') and "convocation"."collective_action_id" is null;
--> statement-breakpoint
-- hand-written: the démarche types of the release plan missing from the catalogue (ADR 0028), the same as
-- the seed (src/server/db/seed/catalogue.ts). Idempotent: a type whose code exists is left as it is; a
-- partner missing from the database gets none (a new database gets them from the seed).
INSERT INTO "demarche_type" ("partner_id", "code", "label", "category", "documents")
SELECT p."id", v."code", v."label", v."category"::"demarche_category", v."documents"
FROM (VALUES
  ('france-travail', 'ft-iae-orientation', 'Orientation vers l''insertion par l''activité économique (IAE, Plateforme de l''inclusion)', 'travail-formation', ARRAY['Pièce d''identité', 'Curriculum vitae si disponible']),
  ('domiciliation', 'domiciliation-siao', 'Demande d''hébergement ou de logement (SIAO)', 'logement', ARRAY['Pièce d''identité', 'Justificatif de ressources', 'Évaluation sociale du SPIP'])
) AS v("partner_code", "code", "label", "category", "documents")
JOIN "partner" p ON p."code" = v."partner_code"
ON CONFLICT ("code") DO NOTHING;
