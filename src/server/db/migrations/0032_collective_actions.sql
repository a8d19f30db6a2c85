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
DROP INDEX "convocation_seat_uq";--> statement-breakpoint
ALTER TABLE "collective_action" ADD COLUMN "sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "collective_action" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "collective_action_invitation" ADD COLUMN "present" boolean;--> statement-breakpoint
ALTER TABLE "convocation" ADD COLUMN "collective_action_id" uuid;--> statement-breakpoint
ALTER TABLE "collective_action_document" ADD CONSTRAINT "collective_action_document_action_id_collective_action_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."collective_action"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_document" ADD CONSTRAINT "collective_action_document_file_id_stored_file_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_document" ADD CONSTRAINT "collective_action_document_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_organiser" ADD CONSTRAINT "collective_action_organiser_action_id_collective_action_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."collective_action"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_action_organiser" ADD CONSTRAINT "collective_action_organiser_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collective_action_document_action_idx" ON "collective_action_document" USING btree ("action_id");--> statement-breakpoint
ALTER TABLE "convocation" ADD CONSTRAINT "convocation_collective_action_id_collective_action_id_fk" FOREIGN KEY ("collective_action_id") REFERENCES "public"."collective_action"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "convocation_action_seat_uq" ON "convocation" USING btree ("collective_action_id","seat") WHERE "convocation"."status" in ('planned', 'honoured', 'missed') and "convocation"."collective_action_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "convocation_seat_uq" ON "convocation" USING btree ("site_id","starts_at","seat") WHERE "convocation"."status" in ('planned', 'honoured', 'missed') and "convocation"."collective_action_id" is null;