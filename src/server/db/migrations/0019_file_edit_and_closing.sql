CREATE TABLE "person_change" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"structure_id" uuid NOT NULL,
	"field" text NOT NULL,
	"before" text DEFAULT '' NOT NULL,
	"after" text DEFAULT '' NOT NULL,
	"judicial" boolean DEFAULT false NOT NULL,
	"actor_user_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"reason" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
DROP INDEX "notification_convocation_kind_channel_uq";--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "sex" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "closed_on" date;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "closed_reason" text;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "closed_note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "person_change" ADD CONSTRAINT "person_change_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_change" ADD CONSTRAINT "person_change_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_change" ADD CONSTRAINT "person_change_actor_user_id_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_change_person_idx" ON "person_change" USING btree ("person_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_convocation_kind_channel_uq" ON "notification" USING btree ("convocation_id","kind","channel") WHERE "notification"."convocation_id" is not null and "notification"."status" <> 'skipped';