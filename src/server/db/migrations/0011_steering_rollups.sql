CREATE TABLE "person_milestone" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"structure_id" uuid NOT NULL,
	"first_convocation_at" timestamp with time zone,
	"first_visit_at" timestamp with time zone,
	"first_visit_site_id" uuid,
	"first_visit_counselor_id" uuid,
	"first_granted_at" timestamp with time zone,
	"open_needs" integer DEFAULT 0 NOT NULL,
	"visit_months" bit(240) DEFAULT repeat('0', 240)::bit(240) NOT NULL,
	"measure_end" date
);
--> statement-breakpoint
CREATE TABLE "stat_convocation" (
	"month" date NOT NULL,
	"structure_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"status" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_convocation_key" UNIQUE("month","structure_id","site_id","status")
);
--> statement-breakpoint
CREATE TABLE "stat_demarche_help" (
	"month" date NOT NULL,
	"structure_id" uuid NOT NULL,
	"partner_id" uuid,
	"help_level" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_demarche_help_key" UNIQUE NULLS NOT DISTINCT("month","structure_id","partner_id","help_level")
);
--> statement-breakpoint
CREATE TABLE "stat_demarche_status" (
	"month" date NOT NULL,
	"structure_id" uuid NOT NULL,
	"partner_id" uuid,
	"status" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_demarche_status_key" UNIQUE NULLS NOT DISTINCT("month","structure_id","partner_id","status")
);
--> statement-breakpoint
CREATE TABLE "stat_demarche_type" (
	"month" date NOT NULL,
	"structure_id" uuid NOT NULL,
	"demarche_type_id" uuid,
	"n" bigint DEFAULT 0 NOT NULL,
	"granted" bigint DEFAULT 0 NOT NULL,
	"escalated" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_demarche_type_key" UNIQUE NULLS NOT DISTINCT("month","structure_id","demarche_type_id")
);
--> statement-breakpoint
CREATE TABLE "stat_need" (
	"month" date NOT NULL,
	"structure_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"change" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_need_key" UNIQUE("month","structure_id","domain","change")
);
--> statement-breakpoint
CREATE TABLE "stat_orientation" (
	"month" date NOT NULL,
	"structure_id" uuid NOT NULL,
	"partner_id" uuid,
	"target" text NOT NULL,
	"status" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	"answered" bigint DEFAULT 0 NOT NULL,
	"answer_hours" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_orientation_key" UNIQUE NULLS NOT DISTINCT("month","structure_id","partner_id","target","status")
);
--> statement-breakpoint
CREATE TABLE "stat_visit" (
	"month" date NOT NULL,
	"structure_id" uuid NOT NULL,
	"site_id" uuid,
	"autonomy" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	"minutes" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_visit_key" UNIQUE NULLS NOT DISTINCT("month","structure_id","site_id","autonomy")
);
--> statement-breakpoint
ALTER TABLE "demarche" ADD COLUMN "site_id" uuid;--> statement-breakpoint
ALTER TABLE "need_assessment" ADD COLUMN "change" text DEFAULT 'unchanged' NOT NULL;--> statement-breakpoint
ALTER TABLE "visit" ADD COLUMN "site_id" uuid;--> statement-breakpoint
CREATE INDEX "person_milestone_visit_idx" ON "person_milestone" USING btree ("structure_id","first_visit_at");--> statement-breakpoint
CREATE INDEX "person_milestone_measure_end_idx" ON "person_milestone" USING btree ("structure_id","measure_end");--> statement-breakpoint
CREATE INDEX "person_milestone_granted_idx" ON "person_milestone" USING btree ("structure_id","first_granted_at");--> statement-breakpoint
CREATE INDEX "stat_convocation_structure_idx" ON "stat_convocation" USING btree ("structure_id","month");--> statement-breakpoint
CREATE INDEX "stat_demarche_help_structure_idx" ON "stat_demarche_help" USING btree ("structure_id","month");--> statement-breakpoint
CREATE INDEX "stat_demarche_status_structure_idx" ON "stat_demarche_status" USING btree ("structure_id","month");--> statement-breakpoint
CREATE INDEX "stat_demarche_type_structure_idx" ON "stat_demarche_type" USING btree ("structure_id","month");--> statement-breakpoint
CREATE INDEX "stat_need_structure_idx" ON "stat_need" USING btree ("structure_id","month");--> statement-breakpoint
CREATE INDEX "stat_orientation_structure_idx" ON "stat_orientation" USING btree ("structure_id","month");--> statement-breakpoint
CREATE INDEX "stat_visit_structure_idx" ON "stat_visit" USING btree ("structure_id","month");--> statement-breakpoint
ALTER TABLE "demarche" ADD CONSTRAINT "demarche_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demarche_author_time_idx" ON "demarche" USING btree ("created_by","created_at");--> statement-breakpoint
CREATE INDEX "demarche_site_time_idx" ON "demarche" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "demarche_event_visit_idx" ON "demarche_event" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "need_assessment_author_idx" ON "need_assessment" USING btree ("assessed_by","assessed_at");--> statement-breakpoint
CREATE INDEX "need_assessment_visit_idx" ON "need_assessment" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "orientation_author_idx" ON "orientation" USING btree ("created_by","created_at");--> statement-breakpoint
CREATE INDEX "orientation_demarche_idx" ON "orientation" USING btree ("demarche_id");--> statement-breakpoint
CREATE INDEX "referent_person_idx" ON "referent" USING btree ("person_id","ended_at");--> statement-breakpoint
CREATE INDEX "visit_structure_time_idx" ON "visit" USING btree ("structure_id","started_at","person_id");--> statement-breakpoint
CREATE INDEX "visit_counselor_time_idx" ON "visit" USING btree ("counselor_user_id","started_at");--> statement-breakpoint
CREATE INDEX "visit_site_time_idx" ON "visit" USING btree ("site_id","started_at");--> statement-breakpoint
-- Steering rollups (ADR 0006). Each stat_<x>_add(rows, sign) adds (sign 1) or removes (sign -1) the
-- contribution of a set of source rows; statement-level triggers call it with their transition
-- tables, so a bulk insert costs one grouped upsert. Upserts run in key order (stable lock order).
CREATE FUNCTION stat_month(at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS
$$ SELECT date_trunc('month', at AT TIME ZONE 'Europe/Paris')::date $$;
--> statement-breakpoint
-- The visit months of a person as 240 bits, bit i for month i counted from January 2020 (Europe/Paris).
CREATE FUNCTION stat_visit_months(person uuid) RETURNS bit(240) LANGUAGE sql STABLE AS $$
  SELECT coalesce(bit_or(set_bit(repeat('0', 240)::bit(240), i, 1)), repeat('0', 240)::bit(240))
  FROM (SELECT DISTINCT ((extract(year FROM m) - 2020) * 12 + extract(month FROM m) - 1)::int i
        FROM (SELECT stat_month(v.started_at) m FROM visit v WHERE v.person_id = person) months) idx
  WHERE i BETWEEN 0 AND 239
$$;
--> statement-breakpoint
UPDATE "visit" v SET "site_id" = c."site_id" FROM "convocation" c WHERE c."id" = v."convocation_id";
--> statement-breakpoint
UPDATE "demarche" d SET "site_id" = (
  SELECT v."site_id" FROM "demarche_event" e JOIN "visit" v ON v."id" = e."visit_id"
  WHERE e."demarche_id" = d."id" ORDER BY e."at", e."id" LIMIT 1);
--> statement-breakpoint
CREATE FUNCTION stat_convocation_add(rows convocation[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_convocation (month, structure_id, site_id, status, n)
  SELECT stat_month(r.starts_at), r.structure_id, r.site_id, r.status::text, sign * count(*)
  FROM unnest(rows) r GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_convocation_key DO UPDATE SET n = stat_convocation.n + excluded.n
$$;
--> statement-breakpoint
CREATE FUNCTION stat_visit_add(rows visit[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_visit (month, structure_id, site_id, autonomy, n, minutes)
  SELECT stat_month(r.started_at), r.structure_id, r.site_id, r.autonomy::text,
         sign * count(*), sign * sum(r.duration_minutes)
  FROM unnest(rows) r GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_visit_key DO UPDATE
    SET n = stat_visit.n + excluded.n, minutes = stat_visit.minutes + excluded.minutes
$$;
--> statement-breakpoint
CREATE FUNCTION stat_demarche_add(rows demarche[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_demarche_type (month, structure_id, demarche_type_id, n, granted, escalated)
  SELECT stat_month(r.created_at), r.structure_id, r.demarche_type_id, sign * count(*),
         sign * count(*) FILTER (WHERE r.status = 'granted'),
         sign * count(*) FILTER (WHERE r.help_level = 'escalated' OR r.status = 'reoriented')
  FROM unnest(rows) r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ON CONSTRAINT stat_demarche_type_key DO UPDATE
    SET n = stat_demarche_type.n + excluded.n, granted = stat_demarche_type.granted + excluded.granted,
        escalated = stat_demarche_type.escalated + excluded.escalated;
  INSERT INTO stat_demarche_help (month, structure_id, partner_id, help_level, n)
  SELECT stat_month(r.created_at), r.structure_id, t.partner_id, r.help_level::text, sign * count(*)
  FROM unnest(rows) r LEFT JOIN demarche_type t ON t.id = r.demarche_type_id
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_demarche_help_key DO UPDATE SET n = stat_demarche_help.n + excluded.n;
  INSERT INTO stat_demarche_status (month, structure_id, partner_id, status, n)
  SELECT stat_month(r.created_at), r.structure_id, t.partner_id, r.status::text, sign * count(*)
  FROM unnest(rows) r LEFT JOIN demarche_type t ON t.id = r.demarche_type_id
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_demarche_status_key DO UPDATE SET n = stat_demarche_status.n + excluded.n
$$;
--> statement-breakpoint
CREATE FUNCTION stat_orientation_add(rows orientation[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_orientation (month, structure_id, partner_id, target, status, n, answered, answer_hours)
  SELECT stat_month(r.created_at), r.structure_id, r.partner_id, r.target::text,
         r.status::text, sign * count(*), sign * count(r.answered_at),
         sign * coalesce(sum(extract(epoch FROM r.answered_at - r.sent_at) / 3600.0), 0)
  FROM unnest(rows) r
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ON CONSTRAINT stat_orientation_key DO UPDATE
    SET n = stat_orientation.n + excluded.n, answered = stat_orientation.answered + excluded.answered,
        answer_hours = stat_orientation.answer_hours + excluded.answer_hours
$$;
--> statement-breakpoint
CREATE FUNCTION stat_need_assessment_add(rows need_assessment[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_need (month, structure_id, domain, change, n)
  SELECT stat_month(r.assessed_at), r.structure_id, r.domain, r.change, sign * count(*)
  FROM unnest(rows) r
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_need_key DO UPDATE SET n = stat_need.n + excluded.n
$$;
--> statement-breakpoint
-- Milestones are recomputed from the source rows for the people a statement touched: always exact.
CREATE FUNCTION stat_refresh_people(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM person_milestone m USING person p
  WHERE m.person_id = p.id AND p.id = ANY(ids) AND p.merged_into_id IS NOT NULL;
  INSERT INTO person_milestone AS m (person_id, structure_id, first_convocation_at, first_visit_at,
    first_visit_site_id, first_visit_counselor_id, first_granted_at, open_needs, visit_months, measure_end)
  SELECT p.id, p.structure_id,
    (SELECT min(c.starts_at) FROM convocation c WHERE c.person_id = p.id AND c.status <> 'cancelled'),
    fv.started_at, fv.site_id, fv.counselor_user_id,
    (SELECT min(e.at) FROM demarche d JOIN demarche_event e ON e.demarche_id = d.id
      WHERE d.person_id = p.id AND e.status = 'granted'),
    (SELECT count(*) FROM (SELECT DISTINCT ON (n.domain) n.has_need FROM need_assessment n
      WHERE n.person_id = p.id ORDER BY n.domain, n.assessed_at DESC, n.id DESC) latest WHERE latest.has_need),
    stat_visit_months(p.id),
    (SELECT max(me.end_date) FROM measure me WHERE me.person_id = p.id)
  FROM person p
  LEFT JOIN LATERAL (SELECT v.started_at, v.site_id, v.counselor_user_id FROM visit v
    WHERE v.person_id = p.id ORDER BY v.started_at, v.id LIMIT 1) fv ON true
  WHERE p.id = ANY(ids) AND p.merged_into_id IS NULL
  ORDER BY p.id
  ON CONFLICT (person_id) DO UPDATE SET structure_id = excluded.structure_id,
    first_convocation_at = excluded.first_convocation_at, first_visit_at = excluded.first_visit_at,
    first_visit_site_id = excluded.first_visit_site_id, first_visit_counselor_id = excluded.first_visit_counselor_id,
    first_granted_at = excluded.first_granted_at, open_needs = excluded.open_needs,
    visit_months = excluded.visit_months, measure_end = excluded.measure_end
$$;
--> statement-breakpoint
CREATE FUNCTION stat_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  people uuid[];
BEGIN
  IF TG_OP <> 'INSERT' THEN
    EXECUTE format('SELECT stat_%s_add(array(SELECT o::%1$s FROM old_rows o), -1)', TG_ARGV[0]);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    EXECUTE format('SELECT stat_%s_add(array(SELECT n::%1$s FROM new_rows n), 1)', TG_ARGV[0]);
  END IF;
  IF TG_ARGV[0] <> 'orientation' THEN
    IF TG_OP = 'INSERT' THEN
      SELECT array_agg(DISTINCT person_id) INTO people FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
      SELECT array_agg(DISTINCT person_id) INTO people FROM (SELECT person_id FROM old_rows UNION SELECT person_id FROM new_rows) t;
    ELSE
      SELECT array_agg(DISTINCT person_id) INTO people FROM old_rows;
    END IF;
    PERFORM stat_refresh_people(people);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION stat_sync_demarche_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM stat_refresh_people(array(SELECT DISTINCT d.person_id FROM new_rows n JOIN demarche d ON d.id = n.demarche_id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION stat_sync_measure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM stat_refresh_people(array(SELECT person_id FROM old_rows UNION SELECT person_id FROM new_rows));
  ELSE
    PERFORM stat_refresh_people(array(SELECT DISTINCT person_id FROM new_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A need assessment is classified against the person's previous one in the domain, once, at insert.
CREATE FUNCTION need_assessment_classify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous boolean;
BEGIN
  SELECT n.has_need INTO previous FROM need_assessment n
  WHERE n.person_id = NEW.person_id AND n.domain = NEW.domain AND n.assessed_at <= NEW.assessed_at
  ORDER BY n.assessed_at DESC, n.id DESC LIMIT 1;
  NEW.change := CASE
    WHEN NEW.has_need AND NOT coalesce(previous, false) THEN 'identified'
    WHEN NOT NEW.has_need AND coalesce(previous, false) THEN 'resolved'
    ELSE 'unchanged' END;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER need_assessment_classify BEFORE INSERT ON need_assessment FOR EACH ROW EXECUTE FUNCTION need_assessment_classify();
--> statement-breakpoint
CREATE TRIGGER stat_convocation_ins AFTER INSERT ON convocation REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('convocation');
--> statement-breakpoint
CREATE TRIGGER stat_convocation_upd AFTER UPDATE ON convocation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('convocation');
--> statement-breakpoint
CREATE TRIGGER stat_convocation_del AFTER DELETE ON convocation REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('convocation');
--> statement-breakpoint
CREATE TRIGGER stat_visit_ins AFTER INSERT ON visit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('visit');
--> statement-breakpoint
CREATE TRIGGER stat_visit_upd AFTER UPDATE ON visit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('visit');
--> statement-breakpoint
CREATE TRIGGER stat_visit_del AFTER DELETE ON visit REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('visit');
--> statement-breakpoint
CREATE TRIGGER stat_demarche_ins AFTER INSERT ON demarche REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('demarche');
--> statement-breakpoint
CREATE TRIGGER stat_demarche_upd AFTER UPDATE ON demarche REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('demarche');
--> statement-breakpoint
CREATE TRIGGER stat_demarche_del AFTER DELETE ON demarche REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('demarche');
--> statement-breakpoint
CREATE TRIGGER stat_orientation_ins AFTER INSERT ON orientation REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('orientation');
--> statement-breakpoint
CREATE TRIGGER stat_orientation_upd AFTER UPDATE ON orientation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('orientation');
--> statement-breakpoint
CREATE TRIGGER stat_orientation_del AFTER DELETE ON orientation REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('orientation');
--> statement-breakpoint
CREATE TRIGGER stat_need_ins AFTER INSERT ON need_assessment REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('need_assessment');
--> statement-breakpoint
CREATE TRIGGER stat_need_upd AFTER UPDATE ON need_assessment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('need_assessment');
--> statement-breakpoint
CREATE TRIGGER stat_need_del AFTER DELETE ON need_assessment REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync('need_assessment');
--> statement-breakpoint
CREATE TRIGGER stat_demarche_event_ins AFTER INSERT ON demarche_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync_demarche_event();
--> statement-breakpoint
CREATE TRIGGER stat_measure_ins AFTER INSERT ON measure REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync_measure();
--> statement-breakpoint
CREATE TRIGGER stat_measure_upd AFTER UPDATE ON measure REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sync_measure();
--> statement-breakpoint
-- Rebuilds every rollup from the source tables (after a bulk load with triggers disabled), structure by structure.
CREATE FUNCTION stat_rebuild() RETURNS void LANGUAGE plpgsql AS $$
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
  TRUNCATE stat_convocation, stat_visit, stat_demarche_type, stat_demarche_help, stat_demarche_status, stat_orientation,
    stat_need, person_milestone;
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
