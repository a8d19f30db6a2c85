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
ALTER TABLE "convention" ADD COLUMN "ended_on" date;--> statement-breakpoint
ALTER TABLE "orientation" ADD COLUMN "directory_contact_id" uuid;--> statement-breakpoint
ALTER TABLE "convention_alert" ADD CONSTRAINT "convention_alert_convention_id_convention_id_fk" FOREIGN KEY ("convention_id") REFERENCES "public"."convention"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_settings" ADD CONSTRAINT "convention_settings_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_settings" ADD CONSTRAINT "convention_settings_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "convention_alert_uq" ON "convention_alert" USING btree ("convention_id","ends_on","threshold_days");--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_directory_contact_id_directory_contact_id_fk" FOREIGN KEY ("directory_contact_id") REFERENCES "public"."directory_contact"("id") ON DELETE no action ON UPDATE no action;