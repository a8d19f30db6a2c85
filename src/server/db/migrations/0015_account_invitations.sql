ALTER TABLE "auth_attempt" ADD COLUMN "kind" text DEFAULT 'login' NOT NULL;--> statement-breakpoint
ALTER TABLE "auth_attempt" ADD COLUMN "trusted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "ended_reason" text;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "invited_name" text;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "accepted_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
UPDATE "auth_attempt" SET "trusted" = "success";--> statement-breakpoint
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
