import { and, asc, eq, gte, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { convocationStatusLabels } from "../../../../common/agenda/agenda.schema";
import { addDays, isoWeekday } from "../../../../common/calendar";
import { formatLongDate } from "../../../../common/dateFormat";
import { isDetentionSiteKind, type MovementsList } from "../../../../common/detention/detention.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import { hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { parisInstant } from "../../../core/parisTime";
import type { Db } from "../../../db/createDb";
import {
  convocation,
  openingRule,
  openingRuleCounselor,
  person,
  site,
  structure,
  user,
} from "../../../db/schema";
import { peopleTarget } from "../../audit/JournalNominativeRead";
import { type MovementLine, type MovementsData, renderMovements } from "../movements";

/** The counselors of the permanences open at the site on that day, by opening time. */
async function poolsOfDay(db: Db, siteId: string, day: string) {
  const rows = await db
    .select({ startTime: openingRule.startTime, endTime: openingRule.endTime, name: user.displayName })
    .from(openingRule)
    .innerJoin(openingRuleCounselor, eq(openingRuleCounselor.ruleId, openingRule.id))
    .innerJoin(user, eq(user.id, openingRuleCounselor.userId))
    .where(
      and(
        eq(openingRule.siteId, siteId),
        lte(openingRule.validFrom, day),
        or(isNull(openingRule.validTo), gte(openingRule.validTo, day)),
        or(eq(openingRule.weekday, isoWeekday(day)), eq(openingRule.onDate, day)),
      ),
    );
  return rows;
}

/**
 * The movements list of a prison or SAS site for a Paris day, printed by a CPIP or the direction
 * for the establishment's staff: every person convoked there that day (not cancelled), with the
 * prison number. Journaled with the people it names.
 */
export async function getMovements(
  deps: Deps,
  ctx: RequestContext,
  siteId: string,
  day: string,
): Promise<Buffer> {
  return renderMovements(await readMovements(deps, ctx, siteId, day, "detention.movements_printed"));
}

/** The same list on screen (the page "Milieu fermé"), journaled as a read of the people it names. */
export async function listMovements(
  deps: Deps,
  ctx: RequestContext,
  siteId: string,
  day: string,
): Promise<MovementsList> {
  const data = await readMovements(deps, ctx, siteId, day, "detention.movements_read");
  return {
    siteName: data.siteName,
    day: data.day,
    lines: data.lines.map(({ startsAt, ...line }) => ({ ...line, startsAt: startsAt.toISOString() })),
  };
}

async function readMovements(
  deps: Deps,
  ctx: RequestContext,
  siteId: string,
  day: string,
  action: "detention.movements_printed" | "detention.movements_read",
): Promise<Omit<MovementsData, "lines"> & { lines: (MovementLine & { personId: string })[] }> {
  return deps.db.transaction(async (tx) => {
    const [place] = await tx
      .select({ site, structureName: structure.name })
      .from(site)
      .innerJoin(structure, eq(structure.id, site.structureId))
      .where(eq(site.id, siteId));
    const structureId = place?.site.structureId;
    const allowed =
      structureId !== undefined &&
      (hasRole(ctx.actor, "probation_officer", structureId) ||
        hasRole(ctx.actor, "service_manager", structureId));
    if (!place || !allowed) throw errors.detention.siteNotFound();
    if (!isDetentionSiteKind(place.site.kind)) throw errors.detention.siteNotDetention("params.siteId");
    const rows = await tx
      .select({
        id: convocation.id,
        personId: person.id,
        startsAt: convocation.startsAt,
        status: convocation.status,
        firstName: person.firstName,
        lastName: person.lastName,
        prisonNumber: person.prisonNumber,
      })
      .from(convocation)
      .innerJoin(person, eq(person.id, convocation.personId))
      .where(
        and(
          eq(convocation.siteId, siteId),
          gte(convocation.startsAt, parisInstant(day, "00:00")),
          lt(convocation.startsAt, parisInstant(addDays(day, 1), "00:00")),
          inArray(convocation.status, ["planned", "honoured", "missed"]),
          isNull(person.erasedAt),
        ),
      )
      .orderBy(asc(convocation.startsAt), sql`${person.lastName}`);
    const pools = await poolsOfDay(tx, siteId, day);
    const time = (d: Date): string =>
      d.toLocaleTimeString("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });
    const lines = rows.map((r) => {
      const at = time(r.startsAt);
      const agents = [
        ...new Set(pools.filter((p) => p.startTime <= at && at < p.endTime).map((p) => p.name)),
      ];
      return {
        personId: r.personId,
        startsAt: r.startsAt,
        personName: `${r.lastName.toUpperCase()} ${r.firstName}`,
        prisonNumber: r.prisonNumber ?? "",
        place: [place.site.name, place.site.accessInstructions].filter(Boolean).join(" — "),
        agents: agents.join(", "),
        status: convocationStatusLabels[r.status],
      };
    });
    const target = peopleTarget(rows.map((r) => r.personId));
    await journalFor(tx, ctx, {
      action,
      targetType: rows.length > 0 ? "person" : "site",
      targetId: rows.length > 0 ? target.targetId : siteId,
      structureId: place.site.structureId,
      reason: [`mouvements du ${formatLongDate(day)} à ${place.site.name}`, ...target.counts].join(", "),
    });
    const [printer] = await tx
      .select({ name: user.displayName })
      .from(user)
      .where(eq(user.id, ctx.actor.userId));
    return {
      structureName: place.structureName,
      siteName: place.site.name,
      siteAddress: place.site.address,
      day,
      printedBy: printer?.name ?? "",
      printedAt: ctx.clock.now(),
      lines,
    };
  });
}
