CREATE TYPE "public"."convocation_status" AS ENUM('planned', 'honoured', 'missed', 'excused', 'cancelled');--> statement-breakpoint
CREATE TABLE "convocation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"seat" integer NOT NULL,
	"status" "convocation_status" DEFAULT 'planned' NOT NULL,
	"need_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"demarche_type_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"notify_sms" boolean NOT NULL,
	"notify_email" boolean NOT NULL,
	"booked_by" uuid NOT NULL,
	"rescheduled_from_id" uuid,
	"status_changed_at" timestamp with time zone,
	"status_changed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "counselor_absence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opening_rule" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"weekday" smallint,
	"on_date" date,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	"slot_minutes" integer NOT NULL,
	"buffer_minutes" integer DEFAULT 0 NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opening_rule_counselor" (
	"rule_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "opening_rule_counselor_rule_id_user_id_pk" PRIMARY KEY("rule_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "site_closure" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "structure" ADD COLUMN "min_lead_hours" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "convocation" ADD CONSTRAINT "convocation_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convocation" ADD CONSTRAINT "convocation_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convocation" ADD CONSTRAINT "convocation_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convocation" ADD CONSTRAINT "convocation_booked_by_user_id_fk" FOREIGN KEY ("booked_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convocation" ADD CONSTRAINT "convocation_status_changed_by_user_id_fk" FOREIGN KEY ("status_changed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselor_absence" ADD CONSTRAINT "counselor_absence_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_rule" ADD CONSTRAINT "opening_rule_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_rule" ADD CONSTRAINT "opening_rule_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_rule_counselor" ADD CONSTRAINT "opening_rule_counselor_rule_id_opening_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."opening_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_rule_counselor" ADD CONSTRAINT "opening_rule_counselor_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_closure" ADD CONSTRAINT "site_closure_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "convocation_seat_uq" ON "convocation" USING btree ("site_id","starts_at","seat") WHERE "convocation"."status" in ('planned', 'honoured', 'missed');--> statement-breakpoint
CREATE INDEX "convocation_person_idx" ON "convocation" USING btree ("person_id","starts_at");--> statement-breakpoint
CREATE INDEX "convocation_site_time_idx" ON "convocation" USING btree ("site_id","starts_at");--> statement-breakpoint
CREATE INDEX "convocation_structure_time_idx" ON "convocation" USING btree ("structure_id","starts_at");--> statement-breakpoint
CREATE INDEX "counselor_absence_user_idx" ON "counselor_absence" USING btree ("user_id","starts_at");--> statement-breakpoint
CREATE INDEX "opening_rule_structure_idx" ON "opening_rule" USING btree ("structure_id");--> statement-breakpoint
CREATE INDEX "opening_rule_site_idx" ON "opening_rule" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "site_closure_site_idx" ON "site_closure" USING btree ("site_id","starts_at");