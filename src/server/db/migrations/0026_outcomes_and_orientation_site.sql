CREATE TABLE "stat_demarche_outcome" (
	"month" date NOT NULL,
	"structure_id" uuid NOT NULL,
	"demarche_type_id" uuid,
	"status" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	"key_sum" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_demarche_outcome_key" UNIQUE NULLS NOT DISTINCT("month","structure_id","demarche_type_id","status")
);
--> statement-breakpoint
ALTER TABLE "demarche" ADD COLUMN "outcome_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orientation" ADD COLUMN "site_id" uuid;--> statement-breakpoint
CREATE INDEX "stat_demarche_outcome_structure_idx" ON "stat_demarche_outcome" USING btree ("structure_id","month");--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demarche_site_outcome_idx" ON "demarche" USING btree ("site_id","outcome_at");--> statement-breakpoint
CREATE INDEX "demarche_author_outcome_idx" ON "demarche" USING btree ("created_by","outcome_at");--> statement-breakpoint
CREATE INDEX "orientation_site_time_idx" ON "orientation" USING btree ("site_id","created_at");--> statement-breakpoint
ALTER TABLE "stat_demarche_type" DROP COLUMN "granted";--> statement-breakpoint
ALTER TABLE "stat_demarche_type" DROP COLUMN "granted_key_sum";--> statement-breakpoint
-- hand-written: outcomes counted in the month of their outcome (ADR 0018). stat_demarche_add keeps,
-- besides the rollups by start month, stat_demarche_outcome by outcome month; the granted count by
-- start month is gone (it moved with every late grant).
CREATE OR REPLACE FUNCTION stat_demarche_add(rows demarche[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_demarche_type (month, structure_id, demarche_type_id, n, key_sum, escalated, escalated_key_sum)
  SELECT stat_month(r.created_at), r.structure_id, r.demarche_type_id, sign * count(*), sign * sum(record_key(r.id)),
         sign * count(*) FILTER (WHERE r.help_level = 'escalated' OR r.status = 'reoriented'),
         sign * coalesce(sum(record_key(r.id)) FILTER (WHERE r.help_level = 'escalated' OR r.status = 'reoriented'), 0)
  FROM unnest(rows) r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ON CONSTRAINT stat_demarche_type_key DO UPDATE
    SET n = stat_demarche_type.n + excluded.n, key_sum = stat_demarche_type.key_sum + excluded.key_sum,
        escalated = stat_demarche_type.escalated + excluded.escalated,
        escalated_key_sum = stat_demarche_type.escalated_key_sum + excluded.escalated_key_sum;
  INSERT INTO stat_demarche_outcome (month, structure_id, demarche_type_id, status, n, key_sum)
  SELECT stat_month(r.outcome_at), r.structure_id, r.demarche_type_id, r.status::text, sign * count(*),
         sign * sum(record_key(r.id))
  FROM unnest(rows) r WHERE r.outcome_at IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_demarche_outcome_key DO UPDATE
    SET n = stat_demarche_outcome.n + excluded.n, key_sum = stat_demarche_outcome.key_sum + excluded.key_sum;
  INSERT INTO stat_demarche_help (month, structure_id, partner_id, help_level, n, key_sum)
  SELECT stat_month(r.created_at), r.structure_id, t.partner_id, r.help_level::text, sign * count(*),
         sign * sum(record_key(r.id))
  FROM unnest(rows) r LEFT JOIN demarche_type t ON t.id = r.demarche_type_id
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_demarche_help_key DO UPDATE
    SET n = stat_demarche_help.n + excluded.n, key_sum = stat_demarche_help.key_sum + excluded.key_sum;
  INSERT INTO stat_demarche_status (month, structure_id, partner_id, status, n, key_sum)
  SELECT stat_month(r.created_at), r.structure_id, t.partner_id, r.status::text, sign * count(*),
         sign * sum(record_key(r.id))
  FROM unnest(rows) r LEFT JOIN demarche_type t ON t.id = r.demarche_type_id
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_demarche_status_key DO UPDATE
    SET n = stat_demarche_status.n + excluded.n, key_sum = stat_demarche_status.key_sum + excluded.key_sum
$$;
--> statement-breakpoint
-- Backfill: the date of the history row that gave the démarche its outcome status; the last change
-- of the row when there is none (a reorientation writes no history row).
UPDATE demarche d SET outcome_at = coalesce(
    (SELECT max(e.at) FROM demarche_event e WHERE e.demarche_id = d.id AND e.status = d.status), d.updated_at)
  WHERE d.status IN ('granted', 'rejected', 'abandoned', 'reoriented');
--> statement-breakpoint
-- The outcome date follows the status, whoever writes it: set when the status becomes an outcome (the
-- write's updated_at, which the use cases take from their clock; now() when a fix leaves it unchanged),
-- moved when it changes to another outcome, cleared when it is corrected away from one. A write that
-- sets outcome_at itself keeps its value.
CREATE FUNCTION demarche_outcome_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status NOT IN ('granted', 'rejected', 'abandoned', 'reoriented') THEN
    NEW.outcome_at := NULL;
  ELSIF TG_OP = 'INSERT' THEN
    NEW.outcome_at := coalesce(NEW.outcome_at, NEW.created_at);
  ELSIF NEW.outcome_at IS DISTINCT FROM OLD.outcome_at AND NEW.outcome_at IS NOT NULL THEN
    NULL;
  ELSIF NEW.status IS DISTINCT FROM OLD.status OR NEW.outcome_at IS NULL THEN
    NEW.outcome_at := CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN NEW.updated_at ELSE now() END;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER demarche_outcome_at BEFORE INSERT OR UPDATE ON demarche FOR EACH ROW EXECUTE FUNCTION demarche_outcome_at();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s uuid;
BEGIN
  UPDATE need_assessment n SET change = CASE
      WHEN n.has_need AND NOT coalesce(x.previous, false) THEN 'identified'
      WHEN NOT n.has_need AND coalesce(x.previous, false) THEN 'resolved'
      ELSE 'unchanged' END
  FROM (SELECT id, lag(has_need) OVER (PARTITION BY person_id, domain ORDER BY assessed_at, id) AS previous
        FROM need_assessment) x
  WHERE x.id = n.id;
  -- Deferred triggers (the figures' version counters) queued by the update above run now: a table
  -- with pending trigger events cannot be truncated.
  SET CONSTRAINTS ALL IMMEDIATE;
  TRUNCATE stat_convocation, stat_visit, stat_demarche_type, stat_demarche_outcome, stat_demarche_help,
    stat_demarche_status, stat_orientation, stat_need, person_milestone;
  FOR s IN SELECT id FROM structure LOOP
    PERFORM stat_convocation_add(array(SELECT c FROM convocation c WHERE c.structure_id = s), 1);
    PERFORM stat_visit_add(array(SELECT v FROM visit v WHERE v.structure_id = s), 1);
    PERFORM stat_demarche_add(array(SELECT d FROM demarche d WHERE d.structure_id = s), 1);
    PERFORM stat_orientation_add(array(SELECT o FROM orientation o WHERE o.structure_id = s), 1);
    PERFORM stat_need_assessment_add(array(SELECT n FROM need_assessment n WHERE n.structure_id = s), 1);
    PERFORM stat_refresh_people(array(SELECT p.id FROM person p WHERE p.structure_id = s));
  END LOOP;
END $$;
--> statement-breakpoint
SELECT stat_rebuild();
--> statement-breakpoint
-- hand-written: the site where each orientation was decided (ADR 0018): its démarche's site, else the
-- site of the person's latest visit before it; what createOrientation does from now on.
UPDATE orientation o SET site_id = coalesce(
    (SELECT d.site_id FROM demarche d WHERE d.id = o.demarche_id),
    (SELECT v.site_id FROM visit v WHERE v.person_id = o.person_id AND v.started_at <= o.created_at
      ORDER BY v.started_at DESC LIMIT 1));
