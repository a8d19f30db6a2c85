import { and, asc, desc, eq, inArray, lt, notInArray, sql } from "drizzle-orm";
import { notLateDemarcheStatuses } from "../../../../common/accompaniment/accompaniment.schema";
import type { AlertItem, Alerts } from "../../../../common/accompaniment/alerts";
import { parisDay } from "../../../../common/calendar";
import { orientationTargetLabels } from "../../../../common/orientations/orientations.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { qualified } from "../../../db/qualified";
import {
  convocation,
  demarche,
  demarcheType,
  measure,
  needAssessment,
  notificationSettings,
  orientation,
  partner,
  person,
} from "../../../db/schema";
import { myExpiringAccess, releaseNear } from "../../detention/alerts";
import { defaultSettings } from "../../notifications/outbox";
import { followedPeople, nominativeScope } from "../../people/policies";

const LIMIT = 50;
const personName = sql<string>`upper(${person.lastName}) || ' ' || ${person.firstName}`;
// Correlated fragments name their columns with their table: selected from `person` alone, Drizzle
// would write a bare `id`, which inside the subquery is its own table's.
const personId = qualified(person.id);
const measureEnd = sql<string>`(select max(${qualified(measure.endDate)}) from ${measure} where ${qualified(measure.personId)} = ${personId})`;
const alertDays = sql`coalesce(${notificationSettings.measureAlertDays}, ${defaultSettings.measureAlertDays})`;
const notSeenWeeks = sql`coalesce(${notificationSettings.notSeenWeeks}, ${defaultSettings.notSeenWeeks})`;
const openDemarche = sql`exists (select 1 from ${demarche} where ${qualified(demarche.personId)} = ${personId} and ${qualified(demarche.status)} not in ('granted', 'rejected', 'abandoned', 'reoriented'))`;
// A need is open when the latest assessment of its domain says so.
const openNeed = sql`exists (select 1 from ${needAssessment} na where na.person_id = ${personId} and na.has_need
  and not exists (select 1 from ${needAssessment} nb where nb.person_id = na.person_id and nb.domain = na.domain and nb.assessed_at > na.assessed_at))`;

/**
 * The agent's home alerts, computed in SQL for the people they follow: measures ending soon with
 * open needs or démarches, démarches past their due date while the next step is ours, orientations without answer, people not
 * seen at a permanence for N weeks (and with nothing planned).
 */
export async function getAlerts(deps: Deps, ctx: RequestContext): Promise<Alerts> {
  const scope = nominativeScope(ctx.actor);
  const db = deps.db;
  const now = ctx.clock.now();
  const today = parisDay(now);
  const followed = followedPeople(scope);

  const ending = await db
    .select({ personId: person.id, personName, date: measureEnd })
    .from(person)
    .leftJoin(notificationSettings, eq(notificationSettings.structureId, person.structureId))
    .where(
      and(
        followed,
        sql`${measureEnd} >= ${today}::date and ${measureEnd} <= ${today}::date + ${alertDays}::int`,
        sql`(${openDemarche} or ${openNeed})`,
      ),
    )
    .orderBy(asc(measureEnd))
    .limit(LIMIT);

  // Every measure over and the file still open: the referent closes it or records the new measure.
  const ended = await db
    .select({ personId: person.id, personName, date: measureEnd })
    .from(person)
    .where(and(followed, sql`${measureEnd} < ${today}::date`))
    .orderBy(asc(measureEnd))
    .limit(LIMIT);

  // Late while the next step is ours: a deposited démarche past its date waits for the partner.
  const overdue = await db
    .select({ personId: person.id, personName, label: demarcheType.label, date: demarche.dueDate })
    .from(demarche)
    .innerJoin(person, eq(person.id, demarche.personId))
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .where(
      and(followed, notInArray(demarche.status, [...notLateDemarcheStatuses]), lt(demarche.dueDate, today)),
    )
    .orderBy(asc(demarche.dueDate))
    .limit(LIMIT);

  const pending = await db
    .select({
      personId: person.id,
      personName,
      target: orientation.target,
      partnerName: partner.name,
      sentAt: orientation.sentAt,
    })
    .from(orientation)
    .innerJoin(person, eq(person.id, orientation.personId))
    .leftJoin(partner, eq(partner.id, orientation.partnerId))
    .where(
      and(
        followed,
        inArray(orientation.status, ["sent"]),
        sql`${orientation.expiresAt} > ${now.toISOString()}`,
      ),
    )
    .orderBy(asc(orientation.sentAt))
    .limit(LIMIT);

  const lastSeen = sql<Date | null>`(select max(${qualified(convocation.startsAt)}) from ${convocation} where ${qualified(convocation.personId)} = ${personId} and ${qualified(convocation.status)} = 'honoured')`;
  const notSeen = await db
    .select({ personId: person.id, personName, date: lastSeen })
    .from(person)
    .leftJoin(notificationSettings, eq(notificationSettings.structureId, person.structureId))
    .where(
      and(
        followed,
        sql`${lastSeen} < ${now.toISOString()}::timestamptz - make_interval(weeks => ${notSeenWeeks}::int)`,
        sql`not exists (select 1 from ${convocation} where ${convocation.personId} = ${person.id} and ${convocation.status} = 'planned' and ${convocation.startsAt} > ${now.toISOString()})`,
        sql`${measureEnd} >= ${today}::date`,
      ),
    )
    .orderBy(desc(lastSeen))
    .limit(LIMIT);

  const releases = await releaseNear(db, followed, today);
  const accessExpiring = await myExpiringAccess(db, ctx.actor.userId, today);

  const [settings] = await db
    .select({
      measureAlertDays: notificationSettings.measureAlertDays,
      notSeenWeeks: notificationSettings.notSeenWeeks,
    })
    .from(notificationSettings)
    .where(
      inArray(notificationSettings.structureId, [
        ...new Set(ctx.actor.memberships.map((m) => m.structureId)),
      ]),
    )
    .limit(1);

  const item = (personId: string, name: string, detail: string, date: string | Date | null): AlertItem => ({
    personId,
    personName: name,
    detail,
    date: date === null ? null : date instanceof Date ? date.toISOString() : String(date),
  });
  return {
    measureEnding: ending.map((r) =>
      item(r.personId, r.personName, "Fin de mesure proche, besoins ou démarches ouverts", r.date),
    ),
    measureEnded: ended.map((r) =>
      item(r.personId, r.personName, "Mesure terminée, dossier encore ouvert", r.date),
    ),
    overdueDemarches: overdue.map((r) => item(r.personId, r.personName, r.label ?? "Démarche", r.date)),
    pendingOrientations: pending.map((r) =>
      item(r.personId, r.personName, r.partnerName ?? orientationTargetLabels[r.target], r.sentAt),
    ),
    notSeen: notSeen.map((r) =>
      item(r.personId, r.personName, "Dernière venue à la permanence", r.date ? new Date(r.date) : null),
    ),
    releaseNear: releases.map((r) =>
      item(
        r.personId,
        r.personName,
        `Sortie prévue : ${r.open} démarche${r.open > 1 ? "s" : ""} du plan de sortie ouverte${r.open > 1 ? "s" : ""}`,
        r.date,
      ),
    ),
    accessExpiring,
    settings: settings ?? {
      measureAlertDays: defaultSettings.measureAlertDays,
      notSeenWeeks: defaultSettings.notSeenWeeks,
    },
  };
}
