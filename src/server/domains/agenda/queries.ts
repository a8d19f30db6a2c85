import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { ConvocationStatus, ConvocationView, NeedDomain } from "../../../common/agenda/agenda.schema";
import { halfDayOf } from "../../../common/agenda/halfDayClash";
import { type Actor, hasRole } from "../../core/context";
import { type Db, rowsOf } from "../../db/createDb";
import {
  convocation,
  counselorAbsence,
  demarcheType,
  openingRule,
  openingRuleCounselor,
  person,
  site,
  siteClosure,
  structure,
  user,
  visit,
} from "../../db/schema";
import { isoTime } from "../../db/sqlJson";
import { detentionColumns } from "../detention/queries";
import { silenceReason } from "../notifications/reach";
import { editablePeople, type PeopleScope, visiblePeople } from "../people/policies";
import {
  agendaRows,
  atActorsPermanence,
  counselorOnlyStructures,
  holdsPermanence,
  mayRecordVisits,
  maySetStatus,
} from "./policies";
import {
  addDays,
  arrivalProblem,
  correctionProblem,
  isToFillIn,
  type OpeningRule,
  parisInstant,
  type SlotInput,
} from "./rules";

const ACTIVE = ["planned", "honoured", "missed"] as const;

/** The fields of an opening rule row that the slot maths and the editor both use. */
export function ruleFields(rule: typeof openingRule.$inferSelect): Omit<OpeningRule, "counselorIds"> {
  return {
    id: rule.id,
    siteId: rule.siteId,
    weekday: rule.weekday,
    onDate: rule.onDate,
    startTime: rule.startTime,
    endTime: rule.endTime,
    slotMinutes: rule.slotMinutes,
    bufferMinutes: rule.bufferMinutes,
    validFrom: rule.validFrom,
    validTo: rule.validTo,
  };
}

/**
 * The opening rules `where` selects, each with its pool of counselors (the slots' and a rule
 * change's shape). Who holds a permanence at a convocation is asked in SQL instead
 * (`policies.ts#holdsPermanence`).
 */
export async function rulesWithPools(db: Db, where: SQL | undefined): Promise<OpeningRule[]> {
  const rows = await db
    .select({ rule: openingRule, counselorId: openingRuleCounselor.userId })
    .from(openingRule)
    .leftJoin(openingRuleCounselor, eq(openingRuleCounselor.ruleId, openingRule.id))
    .where(where);
  const rules = new Map<string, OpeningRule>();
  for (const { rule, counselorId } of rows) {
    const entry = rules.get(rule.id) ?? { ...ruleFields(rule), counselorIds: [] };
    if (counselorId) entry.counselorIds.push(counselorId);
    rules.set(rule.id, entry);
  }
  return [...rules.values()];
}

/** Everything computeSlots needs for a structure's sites over a window of Paris days. */
export async function loadSlotInput(
  db: Db,
  input: { structureId: string; siteId?: string | undefined; fromDay: string; toDay: string; now: Date },
): Promise<(SlotInput & { siteNames: Map<string, string> }) | undefined> {
  const [found] = await db.select().from(structure).where(eq(structure.id, input.structureId));
  if (!found) return undefined;
  const siteRows = await db
    .select({ id: site.id, name: site.name })
    .from(site)
    .where(
      and(eq(site.structureId, input.structureId), input.siteId ? eq(site.id, input.siteId) : undefined),
    );
  const siteIds = siteRows.map((s) => s.id);
  const windowStart = parisInstant(input.fromDay, "00:00");
  const windowEnd = parisInstant(addDays(input.toDay, 1), "00:00");
  const rules = await rulesWithPools(
    db,
    and(
      inArray(openingRule.siteId, siteIds),
      lte(openingRule.validFrom, input.toDay),
      or(isNull(openingRule.validTo), gte(openingRule.validTo, input.fromDay)),
    ),
  );
  const counselorIds = [...new Set(rules.flatMap((r) => r.counselorIds))];
  // One query after the other: inside the booking transaction the connection takes one at a time.
  const closures = await db
    .select({ siteId: siteClosure.siteId, startsAt: siteClosure.startsAt, endsAt: siteClosure.endsAt })
    .from(siteClosure)
    .where(
      and(
        inArray(siteClosure.siteId, siteIds),
        lt(siteClosure.startsAt, windowEnd),
        gte(siteClosure.endsAt, windowStart),
      ),
    );
  const absences = await db
    .select({
      userId: counselorAbsence.userId,
      startsAt: counselorAbsence.startsAt,
      endsAt: counselorAbsence.endsAt,
    })
    .from(counselorAbsence)
    .where(
      and(
        inArray(counselorAbsence.userId, counselorIds),
        lt(counselorAbsence.startsAt, windowEnd),
        gte(counselorAbsence.endsAt, windowStart),
      ),
    );
  const bookings = await db
    .select({ siteId: convocation.siteId, startsAt: convocation.startsAt })
    .from(convocation)
    .where(
      and(
        inArray(convocation.siteId, siteIds),
        inArray(convocation.status, [...ACTIVE]),
        isNull(convocation.collectiveActionId),
        gte(convocation.startsAt, windowStart),
        lt(convocation.startsAt, windowEnd),
      ),
    );
  return {
    rules,
    closures,
    absences,
    bookings,
    fromDay: input.fromDay,
    toDay: input.toDay,
    now: input.now,
    minLeadHours: found.minLeadHours,
    departement: found.departement,
    siteNames: new Map(siteRows.map((s) => [s.id, s.name])),
  };
}

