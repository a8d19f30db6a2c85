import { and, asc, desc, eq, gte, inArray, isNull, lt, or } from "drizzle-orm";
import { type Openings, PAST_PERIODS_DAYS } from "../../../common/agenda/agenda.schema";
import { byFrench } from "../../../common/frenchOrder";
import type { Db } from "../../db/createDb";
import {
  counselorAbsence,
  counselorTraining,
  membership,
  openingRule,
  openingRuleCounselor,
  site,
  siteClosure,
  user,
} from "../../db/schema";
import { agentNameIn } from "../structures/queries";
import { ruleFields } from "./queries";
import { parisDay, parisMidnight, weeklyOpeningMinutes } from "./rules";

/** Rules still in force or to come, upcoming closures and absences, and the structure's counselors. */
export async function loadOpenings(db: Db, structureId: string, now: Date): Promise<Openings> {
  const today = parisDay(now);
  const [ruleRows, counselors, sites] = await Promise.all([
    db
      .select({
        rule: openingRule,
        siteName: site.name,
        counselorId: user.id,
        counselorName: agentNameIn(structureId),
      })
      .from(openingRule)
      .innerJoin(site, eq(site.id, openingRule.siteId))
      .leftJoin(openingRuleCounselor, eq(openingRuleCounselor.ruleId, openingRule.id))
      .leftJoin(user, eq(user.id, openingRuleCounselor.userId))
      .where(
        and(
          eq(openingRule.structureId, structureId),
          or(isNull(openingRule.validTo), gte(openingRule.validTo, today)),
        ),
      )
      .orderBy(asc(site.name), asc(openingRule.weekday), asc(openingRule.onDate), asc(openingRule.startTime)),
    db
      .selectDistinct({ id: user.id, name: agentNameIn(structureId), trainedOn: counselorTraining.trainedOn })
      .from(membership)
      .innerJoin(user, eq(user.id, membership.userId))
      .leftJoin(
        counselorTraining,
        and(eq(counselorTraining.structureId, structureId), eq(counselorTraining.userId, user.id)),
      )
      .where(
        and(
          eq(membership.structureId, structureId),
          eq(membership.role, "counselor"),
          isNull(membership.endedAt),
          isNull(user.disabledAt),
        ),
      )
      // By the name shown: the order says nothing of a pending invitation's own name (ADR 0009).
      .then((rows) => rows.sort((x, y) => byFrench(x.name, y.name))),
    db.select({ id: site.id, name: site.name }).from(site).where(eq(site.structureId, structureId)),
  ]);
  const rules = new Map<string, Openings["rules"][number]>();
  for (const { rule, siteName, counselorId, counselorName } of ruleRows) {
    const entry = rules.get(rule.id) ?? { ...ruleFields(rule), siteName, counselors: [] };
    if (counselorId && counselorName) entry.counselors.push({ id: counselorId, name: counselorName });
    rules.set(rule.id, entry);
  }
  const siteIds = sites.map((s) => s.id);
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  // Over (ended before now) within the last three months, listed apart so they can be removed.
  const since = new Date(now.getTime() - PAST_PERIODS_DAYS * 86_400_000);
  const closuresWhen = (over: boolean) =>
    db
      .select()
      .from(siteClosure)
      .where(
        and(
          inArray(siteClosure.siteId, siteIds),
          over
            ? and(lt(siteClosure.endsAt, now), gte(siteClosure.endsAt, since))
            : gte(siteClosure.endsAt, now),
        ),
      )
      .orderBy(over ? desc(siteClosure.startsAt) : asc(siteClosure.startsAt));
  const absencesWhen = (over: boolean) =>
    db
      .select({ absence: counselorAbsence, name: agentNameIn(structureId) })
      .from(counselorAbsence)
      .innerJoin(user, eq(user.id, counselorAbsence.userId))
      .where(
        and(
          inArray(
            counselorAbsence.userId,
            counselors.map((c) => c.id),
          ),
          over
            ? and(lt(counselorAbsence.endsAt, now), gte(counselorAbsence.endsAt, since))
            : gte(counselorAbsence.endsAt, now),
        ),
      )
      .orderBy(over ? desc(counselorAbsence.startsAt) : asc(counselorAbsence.startsAt));
  const [closures, absences, pastClosures, pastAbsences] = await Promise.all([
    closuresWhen(false),
    absencesWhen(false),
    closuresWhen(true),
    absencesWhen(true),
  ]);
  const ruleList = [...rules.values()];
  // Judged by the server's clock, as the lift itself is (ConfigureOpenings.ts#liftPeriod).
  const midnight = parisMidnight(now);
  const started = (startsAt: Date) => startsAt < midnight;
  const closureView = (c: typeof siteClosure.$inferSelect) => ({
    id: c.id,
    label: siteName.get(c.siteId) ?? "",
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    reason: c.reason,
    started: started(c.startsAt),
  });
  const absenceView = ({ absence, name }: (typeof absences)[number]) => ({
    id: absence.id,
    label: name,
    startsAt: absence.startsAt.toISOString(),
    endsAt: absence.endsAt.toISOString(),
    reason: absence.reason,
    started: started(absence.startsAt),
  });
  return {
    rules: ruleList,
    closures: closures.map(closureView),
    absences: absences.map(absenceView),
    pastClosures: pastClosures.map(closureView),
    pastAbsences: pastAbsences.map(absenceView),
    counselors,
    weeklyOpeningMinutes: weeklyOpeningMinutes(
      ruleList.map((r) => ({ ...r, counselorIds: r.counselors.map((c) => c.id) })),
      today,
    ),
  };
}

/** The counselors among these users, in the structure. */
export async function counselorsAmong(db: Db, structureId: string, userIds: string[]): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: membership.userId })
    .from(membership)
    .where(
      and(
        eq(membership.structureId, structureId),
        eq(membership.role, "counselor"),
        isNull(membership.endedAt),
        inArray(membership.userId, userIds),
      ),
    );
  return rows.map((r) => r.id);
}
