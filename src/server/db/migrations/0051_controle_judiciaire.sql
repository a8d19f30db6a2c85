-- The contrôle judiciaire (pre-trial judicial supervision, art. 138 CPP): the SPIP and the France
-- services permanences also accompany people under it. Appended to the enum; nothing below uses the
-- new value (a value added in a transaction cannot be used before it commits).
ALTER TYPE "public"."measure_type" ADD VALUE IF NOT EXISTS 'controle_judiciaire';--> statement-breakpoint
-- hand-written: the table « Personnes accompagnées par mesure » reads the measures, so a change of a
-- measure bumps the steering version (ADR 0022) of its person's structure (a measure has none).
CREATE OR REPLACE FUNCTION stat_version_touch_measure() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  nil uuid := '00000000-0000-0000-0000-000000000000';
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM stat_version_bump(coalesce((SELECT structure_id FROM person WHERE id = OLD.person_id), nil));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM stat_version_bump(coalesce((SELECT structure_id FROM person WHERE id = NEW.person_id), nil));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER stat_version_touch AFTER INSERT OR UPDATE OR DELETE ON "measure"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION stat_version_touch_measure();--> statement-breakpoint
CREATE TRIGGER stat_version_truncated AFTER TRUNCATE ON "measure"
  FOR EACH STATEMENT EXECUTE FUNCTION stat_version_truncated();