export async function takenSeats(db: Db, siteId: string, startsAt: Date): Promise<number[]> {
  const rows = await db
    .select({ seat: convocation.seat })
    .from(convocation)
    .where(
      and(
        eq(convocation.siteId, siteId),
        eq(convocation.startsAt, startsAt),
        inArray(convocation.status, [...ACTIVE]),
        // A collective action's convocations take the action's seats, not the permanence's.
        isNull(convocation.collectiveActionId),
      ),
    );
  return rows.map((r) => r.seat);
}

/**
 * A site's rules against its bookings: a booking holds it shared (bookings of a site still run side
 * by side), a change of the site's rules holds it exclusive, so no booking slips between the change's
 * check of the planned convocations and its write. Taken before any slot lock.
 */
export async function lockSiteRules(db: Db, siteId: string, mode: "shared" | "exclusive"): Promise<void> {
  const key = sql`hashtextextended(${`site-rules|${siteId}`}, 0)`;
  await db.execute(
    mode === "shared"
      ? sql`select pg_advisory_xact_lock_shared(${key})`
      : sql`select pg_advisory_xact_lock(${key})`,
  );
}

/**
 * Every site's rules of the structure, exclusive, in one order (by id, so two such changes cannot
 * deadlock): for a change that may strand bookings on any of its sites (an absence, a département).
 */
export async function lockAllSiteRules(db: Db, structureId: string): Promise<void> {
  const sites = await db
    .select({ id: site.id })
    .from(site)
    .where(eq(site.structureId, structureId))
    .orderBy(asc(site.id));
  for (const s of sites) await lockSiteRules(db, s.id, "exclusive");
}

