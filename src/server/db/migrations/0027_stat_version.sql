CREATE TABLE "stat_version" (
	"structure_id" uuid PRIMARY KEY NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "notification_person_idx" ON "notification" USING btree ("person_id","created_at");--> statement-breakpoint
-- hand-written: the steering version counters (ADR 0022). At commit (deferred constraint triggers:
-- the counter's row lock is taken last and held only until the commit, so no deadlock with the
-- rollup rows), a transaction that changed a row of a table the figures are computed from
-- increments the counter of that row's structure once, or the nil uuid's for a table without
-- structure (catalogue, partners). TRUNCATE (stat_rebuild) increments the nil uuid's.
CREATE OR REPLACE FUNCTION stat_version_bump(sid uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  seen text := coalesce(current_setting('passerelle.stat_versions_bumped', true), '');
BEGIN
  IF position(sid::text IN seen) > 0 THEN RETURN; END IF;
  INSERT INTO stat_version (structure_id, n) VALUES (sid, 1)
    ON CONFLICT (structure_id) DO UPDATE SET n = stat_version.n + 1;
  PERFORM set_config('passerelle.stat_versions_bumped', seen || sid::text || ',', true);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_version_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  nil uuid := '00000000-0000-0000-0000-000000000000';
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM stat_version_bump(coalesce((to_jsonb(OLD) ->> 'structure_id')::uuid, nil));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM stat_version_bump(coalesce((to_jsonb(NEW) ->> 'structure_id')::uuid, nil));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_version_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM stat_version_bump('00000000-0000-0000-0000-000000000000');
  RETURN NULL;
END $$;
--> statement-breakpoint
-- What the dashboard reads: every rollup (stat_*), the milestones, the source rows the site and
-- counselor filters read, and the catalogue the figures are labelled with (other tables, such as
-- the measures or the démarche history, reach the figures only through a rollup or milestone). A new rollup needs the same triggers
-- (stat_version_touch on each table; `statVersion.test.ts` checks every stat_* table has them).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['stat_convocation', 'stat_visit', 'stat_demarche_type', 'stat_demarche_help',
    'stat_demarche_status', 'stat_demarche_outcome', 'stat_orientation', 'stat_need', 'person_milestone', 'visit', 'demarche',
    'orientation', 'need_assessment', 'demarche_type', 'partner']
  LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER stat_version_touch AFTER INSERT OR UPDATE OR DELETE ON %I
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION stat_version_touch()', t);
    EXECUTE format('CREATE TRIGGER stat_version_truncated AFTER TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION stat_version_truncated()', t);
  END LOOP;
END $$;
