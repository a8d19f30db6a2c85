-- hand-written: a person's first right is dated as "Droits ouverts" counts it, by the démarche's
-- outcome date (ADR 0018), not by the first "granted" row of its history: a grant corrected away no
-- longer dates a first right, and both figures read one date.
CREATE OR REPLACE FUNCTION stat_refresh_people(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM person_milestone m USING person p
  WHERE m.person_id = p.id AND p.id = ANY(ids) AND p.merged_into_id IS NOT NULL;
  INSERT INTO person_milestone AS m (person_id, structure_id, person_key, first_convocation_at, first_visit_at,
    first_visit_site_id, first_visit_counselor_id, first_granted_at, open_needs, visit_months, measure_end)
  SELECT p.id, p.structure_id, record_key(p.id),
    (SELECT min(c.starts_at) FROM convocation c WHERE c.person_id = p.id AND c.status <> 'cancelled'),
    fv.started_at, fv.site_id, fv.counselor_user_id,
    (SELECT min(d.outcome_at) FROM demarche d WHERE d.person_id = p.id AND d.status = 'granted'),
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
UPDATE person_milestone m SET first_granted_at =
  (SELECT min(d.outcome_at) FROM demarche d WHERE d.person_id = m.person_id AND d.status = 'granted')
  WHERE m.first_granted_at IS DISTINCT FROM
    (SELECT min(d.outcome_at) FROM demarche d WHERE d.person_id = m.person_id AND d.status = 'granted');