/** Serializes bookings of one slot across transactions and app instances. */
export async function lockSlot(db: Db, siteId: string, startsAt: Date): Promise<void> {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`${siteId}|${startsAt.toISOString()}`}, 0))`,
  );
}

/**
 * Holds the person's half-day until the transaction ends: two bookings of one person in the same
 * half-day (other slots, other sites) run one after the other, and the second sees the first
 * (ADR 0003, addendum « same half-day »). Taken after the slot's lock, last.
 */
export async function lockPersonHalfDay(db: Db, personId: string, startsAt: Date): Promise<void> {
  const key = `person-half-day|${personId}|${halfDayOf(startsAt)}`;
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/** The person's planned convocations within a day of `startsAt`, with their site's name. */
export async function plannedAround(
  db: Db,
  personId: string,
  startsAt: Date,
): Promise<{ id: string; startsAt: Date; status: ConvocationStatus; siteName: string }[]> {
  const day = 24 * 60 * 60 * 1000;
  return db
    .select({
      id: convocation.id,
      startsAt: convocation.startsAt,
      status: convocation.status,
      siteName: site.name,
    })
    .from(convocation)
    .innerJoin(site, eq(site.id, convocation.siteId))
    .where(
      and(
        eq(convocation.personId, personId),
        eq(convocation.status, "planned"),
        gt(convocation.startsAt, new Date(startsAt.getTime() - day)),
        lt(convocation.startsAt, new Date(startsAt.getTime() + day)),
      ),
    );
}

/**
 * Holds one convocation's row until the transaction ends, so that two changes of it (a request sent
 * again while the first is still running) run one after the other and the second sees the first's
 * result (ADR 0036). Taken before any slot lock.
 */
export async function lockConvocation(db: Db, convocationId: string): Promise<void> {
  await db
    .select({ id: convocation.id })
    .from(convocation)
    .where(eq(convocation.id, convocationId))
    .for("update");
}

/** The convocation that replaced a rescheduled one, if it is at this site and time (ADR 0036). */
export async function replacementAt(
  db: Db,
  rescheduledFromId: string,
  at: { siteId: string; startsAt: Date },
): Promise<string | undefined> {
  const [found] = await db
    .select({ id: convocation.id })
    .from(convocation)
    .where(
      and(
        eq(convocation.rescheduledFromId, rescheduledFromId),
        eq(convocation.siteId, at.siteId),
        eq(convocation.startsAt, at.startsAt),
      ),
    );
  return found?.id;
}

/** Convocations whose person the actor may see (their people, their structure's agenda). */
export async function listConvocations(
  db: Db,
  scope: PeopleScope,
  filters: {
    personId?: string | undefined;
    siteId?: string | undefined;
    from?: Date;
    to?: Date;
    toFillInBefore?: Date;
    id?: string;
    collectiveActionId?: string;
    /** An agenda (a period, the list to fill in), not one convocation or one person's: `agendaRows`. */
    agenda?: boolean;
  },
) {
  const conditions: (SQL | undefined)[] = [visiblePeople(scope)];
  if (filters.agenda) conditions.push(agendaRows(scope));
  if (filters.id) conditions.push(eq(convocation.id, filters.id));
  if (filters.collectiveActionId)
    conditions.push(eq(convocation.collectiveActionId, filters.collectiveActionId));
  if (filters.personId) conditions.push(eq(convocation.personId, filters.personId));
  if (filters.siteId) conditions.push(eq(convocation.siteId, filters.siteId));
  if (filters.from) conditions.push(gte(convocation.startsAt, filters.from));
  if (filters.to) conditions.push(lt(convocation.startsAt, filters.to));
  // `rules.ts#isToFillIn`: no status yet, or honoured with its visit not recorded.
  if (filters.toFillInBefore) {
    conditions.push(
      lt(convocation.startsAt, filters.toFillInBefore),
      or(
        eq(convocation.status, "planned"),
        and(
          eq(convocation.status, "honoured"),
          isNull(convocation.collectiveActionId),
          sql`not exists (select 1 from ${visit} where ${visit.convocationId} = ${convocation.id})`,
        ),
      ),
    );
  }
  return (
    db
      .select({
        convocation,
        personName: sql<string>`upper(${person.lastName}) || ' ' || ${person.firstName}`,
        siteName: site.name,
        // The detention rule's input: `messages` is decided in `toConvocationView` by `silenceReason`.
        detention: detentionColumns,
        bookedByName: user.displayName,
        editable: sql<boolean>`(${editablePeople(scope)})`.mapWith(Boolean),
        atOwnPermanence: sql<boolean>`(${atActorsPermanence(scope.actorUserId)})`.mapWith(Boolean),
        hasVisit:
          sql<boolean>`exists (select 1 from ${visit} where ${visit.convocationId} = ${convocation.id})`.mapWith(
            Boolean,
          ),
        // What the CPIP asked the counselor to prepare, by the catalogue's labels (the letter's words).
        demarchesToPrepare: sql<string[]>`(
        select coalesce(array_agg(dt.label order by dt.label), '{}')
        from ${demarcheType} dt where dt.id = any(${convocation.demarcheTypeIds}))`,
        // The convocation booked in place of this one (a report, ADR 0036): the same person's, so seen
        // by whoever sees this one.
        replacement: sql<{ id: string; startsAt: string } | null>`(
        select json_build_object('id', r.id, 'startsAt', ${isoTime(sql`r.starts_at`)})
        from ${convocation} r
        where r.rescheduled_from_id = ${convocation.id} and r.person_id = ${convocation.personId}
        order by r.created_at limit 1)`,
      })
      .from(convocation)
      .innerJoin(person, eq(person.id, convocation.personId))
      .innerJoin(site, eq(site.id, convocation.siteId))
      .innerJoin(user, eq(user.id, convocation.bookedBy))
      .where(and(...conditions))
      // Equal times by name then id: a row keeps its place when its status changes.
      .orderBy(asc(convocation.startsAt), asc(person.lastName), asc(person.firstName), asc(convocation.id))
      .limit(500)
  );
}

