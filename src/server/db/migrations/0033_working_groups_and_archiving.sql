CREATE TABLE "working_group_member" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"user_id" uuid,
	"directory_contact_id" uuid,
	"added_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "directory_contact" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "working_group_member" ADD CONSTRAINT "working_group_member_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "working_group_member" ADD CONSTRAINT "working_group_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "working_group_member" ADD CONSTRAINT "working_group_member_directory_contact_id_directory_contact_id_fk" FOREIGN KEY ("directory_contact_id") REFERENCES "public"."directory_contact"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "working_group_member" ADD CONSTRAINT "working_group_member_added_by_user_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "working_group_member_user_uq" ON "working_group_member" USING btree ("series_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "working_group_member_contact_uq" ON "working_group_member" USING btree ("series_id","directory_contact_id");--> statement-breakpoint
CREATE INDEX "collective_action_series_idx" ON "collective_action" USING btree ("series_id");--> statement-breakpoint
-- hand-written: a member is an agent or a directory contact, never both nor neither.
ALTER TABLE "working_group_member" ADD CONSTRAINT "working_group_member_one_kind" CHECK (("user_id" is null) <> ("directory_contact_id" is null));--> statement-breakpoint
-- hand-written: every working group meeting belongs to a series; a meeting recorded alone starts its own.
UPDATE "collective_action" SET "series_id" = "id" WHERE "kind" = 'working_group' AND "series_id" IS NULL;
