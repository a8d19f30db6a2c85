ALTER TABLE "collective_action_invitation" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "collective_action_invitation" ADD CONSTRAINT "collective_action_invitation_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- hand-written: an invitation already sent to an agent member of the series is theirs. Only the
-- address tells it, as the member holds it today: an agent whose address changed since stays unmatched.
UPDATE "collective_action_invitation" AS "i" SET "user_id" = "m"."user_id"
FROM "collective_action" AS "a", "working_group_member" AS "m", "user" AS "u"
WHERE "a"."id" = "i"."action_id"
  AND "m"."series_id" = coalesce("a"."series_id", "a"."id")
  AND "u"."id" = "m"."user_id"
  AND lower(trim("u"."email")) = "i"."email"
  AND "i"."user_id" IS NULL
  AND "i"."directory_contact_id" IS NULL;
