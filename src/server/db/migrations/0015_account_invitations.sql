ALTER TABLE "auth_attempt" ADD COLUMN "kind" text DEFAULT 'login' NOT NULL;--> statement-breakpoint
ALTER TABLE "auth_attempt" ADD COLUMN "trusted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "ended_reason" text;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "invited_name" text;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
-- Earlier memberships are working agents: accepted since their account exists. New rows carry no
-- default: they are inserted explicitly as pending (null) or accepted. Earlier attempts stay
-- untrusted (the column default): an old success may have been the password step only.
UPDATE "membership" m SET "accepted_at" = u."created_at" FROM "user" u WHERE u."id" = m."user_id";--> statement-breakpoint
UPDATE "membership" m SET "ended_reason" = CASE
  WHEN NOT EXISTS (
    SELECT 1 FROM "membership" c
    WHERE c."user_id" = m."user_id" AND c."structure_id" = m."structure_id" AND c."ended_at" IS NULL
  ) AND m."ended_at" = (
    SELECT max(l."ended_at") FROM "membership" l
    WHERE l."user_id" = m."user_id" AND l."structure_id" = m."structure_id"
  ) THEN 'deactivated'
  ELSE 'role_removed'
END
WHERE m."ended_at" IS NOT NULL;
