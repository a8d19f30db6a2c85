/**
 * Synthetic accompaniment history for the demo and for the national dataset: convocations, visits,
 * démarches with their history, needs, orientations and journal rows, generated in SQL (one
 * INSERT … SELECT per table, millions of rows in seconds) and deterministic: every "random" choice
 * is a hash of the row's identity and the seed, so the same seed gives the same data.
 */
import { sql } from "drizzle-orm";
import { needDomains } from "../../../common/agenda/agenda.schema";
import { ORIENTATION_EXPIRY_DAYS } from "../../../common/orientations/orientations.schema";
import type { Db } from "../createDb";

export interface ActivityOptions {
  /** People whose history is generated (their structure's sites, counselors and CPIPs are used). */
  people: { structureIds: string[] } | { personIds: string[] };
  from: Date;
  until: Date;
  /** The real "now" (on or after `until`): no orientation answered later, none expired earlier. */
  now: Date;
  seed: string;
  /** Mean number of convocations per person over the period. */
  convocationsPerPerson: number;
  onStep?: (label: string, rows: number, ms: number) => void;
}

const uuidArray = (ids: string[]) => `{${ids.join(",")}}`;

/** Runs the generator; statement-level triggers keep the rollups, or `stat_rebuild()` afterwards. */
export async function generateActivity(db: Db, o: ActivityOptions): Promise<void> {
  const chosen =
    "structureIds" in o.people
      ? sql`p.structure_id = any(${uuidArray(o.people.structureIds)}::uuid[])`
      : sql`p.id = any(${uuidArray(o.people.personIds)}::uuid[])`;
  const seed = o.seed;
  const from = o.from.toISOString();
  const until = o.until.toISOString();
  const now = o.now.toISOString();
  // Keys of the hashes: values that are the same on every run (generated ids are not).
  const demarcheKey = sql`(d.person_id || ${seed} || d.created_at || d.help_level || d.status || d.time_spent_minutes)`;
  // Each step ends by analysing the table it filled: the next steps read it, and a plan made for an
  // empty table (a scan per row) would take hours on the national dataset.
  const step = async (label: string, table: string, query: ReturnType<typeof sql>) => {
    const started = performance.now();
    const result = (await db.execute(query)) as unknown as {
      rowCount?: number | null;
      affectedRows?: number;
    };
    await db.execute(sql.raw(`analyze ${table}`));
    o.onStep?.(label, Number(result.rowCount ?? result.affectedRows ?? 0), performance.now() - started);
  };

  await db.execute(
    sql.raw(`CREATE OR REPLACE FUNCTION seed_rnd(key text) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ('x' || substr(md5(key), 1, 8))::bit(32)::bigint / 4294967296.0 $$`),
  );

  await step(
    "convocations",
    "convocation",
    sql`
    with eligible_sites as (
      -- People in milieu ouvert are never convoked inside a prison or a SAS (ADR 0028), unless the
      -- structure has no other site.
      select s.* from site s
      where s.kind not in ('prison', 'sas') or not exists (
        select 1 from site o where o.structure_id = s.structure_id and o.kind not in ('prison', 'sas'))
    ),
    sites as (select structure_id, array_agg(id order by name) ids from eligible_sites group by structure_id),
    weekly as (
      -- A weekly permanence as its slots: ISO weekday, first start (minutes), length, step, how many.
      select r.site_id, r.weekday::int weekday,
        (extract(hour from r.start_time::time) * 60 + extract(minute from r.start_time::time))::int start_min,
        r.slot_minutes len, r.slot_minutes + r.buffer_minutes step,
        floor((extract(epoch from r.end_time::time - r.start_time::time) / 60 + r.buffer_minutes)
          / (r.slot_minutes + r.buffer_minutes))::int n
      from opening_rule r join eligible_sites s on s.id = r.site_id
      where r.weekday is not null and r.slot_minutes > 0
    ),
    patterns as (
      select site_id, weekday, start_min, len, step, n from weekly where n >= 1
      union all
      -- A site without weekly permanences (the national dataset's): weekdays 9 h–12 h 30, 13 h 30–17 h.
      select s.id, d.weekday, h.start_min, 45, 60, 3
      from eligible_sites s cross join generate_series(1, 5) d(weekday) cross join (values (540), (810)) h(start_min)
      where not exists (select 1 from weekly w where w.site_id = s.id and w.n >= 1)
    ),
    site_patterns as (
      select site_id, array_agg(array[weekday, start_min, len, step, n] order by weekday, start_min, len, step, n) p,
        count(*)::int np
      from patterns group by site_id
    ),
    chosen as (
      select p.id, p.structure_id, r.user_id booker, last.end_date last_end,
        s.ids[1 + floor(seed_rnd(p.id || ${seed} || 'site') * array_length(s.ids, 1))::int] site_id,
        1 + floor(seed_rnd(p.id || ${seed} || 'k') * ${2 * o.convocationsPerPerson - 1})::int k
      from person p join referent r on r.person_id = p.id and r.ended_at is null
      join sites s on s.structure_id = p.structure_id
      -- The end of the person's last measure (a join, not a subquery per convocation: millions of rows).
      left join (select person_id, max(end_date) end_date from measure group by person_id) last
        on last.person_id = p.id
      where ${chosen} and p.merged_into_id is null
    ),
    drawn as (
      select c.*, g, sp.p[i][1] weekday, sp.p[i][2] start_min, sp.p[i][3] len, sp.p[i][4] step, sp.p[i][5] n
      from chosen c join site_patterns sp on sp.site_id = c.site_id, generate_series(1, c.k) g,
        lateral (select 1 + floor(seed_rnd(c.id || ${seed} || g || 'day') * sp.np)::int i) pick
    ),
    dated as (
      -- The pattern's weekday in a week of the period (Paris days), then one of its slots.
      select d.*, first_day + 7 * floor(seed_rnd(d.id || ${seed} || d.g || 'week')
          * (floor((last_day - first_day) / 7) + 1))::int on_day
      from drawn d, lateral (
        select (${from}::timestamptz at time zone 'Europe/Paris')::date
            + ((d.weekday - extract(isodow from (${from}::timestamptz at time zone 'Europe/Paris')::date)::int + 7) % 7) first_day,
          (${until}::timestamptz at time zone 'Europe/Paris')::date last_day
      ) bounds
      where first_day <= last_day
    ),
    rows as (
      select d.*,
        (d.on_day + (d.start_min + floor(seed_rnd(d.id || ${seed} || d.g || 'h') * d.n) * d.step) * interval '1 minute')
          at time zone 'Europe/Paris' starts_at,
        seed_rnd(d.id || ${seed} || d.g || 's') st
      from dated d
    )
    insert into convocation (structure_id, site_id, person_id, starts_at, ends_at, seat, status, need_domains,
      notify_sms, notify_email, booked_by, created_at, status_changed_at)
    select distinct on (r.id, r.starts_at) r.structure_id, r.site_id, r.id,
      r.starts_at, r.starts_at + r.len * interval '1 minute', 1000000 + row_number() over (),
      (case when r.st < 0.70 then 'honoured' when r.st < 0.85 then 'missed' when r.st < 0.93 then 'excused'
        else 'cancelled' end)::convocation_status,
      '{}', false, false, r.booker, r.starts_at - interval '14 days', r.starts_at
    from rows r
    where r.starts_at >= ${from}::timestamptz and r.starts_at < ${until}::timestamptz
      -- Never twice at the same time, never after the person's last measure has ended.
      and (r.last_end is null or r.last_end >= (r.starts_at at time zone 'Europe/Paris')::date)
    order by r.id, r.starts_at`,
  );

  // A file is opened before its first convocation is booked: the history's « Dossier créé » comes
  // first, not on the day the data was generated.
  await step(
    "files opened",
    "person",
    sql`
    update person p set created_at = c.first_booked - interval '1 day'
    from (select person_id, min(created_at) first_booked from convocation where seat >= 1000000 group by person_id) c
    where c.person_id = p.id and ${chosen} and p.created_at > c.first_booked - interval '1 day'`,
  );

  await step(
    "visits",
    "visit",
    sql`
    with counselors as (
      select m.structure_id, array_agg(m.user_id order by u.email) ids from membership m join "user" u on u.id = m.user_id
      where m.role = 'counselor' group by m.structure_id
    ),
    honoured as (
      select c.*, row_number() over (partition by c.person_id order by c.starts_at) visit_no
      from convocation c join person p on p.id = c.person_id
      where ${chosen} and c.status = 'honoured' and c.seat >= 1000000
    )
    insert into visit (structure_id, person_id, convocation_id, site_id, counselor_user_id, started_at,
      duration_minutes, autonomy, created_at)
    select h.structure_id, h.person_id, h.id, h.site_id,
      coalesce(pool.ids[1 + floor(seed_rnd(h.person_id || ${seed} || 'c') * coalesce(array_length(pool.ids, 1), 0))::int],
        k.ids[1 + floor(seed_rnd(h.person_id || ${seed} || 'c') * array_length(k.ids, 1))::int]),
      h.starts_at, 20 + floor(seed_rnd(h.person_id || ${seed} || h.starts_at || 'min') * 55)::int,
      (array['guided', 'autonomous_with_help', 'autonomous'])[1 + least(2, floor(seed_rnd(h.person_id || ${seed} || h.starts_at || 'a') * 1.6 + (h.visit_no - 1) * 0.35))::int]::autonomy_level,
      h.starts_at + interval '1 hour'
    from honoured h join counselors k on k.structure_id = h.structure_id
    -- The counselors of the permanence the convocation falls in, when the site has one.
    left join lateral (
      select array_agg(u.id order by u.email) ids
      from opening_rule r join opening_rule_counselor rc on rc.rule_id = r.id join "user" u on u.id = rc.user_id
      where r.site_id = h.site_id and r.weekday = extract(isodow from h.starts_at at time zone 'Europe/Paris')
        and (h.starts_at at time zone 'Europe/Paris')::time >= r.start_time::time
        and (h.starts_at at time zone 'Europe/Paris')::time < r.end_time::time
    ) pool on true`,
  );

  await step(
    "démarches",
    "demarche",
    sql`
    with types as (select array_agg(id order by code) ids from demarche_type),
    visits as (
      select v.* from visit v join person p on p.id = v.person_id
      join convocation c on c.id = v.convocation_id where ${chosen} and c.seat >= 1000000
    ),
    rows as (
      select v.*, g, seed_rnd(v.person_id || ${seed} || v.started_at || g || 'st') st,
        seed_rnd(v.person_id || ${seed} || v.started_at || g || 'hl') hl,
        ${until}::timestamptz - v.started_at > interval '60 days' old
      from visits v, generate_series(1, 1 + floor(seed_rnd(v.person_id || ${seed} || v.started_at || 'n') * 4)::int) g
    )
    insert into demarche (structure_id, person_id, demarche_type_id, site_id, help_level, status, time_spent_minutes,
      created_by, created_at, updated_at)
    select r.structure_id, r.person_id,
      t.ids[1 + floor(seed_rnd(r.person_id || ${seed} || r.started_at || g || 't') * array_length(t.ids, 1))::int],
      r.site_id,
      (case when r.hl < 0.25 then 'information' when r.hl < 0.6 then 'guided' when r.hl < 0.85 then 'done_for'
        else 'escalated' end)::help_level,
      (case when r.old then
          case when r.st < 0.55 then 'granted' when r.st < 0.65 then 'rejected' when r.st < 0.75 then 'abandoned'
            when r.st < 0.85 then 'reoriented' else 'submitted' end
        else
          case when r.st < 0.25 then 'in_progress' when r.st < 0.45 then 'waiting_documents' when r.st < 0.7 then 'submitted'
            when r.st < 0.85 then 'granted' else 'todo' end
        end)::demarche_status,
      5 + floor(seed_rnd(r.person_id || ${seed} || r.started_at || g || 'ts') * 40)::int, r.counselor_user_id, r.started_at, r.started_at
    from rows r, types t`,
  );

  await step(
    "démarche history",
    "demarche_event",
    sql`
    -- The démarches that already have a history (the demo's triggers write one), read once: a
    -- subquery on the table being filled would be planned for an empty table and rescan it per row.
    with existing as materialized (select distinct demarche_id from demarche_event)
    insert into demarche_event (demarche_id, at, by_user_id, status, visit_id, time_spent_minutes)
    select d.id, e.at, d.created_by, e.status, null, case when e.first then d.time_spent_minutes else 0 end
    from demarche d join person p on p.id = d.person_id
    cross join lateral (
      select d.created_at at, (case when d.status in ('granted', 'rejected', 'abandoned', 'reoriented') then 'submitted'
        else d.status::text end)::demarche_status status, true first
      union all
      select least(${until}::timestamptz - interval '1 hour', d.created_at + (7 + floor(seed_rnd(${demarcheKey} || 'e') * 50)) * interval '1 day'),
        d.status, false
      where d.status in ('granted', 'rejected', 'abandoned', 'reoriented')
    ) e
    where ${chosen} and not exists (select 1 from existing x where x.demarche_id = d.id)`,
  );

  // A démarche inserted with its outcome got the creation as outcome date (trigger): it is the day
  // of its history's outcome row, as when an agent records it.
  await step(
    "outcome dates",
    "demarche",
    sql`
    update demarche d set outcome_at = e.at
    from demarche_event e, person p
    where e.demarche_id = d.id and p.id = d.person_id and ${chosen}
      and d.status in ('granted', 'rejected', 'abandoned', 'reoriented') and e.status = d.status
      and d.outcome_at is distinct from e.at`,
  );

  await step(
    "need assessments",
    "need_assessment",
    sql`
    with visits as (
      select v.*, row_number() over (partition by v.person_id order by v.started_at) visit_no
      from visit v join person p on p.id = v.person_id
      join convocation c on c.id = v.convocation_id where ${chosen} and c.seat >= 1000000
    )
    insert into need_assessment (structure_id, person_id, domain, has_need, priority, assessed_at, assessed_by, visit_id)
    select v.structure_id, v.person_id,
      (${`{${needDomains.join(",")}}`}::text[])[1 + floor(seed_rnd(v.person_id || ${seed} || g || 'dom') * ${needDomains.length})::int],
      v.visit_no = 1 or seed_rnd(v.person_id || ${seed} || v.started_at || g || 'has') < 0.45,
      null, v.started_at + g * interval '1 minute', v.counselor_user_id, v.id
    from visits v, generate_series(1, case when v.visit_no = 1 then 2 else 1 end) g`,
  );

  // Statuses follow the orientations' rules as of now: an answer (accepted, refused, then completed)
  // only once given, 1 to 20 days after the sending, in office hours, and never after now; an orientation left unanswered past
  // its expiry (sent + ORIENTATION_EXPIRY_DAYS, `orientations/rules.ts#expiryOf`) is expired, as the
  // expiry job would have made it, and one still within it is sent.
  await step(
    "orientations",
    "orientation",
    sql`
    with picked as (
      select d.*, t.partner_id type_partner, seed_rnd(${demarcheKey} || 'ot') ot, seed_rnd(${demarcheKey} || 'os') os,
        d.created_at + interval '1 hour' sent,
        d.created_at + interval '1 hour' + ${ORIENTATION_EXPIRY_DAYS} * interval '1 day' expires,
        -- 1 to 20 days after, during office hours (9 h to 17 h, Paris): a partner answers at work.
        (date_trunc('day', d.created_at at time zone 'Europe/Paris')
          + floor(1 + seed_rnd(d.person_id || ${seed} || d.created_at || d.time_spent_minutes || 'ans') * 20) * interval '1 day'
          + (540 + floor(seed_rnd(d.person_id || ${seed} || d.created_at || 'anh') * 480)) * interval '1 minute')
          at time zone 'Europe/Paris' answer,
        floor(1 + seed_rnd(${demarcheKey} || 'oc') * 30) * interval '1 day' completion
      from demarche d join person p on p.id = d.person_id join demarche_type t on t.id = d.demarche_type_id
      where ${chosen} and (d.help_level = 'escalated' or d.status = 'reoriented') and seed_rnd(${demarcheKey} || 'o') < 0.35
    ),
    settled as (
      select x.*,
        (case
          when x.os < 0.8 and x.answer <= ${now}::timestamptz then
            case when x.os < 0.5 then 'accepted' when x.os < 0.65 then 'refused'
              when x.answer + x.completion <= ${now}::timestamptz then 'completed' else 'accepted' end
          when x.expires <= ${now}::timestamptz then 'expired'
          else 'sent' end)::orientation_status settled_status
      from picked x
    )
    insert into orientation (structure_id, person_id, site_id, demarche_id, target, partner_id, reason, status,
      created_by, created_at, sent_at, expires_at, answered_at, completed_at)
    select x.structure_id, x.person_id, x.site_id, x.id,
      (case when x.ot < 0.6 then 'partner_back_office' when x.ot < 0.8 then 'mediation' when x.ot < 0.9 then 'iae_employer'
        else 'mission_locale' end)::orientation_target,
      case when x.ot < 0.6 then x.type_partner end, 'Dossier complexe (données de démonstration)',
      x.settled_status, x.created_by, x.created_at, x.sent, x.expires,
      case when x.settled_status in ('accepted', 'refused', 'completed') then x.answer end,
      case when x.settled_status = 'completed' then x.answer + x.completion end
    from settled x`,
  );

  await db.execute(sql`DROP FUNCTION seed_rnd(text)`);
}

/** Journal rows (a referent reading the file), `perPerson` per person of the structures, spread over the period. */
export async function generateJournal(
  db: Db,
  o: { structureIds: string[]; from: Date; until: Date; seed: string; perPerson: number },
): Promise<number> {
  const days = Math.max(1, Math.floor((o.until.getTime() - o.from.getTime()) / 86_400_000));
  const result = (await db.execute(sql`
    insert into audit_event (at, actor_user_id, action, target_type, target_id, structure_id, outcome, reason)
    select ${o.from.toISOString()}::timestamptz
        + (abs(hashtext(p.id || ${o.seed} || g)) / 2147483648.0) * ${days} * interval '1 day',
      r.user_id, 'person.read', 'person', p.id::text, p.structure_id, 'success', 'Suivi'
    from person p join referent r on r.person_id = p.id and r.ended_at is null,
      generate_series(1, ${o.perPerson}::int) g
    where p.structure_id = any(${uuidArray(o.structureIds)}::uuid[])`)) as unknown as {
    rowCount?: number | null;
  };
  return Number(result.rowCount ?? 0);
}
