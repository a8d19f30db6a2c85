CREATE TABLE "detention_settings" (
	"structure_id" uuid PRIMARY KEY NOT NULL,
	"release_plan_days" integer DEFAULT 90 NOT NULL,
	"access_alert_days" integer DEFAULT 30 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "release_alert" (
	"person_id" uuid NOT NULL,
	"release_date" date NOT NULL,
	"threshold_days" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "release_alert_person_id_release_date_threshold_days_pk" PRIMARY KEY("person_id","release_date","threshold_days")
);
--> statement-breakpoint
CREATE TABLE "site_access_authorisation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"valid_until" date NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"alerted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "released_on" date;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "capacity" integer;--> statement-breakpoint
ALTER TABLE "detention_settings" ADD CONSTRAINT "detention_settings_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_alert" ADD CONSTRAINT "release_alert_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_access_authorisation" ADD CONSTRAINT "site_access_authorisation_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_access_authorisation" ADD CONSTRAINT "site_access_authorisation_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_access_authorisation" ADD CONSTRAINT "site_access_authorisation_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_access_authorisation" ADD CONSTRAINT "site_access_authorisation_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "site_access_authorisation_site_user_uq" ON "site_access_authorisation" USING btree ("site_id","user_id");--> statement-breakpoint
CREATE INDEX "site_access_authorisation_expiry_idx" ON "site_access_authorisation" USING btree ("valid_until");--> statement-breakpoint
-- hand-written: the démarche types of the release plan missing from the catalogue (ADR 0028), the same as
-- the seed (src/server/db/seed/catalogue.ts). Idempotent: a type whose code exists is left as it is; a
-- partner missing from the database gets none (a new database gets them from the seed).
INSERT INTO "demarche_type" ("partner_id", "code", "label", "category", "documents")
SELECT p."id", v."code", v."label", v."category"::"demarche_category", v."documents"
FROM (VALUES
  ('france-travail', 'ft-iae-orientation', 'Orientation vers l''insertion par l''activité économique (IAE, Plateforme de l''inclusion)', 'travail-formation', ARRAY['Pièce d''identité', 'Curriculum vitae si disponible']),
  ('domiciliation', 'domiciliation-siao', 'Demande d''hébergement ou de logement (SIAO)', 'logement', ARRAY['Pièce d''identité', 'Justificatif de ressources', 'Évaluation sociale du SPIP'])
) AS v("partner_code", "code", "label", "category", "documents")
JOIN "partner" p ON p."code" = v."partner_code"
ON CONFLICT ("code") DO NOTHING;
