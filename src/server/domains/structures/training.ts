import { and, asc, eq, gte, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { permanenceDay } from "../../../common/agenda/permanenceDay";
import { addDays } from "../../../common/calendar";
import { formatDate } from "../../../common/dateFormat";
import type { UntrainedInPools } from "../../../common/structures/structures.schema";
import { parisInstant } from "../../core/parisTime";
import type { Db } from "../../db/createDb";
import {
  counselorTraining,
  membership,
  openingRule,
  openingRuleCounselor,
  site,
  user,
} from "../../db/schema";
import { agentNameIn } from "./queries";

/**
 * The France services training of a structure's agents (ADR 0038): who stands in a permanence's pool
 * without it, and how many were trained on a day (the committee's figure).
 */

/**
 * "Meaux, chaque mardi de 09:00 à 12:30", with its bounds when it has some ("à partir du 13 juin
 * 2026", "jusqu'au 12 juin 2026"), or "Meaux, le 12 juin 2026 de 09:00 à 12:30".
 */
function permanenceWords(
  rule: {
    siteName: string;
    weekday: number | null;
    onDate: string | null;
    startTime: string;
    endTime: string;
    validFrom: string;
    validTo: string | null;
  },
  today: string,
): string {
  const words = `${rule.siteName}, ${permanenceDay(rule)} de ${rule.startTime} à ${rule.endTime}`;
  if (!rule.weekday) return words;
  const bounds = [
    rule.validFrom > today ? `à partir du ${formatDate(rule.validFrom)}` : "",
    rule.validTo ? `jusqu'au ${formatDate(rule.validTo)}` : "",
  ].filter(Boolean);
  return [words, ...bounds].join(", ");
}

/**
 * The current agents of the structure who stand in the pool of a permanence in force or to come
 * without a recorded training (never recorded, or removed): the direction's home lists them.
 */
export async function untrainedInPools(
  db: Db,
  structureId: string,
  today: string,
): Promise<UntrainedInPools> {
  const rows = await db
    .select({
      userId: user.id,
      displayName: agentNameIn(structureId),
      siteName: site.name,
      weekday: openingRule.weekday,
      onDate: openingRule.onDate,
      startTime: openingRule.startTime,
      endTime: openingRule.endTime,
      validFrom: openingRule.validFrom,
      validTo: openingRule.validTo,
    })
    .from(openingRuleCounselor)
    .innerJoin(openingRule, eq(openingRule.id, openingRuleCounselor.ruleId))
    .innerJoin(site, eq(site.id, openingRule.siteId))
    .innerJoin(user, eq(user.id, openingRuleCounselor.userId))
    .leftJoin(
      counselorTraining,
      and(
        eq(counselorTraining.structureId, openingRule.structureId),
        eq(counselorTraining.userId, openingRuleCounselor.userId),
      ),
    )
    .where(
      and(
        eq(openingRule.structureId, structureId),
        or(isNull(openingRule.validTo), gte(openingRule.validTo, today)),
        isNull(counselorTraining.userId),
        sql`exists (select 1 from ${membership} m where m.user_id = ${user.id} and m.structure_id = ${structureId}::uuid and m.ended_at is null)`,
      ),
    )
    .orderBy(
      asc(agentNameIn(structureId)),
      asc(site.name),
      asc(openingRule.weekday),
      asc(openingRule.onDate),
      asc(openingRule.startTime),
      asc(openingRule.validFrom),
    );
  const agents = new Map<string, UntrainedInPools["agents"][number]>();
  for (const row of rows) {
    const agent = agents.get(row.userId) ?? {
      userId: row.userId,
      displayName: row.displayName,
      permanences: [],
    };
    agent.permanences.push(permanenceWords(row, today));
    agents.set(row.userId, agent);
  }
  return { agents: [...agents.values()] };
}

/**
 * Agents of these structures trained on `day` (Europe/Paris): a training dated that day or before,
 * and a membership of the structure accepted by the end of that day and not ended by then. An agent
 * of two structures counts in each (the training is recorded by each direction).
 */
export async function trainedAgentsOn(db: Db, structureIds: string[], day: string): Promise<number> {
  if (structureIds.length === 0) return 0;
  const endOfDay = parisInstant(addDays(day, 1), "00:00");
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(counselorTraining)
    .where(
      and(
        inArray(counselorTraining.structureId, structureIds),
        lte(counselorTraining.trainedOn, day),
        sql`exists (${db
          .select({ one: sql`1` })
          .from(membership)
          .where(
            and(
              eq(membership.userId, counselorTraining.userId),
              eq(membership.structureId, counselorTraining.structureId),
              lt(membership.acceptedAt, endOfDay),
              or(isNull(membership.endedAt), gte(membership.endedAt, endOfDay)),
            ),
          )})`,
      ),
    );
  return row?.n ?? 0;
}
