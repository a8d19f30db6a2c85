CREATE TABLE "retention_settings" (
	"structure_id" uuid PRIMARY KEY NOT NULL,
	"archive_after_months" integer DEFAULT 12 NOT NULL,
	"erase_after_months" integer DEFAULT 6 NOT NULL,
	"journal_months" integer DEFAULT 12 NOT NULL,
	"message_months" integer DEFAULT 3 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "retention_settings" ADD CONSTRAINT "retention_settings_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_settings" ADD CONSTRAINT "retention_settings_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_archived_idx" ON "person" USING btree ("structure_id","archived_at") WHERE "person"."archived_at" is not null;--> statement-breakpoint
-- hand-written: the journal stays append-only for everyone, except through two functions owned by
-- the tables' owner (SECURITY DEFINER): the retention purge of rows older than a cutoff, and the
-- blanking of the free text (reason) of the rows about a person whose data is erased (ADR 0024).
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('passerelle.audit_retention', true) = 'purge' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND current_setting('passerelle.audit_retention', true) = 'erase'
     AND NEW.reason = '' AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
     AND NEW.target_type = OLD.target_type AND NEW.target_id = OLD.target_id
     AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
     AND NEW.structure_id IS NOT DISTINCT FROM OLD.structure_id
     AND NEW.outcome = OLD.outcome AND NEW.request_id = OLD.request_id AND NEW.ip = OLD.ip THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_event_purge(cutoff timestamptz, structure uuid, batch integer)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  n integer;
BEGIN
  PERFORM set_config('passerelle.audit_retention', 'purge', true);
  DELETE FROM audit_event WHERE id IN (
    SELECT id FROM audit_event
    WHERE at < cutoff AND structure_id IS NOT DISTINCT FROM structure
    ORDER BY at LIMIT batch
  );
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('passerelle.audit_retention', '', true);
  RETURN n;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_event_erase_person(person text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  n integer;
BEGIN
  PERFORM set_config('passerelle.audit_retention', 'erase', true);
  UPDATE audit_event SET reason = '' WHERE target_type = 'person' AND target_id = person AND reason <> '';
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('passerelle.audit_retention', '', true);
  RETURN n;
END;
$$;
