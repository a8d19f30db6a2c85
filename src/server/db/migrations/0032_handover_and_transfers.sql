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
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_from_structure_id_structure_id_fk" FOREIGN KEY ("from_structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_to_structure_id_structure_id_fk" FOREIGN KEY ("to_structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_proposed_by_user_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_answered_by_user_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_new_referent_user_id_user_id_fk" FOREIGN KEY ("new_referent_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_result_person_id_person_id_fk" FOREIGN KEY ("result_person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handover_meeting_person_idx" ON "handover_meeting" USING btree ("person_id","starts_at");--> statement-breakpoint
CREATE INDEX "handover_meeting_structure_idx" ON "handover_meeting" USING btree ("structure_id","status");--> statement-breakpoint
CREATE INDEX "handover_meeting_target_idx" ON "handover_meeting" USING btree ("target_structure_id","held_at");--> statement-breakpoint
CREATE INDEX "handover_participant_meeting_idx" ON "handover_participant" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "transfer_to_status_idx" ON "transfer" USING btree ("to_structure_id","status");--> statement-breakpoint
CREATE INDEX "transfer_from_idx" ON "transfer" USING btree ("from_structure_id","proposed_at");--> statement-breakpoint
CREATE INDEX "transfer_person_idx" ON "transfer" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_one_open_uq" ON "transfer" USING btree ("person_id") WHERE "transfer"."status" = 'proposed';