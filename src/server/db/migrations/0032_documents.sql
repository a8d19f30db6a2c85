CREATE TYPE "public"."document_kind" AS ENUM('identity', 'proof', 'rights_decision', 'judgment_extract', 'expertise', 'other');--> statement-breakpoint
CREATE TYPE "public"."document_share_target" AS ENUM('orientation', 'structure', 'outside');--> statement-breakpoint
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
CREATE INDEX "document_person_idx" ON "document" USING btree ("person_id","uploaded_at");--> statement-breakpoint
CREATE INDEX "document_demarche_idx" ON "document" USING btree ("demarche_id");--> statement-breakpoint
CREATE INDEX "document_share_document_idx" ON "document_share" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "document_share_orientation_idx" ON "document_share" USING btree ("orientation_id");--> statement-breakpoint
CREATE INDEX "document_share_structure_idx" ON "document_share" USING btree ("recipient_structure_id");