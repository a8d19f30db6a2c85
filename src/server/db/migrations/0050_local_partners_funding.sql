-- Local partners and funding (ADR 0039): the directory's new kinds (collectivité territoriale,
-- préfecture / services de l'État, Cap emploi, Point justice) need no change (kind is text).
-- A funding: a funder of the directory, an amount in whole euros, a purpose, a budget year and an
-- optional period, attached to a convention, a collective action or neither.
CREATE TABLE "funding" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "structure_id" uuid NOT NULL REFERENCES "structure"("id"),
  "funder_entry_id" uuid NOT NULL REFERENCES "directory_entry"("id"),
  "amount_euros" integer NOT NULL CHECK ("amount_euros" > 0),
  "purpose" text NOT NULL,
  "year" integer NOT NULL CHECK ("year" BETWEEN 2000 AND 2100),
  "starts_on" date,
  "ends_on" date,
  "convention_id" uuid REFERENCES "convention"("id"),
  "collective_action_id" uuid REFERENCES "collective_action"("id"),
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "funding_period_check" CHECK ("ends_on" IS NULL OR "starts_on" IS NULL OR "ends_on" >= "starts_on"),
  CONSTRAINT "funding_one_target_check" CHECK ("convention_id" IS NULL OR "collective_action_id" IS NULL)
);
--> statement-breakpoint
CREATE INDEX "funding_structure_year_idx" ON "funding" ("structure_id", "year");
--> statement-breakpoint
CREATE INDEX "funding_convention_idx" ON "funding" ("convention_id");
--> statement-breakpoint
CREATE INDEX "funding_action_idx" ON "funding" ("collective_action_id");
--> statement-breakpoint
-- A collective action held in premises lent by a partner (« Locaux prêtés par »), and its cofunders.
ALTER TABLE "collective_action" ADD COLUMN "host_entry_id" uuid REFERENCES "directory_entry"("id");
--> statement-breakpoint
CREATE TABLE "collective_action_cofunder" (
  "action_id" uuid NOT NULL REFERENCES "collective_action"("id") ON DELETE CASCADE,
  "entry_id" uuid NOT NULL REFERENCES "directory_entry"("id"),
  PRIMARY KEY ("action_id", "entry_id")
);
