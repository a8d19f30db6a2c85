import { asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { DemarcheView, NeedView } from "../../../common/accompaniment/accompaniment.schema";
import type { NeedDomain } from "../../../common/agenda/agenda.schema";
import type { Db } from "../../db/createDb";
import { demarche, demarcheEvent, demarcheType, needAssessment, partner, user } from "../../db/schema";
import { isoTime } from "../../db/sqlJson";
import { type NeedRecord, needsProgress } from "./rules";

/** The démarches of a person (or one démarche), with their catalogue entry and dated history. */
export async function demarcheViews(
  db: Db,
  where: { personId: string } | { id: string },
): Promise<DemarcheView[]> {
  const rows = await db
    .select({
      demarche,
      typeLabel: demarcheType.label,
      category: demarcheType.category,
      partnerName: partner.name,
    })
    .from(demarche)
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .leftJoin(partner, eq(partner.id, demarcheType.partnerId))
    .where("id" in where ? eq(demarche.id, where.id) : eq(demarche.personId, where.personId))
    .orderBy(desc(demarche.updatedAt))
    .limit(300);
  const ids = rows.map((r) => r.demarche.id);
  const events =
    ids.length === 0
      ? []
      : await db
          .select({ event: demarcheEvent, byName: user.displayName })
          .from(demarcheEvent)
          .leftJoin(user, eq(user.id, demarcheEvent.byUserId))
          .where(inArray(demarcheEvent.demarcheId, ids))
          .orderBy(asc(demarcheEvent.at), asc(demarcheEvent.id));
  return rows.map(({ demarche: d, typeLabel, category, partnerName }) => ({
    id: d.id,
    demarcheTypeId: d.demarcheTypeId,
    partnerName,
    label: typeLabel ?? "Démarche",
    category,
    helpLevel: d.helpLevel,
    status: d.status,
    outcome: d.outcome,
    nextStep: d.nextStep,
    dueDate: d.dueDate,
    timeSpentMinutes: d.timeSpentMinutes,
    documents: d.documents,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    history: events
      .filter((e) => e.event.demarcheId === d.id)
      .map((e) => ({
        at: e.event.at.toISOString(),
        status: e.event.status,
        byName: e.byName,
        visitId: e.event.visitId,
      })),
  }));
}

/** The latest assessment of each domain, and the progress over the whole history. */
export async function needsOf(
  db: Db,
  personId: string,
): Promise<{ needs: NeedView[]; progress: ReturnType<typeof needsProgress> }> {
  const rows = await db
    .select({ need: needAssessment, byName: user.displayName })
    .from(needAssessment)
    .leftJoin(user, eq(user.id, needAssessment.assessedBy))
    .where(eq(needAssessment.personId, personId))
    .orderBy(asc(needAssessment.assessedAt), asc(needAssessment.id))
    .limit(NEED_ROWS);
  return needsFromRows(
    rows.map(({ need, byName }) => ({
      domain: need.domain as NeedDomain,
      hasNeed: need.hasNeed,
      priority: need.priority,
      situation: need.situation,
      comment: need.comment,
      assessedAt: need.assessedAt.toISOString(),
      assessedByName: byName,
    })),
  );
}

const NEED_ROWS = 2000;

/** From every assessment, oldest first: the latest of each domain, and the progress. */
export function needsFromRows(rows: NeedView[]): {
  needs: NeedView[];
  progress: ReturnType<typeof needsProgress>;
} {
  const latest = new Map<string, NeedView>();
  for (const need of rows) latest.set(need.domain, need);
  const history: NeedRecord[] = rows.map((need) => ({
    domain: need.domain,
    hasNeed: need.hasNeed,
    assessedAt: new Date(need.assessedAt),
  }));
  return { needs: [...latest.values()], progress: needsProgress(history) };
}

/*
 * The same reads as JSON arrays computed inside one statement (people/fileReads.ts), correlated on a
 * person id (`p.id`): same rows, same order, same limits, timestamps as `toISOString()` gives them.
 */

/** `demarcheViews` of a person, as a JSON array of `DemarcheView`. */
export function demarchesJson(personId: SQL): SQL {
  return sql`(select coalesce(json_agg(d.view order by d.n), '[]'::json) from (
    select row_number() over (order by dm.updated_at desc) as n, json_build_object(
      'id', dm.id, 'demarcheTypeId', dm.demarche_type_id, 'partnerName', pa.name, 'label', coalesce(dt.label, 'Démarche'), 'category', dt.category,
      'helpLevel', dm.help_level, 'status', dm.status, 'outcome', dm.outcome, 'nextStep', dm.next_step,
      'dueDate', dm.due_date, 'timeSpentMinutes', dm.time_spent_minutes, 'documents', dm.documents,
      'createdAt', ${isoTime(sql`dm.created_at`)}, 'updatedAt', ${isoTime(sql`dm.updated_at`)},
      'history', (select coalesce(json_agg(json_build_object(
          'at', ${isoTime(sql`e.at`)}, 'status', e.status, 'byName', eu.display_name, 'visitId', e.visit_id
        ) order by e.at, e.id), '[]'::json)
        from demarche_event e left join "user" eu on eu.id = e.by_user_id
        where e.demarche_id = dm.id)
    ) as view
    from demarche dm
    left join demarche_type dt on dt.id = dm.demarche_type_id
    left join partner pa on pa.id = dt.partner_id
    where dm.person_id = ${personId}
    order by dm.updated_at desc
    limit 300) d)`;
}

/** Every need assessment of a person, oldest first, as a JSON array of `NeedView` (for `needsFromRows`). */
export function needRowsJson(personId: SQL): SQL {
  return sql`(select coalesce(json_agg(x.view order by x.n), '[]'::json) from (
    select row_number() over (order by na.assessed_at, na.id) as n, json_build_object(
      'domain', na.domain, 'hasNeed', na.has_need, 'priority', na.priority, 'situation', na.situation,
      'comment', na.comment, 'assessedAt', ${isoTime(sql`na.assessed_at`)}, 'assessedByName', nu.display_name
    ) as view
    from need_assessment na left join "user" nu on nu.id = na.assessed_by
    where na.person_id = ${personId}
    order by na.assessed_at, na.id
    limit ${sql.raw(String(NEED_ROWS))}) x)`;
}

/** `visitsOf` a person, as a JSON array of `VisitView`. */
export function visitsJson(personId: SQL): SQL {
  return sql`(select coalesce(json_agg(x.view order by x.n), '[]'::json) from (
    select row_number() over (order by v.started_at desc) as n, json_build_object(
      'id', v.id, 'convocationId', v.convocation_id, 'startedAt', ${isoTime(sql`v.started_at`)},
      'recordedAt', ${isoTime(sql`v.created_at`)}, 'counselorName', vu.display_name, 'durationMinutes', v.duration_minutes, 'autonomy', v.autonomy,
      'siteName', vs.name,
      'demarchesTouched', (select count(distinct te.demarche_id) from demarche_event te where te.visit_id = v.id),
      'needsAssessed', (select count(*) from need_assessment vn where vn.visit_id = v.id),
      'suggestNextInDays', v.suggest_next_in_days, 'suggestion', v.suggestion
    ) as view
    from visit v
    join convocation vc on vc.id = v.convocation_id join site vs on vs.id = vc.site_id
    left join "user" vu on vu.id = v.counselor_user_id
    where v.person_id = ${personId}
    order by v.started_at desc
    limit 200) x)`;
}