/**
 * For a counselor's agenda, each Paris day of [fromDay, toDay] with the sites where she holds a
 * permanence that day, not absent all day (`holdsPermanence`, the rule of her rows): the page says which days
 * she has none. Undefined when the actor's agenda is not a counselor's (`counselorOnlyStructures`).
 */
export async function permanenceDays(
  db: Db,
  scope: PeopleScope,
  window: { fromDay: string; toDay: string },
): Promise<{ day: string; sites: { id: string; name: string }[] }[] | undefined> {
  const structures = counselorOnlyStructures(scope);
  if (structures.length === 0) return undefined;
  const from = sql`(d.day::timestamp at time zone 'Europe/Paris')`;
  const to = sql`((d.day + 1)::timestamp at time zone 'Europe/Paris')`;
  return rowsOf<{ day: string; sites: { id: string; name: string }[] }>(
    db,
    sql`select d.day::text as day,
      coalesce(json_agg(json_build_object('id', s.id, 'name', s.name) order by s.name)
        filter (where s.id is not null), '[]'::json) as sites
    from (select g::date as day
      from generate_series(${window.fromDay}::date, ${window.toDay}::date, interval '1 day') g) d
    left join ${site} s on s.structure_id in (${sql.join(
      structures.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) and ${holdsPermanence(scope.actorUserId, { siteId: sql`s.id`, from, to })}
    group by d.day order by d.day`,
  );
}

type ConvocationRow = Awaited<ReturnType<typeof listConvocations>>[number];

/** The convocation as the API shows it, with what the actor may do. */
export function toConvocationView(row: ConvocationRow, now: Date, actor: Actor): ConvocationView {
  const c = row.convocation;
  const statusRight = maySetStatus(actor, c, row.editable, row.atOwnPermanence);
  // The outbox's own rule (notifications/reach.ts), contacts aside: whether messages reach the person, and why not.
  const silentBecause = silenceReason(c, row.detention);
  return {
    id: c.id,
    personId: c.personId,
    personName: row.personName,
    siteId: c.siteId,
    siteName: row.siteName,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    status: c.status,
    needDomains: c.needDomains as NeedDomain[],
    demarchesToPrepare: row.demarchesToPrepare,
    comment: c.comment,
    notifySms: c.notifySms,
    notifyEmail: c.notifyEmail,
    messages: silentBecause === null,
    silentBecause,
    bookedByName: row.bookedByName,
    toFillIn: isToFillIn(c, row.hasVisit, now),
    rescheduledFromId: c.rescheduledFromId,
    replacement: row.replacement ? { id: row.replacement.id, startsAt: row.replacement.startsAt } : null,
    hasVisit: row.hasVisit,
    arrivedAt: c.arrivedAt?.toISOString() ?? null,
    statusChangedAt: c.statusChangedAt?.toISOString() ?? null,
    permissions: {
      setStatus: c.status === "planned" && statusRight,
      reschedule: c.status === "planned" && row.editable,
      recordVisit:
        c.status === "honoured" &&
        !row.hasVisit &&
        mayRecordVisits(actor, c.structureId, hasRole(actor, "counselor", c.structureId)),
      correctStatus: statusRight && !row.hasVisit && correctionProblem(c.status, "planned", c, now) === null,
      arrive: statusRight && arrivalProblem(c.status, c.startsAt, now) === null,
    },
  };
}

/**
 * A person's convocations as the journal tells them (booked, honoured, cancelled...), oldest first,
 * as a JSON array of `{ at, action, reason, actorName, startsAt, siteName }` (people/fileReads.ts).
 */
export function convocationHistoryJson(personId: SQL): SQL {
  return sql`(select coalesce(json_agg(x.row order by x.n), '[]'::json) from (
    select row_number() over (order by a.at, a.id) as n, json_build_object(
      'at', ${isoTime(sql`a.at`)}, 'action', a.action, 'reason', a.reason, 'actorName', au.display_name,
      'convocationId', c.id, 'startsAt', ${isoTime(sql`c.starts_at`)}, 'siteName', s.name
    ) as row
    from audit_event a
    join convocation c on c.id::text = a.target_id
    join site s on s.id = c.site_id
    left join "user" au on au.id = a.actor_user_id
    where a.target_type = 'convocation' and c.person_id = ${personId} and a.outcome = 'success'
    order by a.at, a.id
    limit 1000) x)`;
}
