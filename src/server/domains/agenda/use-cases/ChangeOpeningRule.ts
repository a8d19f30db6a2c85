import { and, asc, eq, gte, inArray, isNull, or } from "drizzle-orm";
import type { ChangeRuleBody } from "../../../../common/agenda/agenda.schema";
import { addDays, parisDay } from "../../../../common/calendar";
import { formatDate, formatDateTime } from "../../../../common/dateFormat";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { convocation, openingRule, openingRuleCounselor, structure } from "../../../db/schema";
import { assertSiteAccess } from "../../detention/queries";
import { counselorsAmong } from "../openings";
import { assertManagesOpenings } from "../policies";
import { lockSiteRules, rulesWithPools } from "../queries";
import { splitRule, strandedBookings } from "../ruleChange";
import { type OpeningRule, parisInstant } from "../rules";

/** The site's weekly and one-off rules in force from a day on, with their counselors. */
async function siteRulesFrom(tx: Deps["db"], siteId: string, fromDay: string): Promise<OpeningRule[]> {
  return rulesWithPools(
    tx,
    and(eq(openingRule.siteId, siteId), or(isNull(openingRule.validTo), gte(openingRule.validTo, fromDay))),
  );
}

/** Whether `old` already ends the day before `effectiveFrom` and a rule from that day is the one asked. */
function alreadyChanged(
  old: { validTo: string | null },
  rules: OpeningRule[],
  effectiveFrom: string,
  asked: Omit<ChangeRuleBody, "effectiveFrom">,
): boolean {
  if (old.validTo !== addDays(effectiveFrom, -1)) return false;
  const pool = [...asked.counselorIds].sort().join();
  return rules.some(
    (r) =>
      r.validFrom === effectiveFrom &&
      r.weekday === asked.weekday &&
      r.startTime === asked.startTime &&
      r.endTime === asked.endTime &&
      r.slotMinutes === asked.slotMinutes &&
      r.bufferMinutes === asked.bufferMinutes &&
      r.validTo === asked.validTo &&
      [...r.counselorIds].sort().join() === pool,
  );
}

/**
 * Changes a weekly permanence from a day on, in one transaction: the rule ends the day before (past
 * days and their convocations are untouched), a new rule with the new hours, slots and counselors
 * starts that day. Refused (409, each listed) when planned convocations from that day on, held by
 * the openings before, would fall outside them after. Journaled.
 */
export async function changeOpeningRule(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; ruleId: string; body: ChangeRuleBody },
): Promise<void> {
  assertManagesOpenings(ctx.actor, input.structureId);
  const { effectiveFrom, counselorIds, ...changes } = input.body;
  const today = parisDay(ctx.clock.now());
  await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ rule: openingRule, departement: structure.departement })
      .from(openingRule)
      .innerJoin(structure, eq(structure.id, openingRule.structureId))
      .where(and(eq(openingRule.id, input.ruleId), eq(openingRule.structureId, input.structureId)));
    if (!found) throw errors.convocation.ruleNotFound();
    const old = found.rule;
    if (old.weekday === null) throw errors.convocation.ruleNotWeekly();
    if (effectiveFrom < today || effectiveFrom < old.validFrom) throw errors.convocation.ruleChangeInPast();
    const pool = [...new Set(counselorIds)];
    if ((await counselorsAmong(tx, input.structureId, pool)).length !== pool.length)
      throw errors.convocation.notACounselor();
    for (const userId of pool) await assertSiteAccess(tx, { siteId: old.siteId, userId, day: effectiveFrom });
    // Bookings of this site wait for the change: none slips in between the check and the write.
    await lockSiteRules(tx, old.siteId, "exclusive");
    const before = await siteRulesFrom(tx, old.siteId, effectiveFrom);
    // Read again under the lock: a change of the same rule may have ended it meanwhile.
    const current = before.find((r) => r.id === old.id);
    if (!current || (current.validTo !== null && effectiveFrom > current.validTo)) {
      // The same change sent again (a retry after a lost answer, a double click: ADR 0036) finds it
      // done: the rule ends the day before, its replacement starts that day as asked. Answered as the first.
      // `old` was read before the lock: its end is read again.
      const [fresh] = await tx
        .select({ validTo: openingRule.validTo })
        .from(openingRule)
        .where(eq(openingRule.id, old.id));
      if (alreadyChanged(fresh!, before, effectiveFrom, { ...changes, counselorIds: pool })) return;
      throw errors.convocation.ruleChangeInPast();
    }
    const { ended, replacement } = splitRule(current, effectiveFrom, { ...changes, counselorIds: pool });
    const after = [...before.filter((r) => r.id !== old.id), ended, replacement];
    const booked = await tx
      .select({
        id: convocation.id,
        siteId: convocation.siteId,
        startsAt: convocation.startsAt,
        seat: convocation.seat,
      })
      .from(convocation)
      .where(
        and(
          eq(convocation.siteId, old.siteId),
          inArray(convocation.status, ["planned"]),
          gte(convocation.startsAt, parisInstant(effectiveFrom, "00:00")),
        ),
      )
      .orderBy(asc(convocation.startsAt));
    const stranded = strandedBookings({ before, after, bookings: booked, departement: found.departement });
    if (stranded.length > 0)
      throw errors.convocation.ruleChangeStrandsBookings(stranded.map((b) => formatDateTime(b.startsAt)));
    await tx
      .update(openingRule)
      .set({ validTo: addDays(effectiveFrom, -1) })
      .where(eq(openingRule.id, old.id));
    const [created] = await tx
      .insert(openingRule)
      .values({
        structureId: input.structureId,
        siteId: old.siteId,
        weekday: changes.weekday,
        onDate: null,
        startTime: changes.startTime,
        endTime: changes.endTime,
        slotMinutes: changes.slotMinutes,
        bufferMinutes: changes.bufferMinutes,
        validFrom: effectiveFrom,
        validTo: changes.validTo,
      })
      .returning({ id: openingRule.id });
    await tx.insert(openingRuleCounselor).values(pool.map((userId) => ({ ruleId: created!.id, userId })));
    await journalFor(tx, ctx, {
      action: "opening_rule.changed",
      targetType: "opening_rule",
      targetId: old.id,
      structureId: input.structureId,
      reason: `à partir du ${formatDate(effectiveFrom)}`,
    });
  });
}
