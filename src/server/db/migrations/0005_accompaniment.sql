CREATE TYPE "public"."autonomy_level" AS ENUM('guided', 'autonomous_with_help', 'autonomous');--> statement-breakpoint
CREATE TYPE "public"."demarche_status" AS ENUM('todo', 'in_progress', 'waiting_documents', 'submitted', 'granted', 'rejected', 'abandoned', 'reoriented');--> statement-breakpoint
CREATE TYPE "public"."help_level" AS ENUM('information', 'guided', 'done_for', 'escalated');--> statement-breakpoint
CREATE TYPE "public"."need_priority" AS ENUM('low', 'medium', 'high');--> statement-breakpoint
CREATE TABLE "demarche" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"demarche_type_id" uuid,
	"help_level" "help_level" NOT NULL,
	"status" "demarche_status" NOT NULL,
	"outcome" text DEFAULT '' NOT NULL,
	"next_step" text DEFAULT '' NOT NULL,
	"due_date" date,
	"time_spent_minutes" integer DEFAULT 0 NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "demarche_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"demarche_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_user_id" uuid,
	"status" "demarche_status" NOT NULL,
	"visit_id" uuid,
	"time_spent_minutes" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "need_assessment" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"structure_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"has_need" boolean NOT NULL,
	"priority" "need_priority",
	"situation" text DEFAULT '' NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"assessed_at" timestamp with time zone NOT NULL,
	"assessed_by" uuid,
	"visit_id" uuid
);
--> statement-breakpoint
CREATE TABLE "visit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"convocation_id" uuid NOT NULL,
	"counselor_user_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"autonomy" "autonomy_level" NOT NULL,
	"suggest_next_in_days" integer,
	"suggestion" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_convocation_id_unique" UNIQUE("convocation_id")
);
--> statement-breakpoint
ALTER TABLE "demarche_type" ADD COLUMN "documents" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "demarche" ADD CONSTRAINT "demarche_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demarche" ADD CONSTRAINT "demarche_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demarche" ADD CONSTRAINT "demarche_demarche_type_id_demarche_type_id_fk" FOREIGN KEY ("demarche_type_id") REFERENCES "public"."demarche_type"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demarche" ADD CONSTRAINT "demarche_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demarche_event" ADD CONSTRAINT "demarche_event_demarche_id_demarche_id_fk" FOREIGN KEY ("demarche_id") REFERENCES "public"."demarche"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demarche_event" ADD CONSTRAINT "demarche_event_by_user_id_user_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demarche_event" ADD CONSTRAINT "demarche_event_visit_id_visit_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_assessment" ADD CONSTRAINT "need_assessment_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_assessment" ADD CONSTRAINT "need_assessment_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_assessment" ADD CONSTRAINT "need_assessment_assessed_by_user_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_assessment" ADD CONSTRAINT "need_assessment_visit_id_visit_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_convocation_id_convocation_id_fk" FOREIGN KEY ("convocation_id") REFERENCES "public"."convocation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_counselor_user_id_user_id_fk" FOREIGN KEY ("counselor_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demarche_person_idx" ON "demarche" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "demarche_structure_status_idx" ON "demarche" USING btree ("structure_id","status");--> statement-breakpoint
CREATE INDEX "demarche_event_demarche_idx" ON "demarche_event" USING btree ("demarche_id","at");--> statement-breakpoint
CREATE INDEX "need_assessment_person_idx" ON "need_assessment" USING btree ("person_id","domain","assessed_at");--> statement-breakpoint
CREATE INDEX "visit_person_idx" ON "visit" USING btree ("person_id","started_at");