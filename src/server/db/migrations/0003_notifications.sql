CREATE TYPE "public"."notification_channel" AS ENUM('sms', 'email');--> statement-breakpoint
CREATE TYPE "public"."notification_kind" AS ENUM('summon', 'reminder', 'reschedule', 'cancellation', 'missed', 'failure_alert');--> statement-breakpoint
CREATE TYPE "public"."notification_status" AS ENUM('pending', 'sending', 'sent', 'delivered', 'failed', 'skipped');--> statement-breakpoint
CREATE TABLE "notification" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"convocation_id" uuid,
	"person_id" uuid,
	"recipient_user_id" uuid,
	"kind" "notification_kind" NOT NULL,
	"channel" "notification_channel" NOT NULL,
	"recipient" text NOT NULL,
	"status" "notification_status" DEFAULT 'pending' NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"last_error" text DEFAULT '' NOT NULL,
	"provider_message_id" text,
	"subject" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"structure_id" uuid PRIMARY KEY NOT NULL,
	"reminder_hours" integer DEFAULT 48 NOT NULL,
	"notify_missed" boolean DEFAULT false NOT NULL,
	"quiet_from" text DEFAULT '20:00' NOT NULL,
	"quiet_to" text DEFAULT '08:00' NOT NULL,
	"preparation_url" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_template" (
	"structure_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"channel" "notification_channel" NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "notification_template_structure_id_kind_channel_pk" PRIMARY KEY("structure_id","kind","channel")
);
--> statement-breakpoint
CREATE TABLE "sms_opt_out" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"opted_out_at" timestamp with time zone,
	CONSTRAINT "sms_opt_out_token_unique" UNIQUE("token")
);
--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_convocation_id_convocation_id_fk" FOREIGN KEY ("convocation_id") REFERENCES "public"."convocation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_recipient_user_id_user_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_template" ADD CONSTRAINT "notification_template_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_template" ADD CONSTRAINT "notification_template_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_opt_out" ADD CONSTRAINT "sms_opt_out_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_convocation_kind_channel_uq" ON "notification" USING btree ("convocation_id","kind","channel") WHERE "notification"."convocation_id" is not null;--> statement-breakpoint
CREATE INDEX "notification_due_idx" ON "notification" USING btree ("not_before") WHERE "notification"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "notification_structure_created_idx" ON "notification" USING btree ("structure_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_provider_idx" ON "notification" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "notification_failed_idx" ON "notification" USING btree ("structure_id","failed_at") WHERE "notification"."status" = 'failed';