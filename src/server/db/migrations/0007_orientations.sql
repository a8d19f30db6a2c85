CREATE TYPE "public"."iae_kind" AS ENUM('ACI', 'AI', 'EI', 'ETTI', 'EITI', 'GEIQ', 'EA');--> statement-breakpoint
CREATE TYPE "public"."orientation_status" AS ENUM('draft', 'sent', 'accepted', 'refused', 'expired', 'cancelled', 'completed');--> statement-breakpoint
CREATE TYPE "public"."orientation_target" AS ENUM('mediation', 'partner_back_office', 'iae_employer', 'mission_locale', 'point_justice', 'other');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'orientation_sent';--> statement-breakpoint
CREATE TABLE "orientation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"demarche_id" uuid,
	"target" "orientation_target" NOT NULL,
	"partner_id" uuid,
	"iae_kind" "iae_kind",
	"reason" text NOT NULL,
	"status" "orientation_status" NOT NULL,
	"refusal_reason" text DEFAULT '' NOT NULL,
	"refusal_reason_for_person" boolean DEFAULT false NOT NULL,
	"outcome" text DEFAULT '' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_demarche_id_demarche_id_fk" FOREIGN KEY ("demarche_id") REFERENCES "public"."demarche"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_partner_id_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partner"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_answered_by_user_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orientation_person_idx" ON "orientation" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE INDEX "orientation_partner_idx" ON "orientation" USING btree ("partner_id","status");