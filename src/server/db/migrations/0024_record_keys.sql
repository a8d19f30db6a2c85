ALTER TABLE "person_milestone" ADD COLUMN "person_key" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_convocation" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_demarche_help" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_demarche_status" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_demarche_type" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_demarche_type" ADD COLUMN "granted_key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_demarche_type" ADD COLUMN "escalated_key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_need" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_orientation" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_orientation" ADD COLUMN "answered_key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_visit" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- hand-written: record keys of the cell-key method (ADR 0018). Every rollup row carries the sum of the
-- keys of the source rows it counts (key_sum, and the same for its granted, escalated, answered
-- subsets); person_milestone stores the person's key for the distinct-people figures. The twin of
-- record_key() is recordKey() in domains/reporting/cellKey.ts.
CREATE FUNCTION record_key(id uuid) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT ('x' || substr(md5(id::text), 1, 5))::bit(20)::integer $$;
--> statement-breakpoint
-- Need assessments have a bigint id: the same function of its decimal text (recordKey(String(id))).
CREATE FUNCTION record_key(id bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT ('x' || substr(md5(id::text), 1, 5))::bit(20)::integer $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_convocation_add(rows convocation[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_convocation (month, structure_id, site_id, status, n, key_sum)
  SELECT stat_month(r.starts_at), r.structure_id, r.site_id, r.status::text, sign * count(*),
         sign * sum(record_key(r.id))
  FROM unnest(rows) r GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_convocation_key DO UPDATE
    SET n = stat_convocation.n + excluded.n, key_sum = stat_convocation.key_sum + excluded.key_sum
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_visit_add(rows visit[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_visit (month, structure_id, site_id, autonomy, n, key_sum, minutes)
  SELECT stat_month(r.started_at), r.structure_id, r.site_id, r.autonomy::text,
         sign * count(*), sign * sum(record_key(r.id)), sign * sum(r.duration_minutes)
  FROM unnest(rows) r GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_visit_key DO UPDATE
    SET n = stat_visit.n + excluded.n, key_sum = stat_visit.key_sum + excluded.key_sum,
        minutes = stat_visit.minutes + excluded.minutes
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_demarche_add(rows demarche[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_demarche_type (month, structure_id, demarche_type_id, n, key_sum, granted, granted_key_sum,
    escalated, escalated_key_sum)
  SELECT stat_month(r.created_at), r.structure_id, r.demarche_type_id, sign * count(*), sign * sum(record_key(r.id)),
         sign * count(*) FILTER (WHERE r.status = 'granted'),
         sign * coalesce(sum(record_key(r.id)) FILTER (WHERE r.status = 'granted'), 0),
         sign * count(*) FILTER (WHERE r.help_level = 'escalated' OR r.status = 'reoriented'),
         sign * coalesce(sum(record_key(r.id)) FILTER (WHERE r.help_level = 'escalated' OR r.status = 'reoriented'), 0)
  FROM unnest(rows) r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ON CONSTRAINT stat_demarche_type_key DO UPDATE
    SET n = stat_demarche_type.n + excluded.n, key_sum = stat_demarche_type.key_sum + excluded.key_sum,
        granted = stat_demarche_type.granted + excluded.granted,
        granted_key_sum = stat_demarche_type.granted_key_sum + excluded.granted_key_sum,
        escalated = stat_demarche_type.escalated + excluded.escalated,
        escalated_key_sum = stat_demarche_type.escalated_key_sum + excluded.escalated_key_sum;
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
CREATE OR REPLACE FUNCTION stat_orientation_add(rows orientation[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_orientation (month, structure_id, partner_id, target, status, n, key_sum, answered,
    answered_key_sum, answer_hours)
  SELECT stat_month(r.created_at), r.structure_id, r.partner_id, r.target::text,
         r.status::text, sign * count(*), sign * sum(record_key(r.id)), sign * count(r.answered_at),
         sign * coalesce(sum(record_key(r.id)) FILTER (WHERE r.answered_at IS NOT NULL), 0),
         sign * coalesce(sum(extract(epoch FROM r.answered_at - r.sent_at) / 3600.0), 0)
  FROM unnest(rows) r
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ON CONSTRAINT stat_orientation_key DO UPDATE
    SET n = stat_orientation.n + excluded.n, key_sum = stat_orientation.key_sum + excluded.key_sum,
        answered = stat_orientation.answered + excluded.answered,
        answered_key_sum = stat_orientation.answered_key_sum + excluded.answered_key_sum,
        answer_hours = stat_orientation.answer_hours + excluded.answer_hours
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_need_assessment_add(rows need_assessment[], sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_need (month, structure_id, domain, change, n, key_sum)
  SELECT stat_month(r.assessed_at), r.structure_id, r.domain, r.change, sign * count(*),
         sign * sum(record_key(r.id))
  FROM unnest(rows) r
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT stat_need_key DO UPDATE
    SET n = stat_need.n + excluded.n, key_sum = stat_need.key_sum + excluded.key_sum
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_refresh_people(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM person_milestone m USING person p
  WHERE m.person_id = p.id AND p.id = ANY(ids) AND p.merged_into_id IS NOT NULL;
  INSERT INTO person_milestone AS m (person_id, structure_id, person_key, first_convocation_at, first_visit_at,
    first_visit_site_id, first_visit_counselor_id, first_granted_at, open_needs, visit_months, measure_end)
  SELECT p.id, p.structure_id, record_key(p.id),
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
  ON CONFLICT (person_id) DO UPDATE SET structure_id = excluded.structure_id, person_key = excluded.person_key,
    first_convocation_at = excluded.first_convocation_at, first_visit_at = excluded.first_visit_at,
    first_visit_site_id = excluded.first_visit_site_id, first_visit_counselor_id = excluded.first_visit_counselor_id,
    first_granted_at = excluded.first_granted_at, open_needs = excluded.open_needs,
    visit_months = excluded.visit_months, measure_end = excluded.measure_end
$$;
--> statement-breakpoint
SELECT stat_rebuild();
