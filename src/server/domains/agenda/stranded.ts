import { and, asc, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import { parisDay } from "../../../common/calendar";
import { formatDateTime } from "../../../common/dateFormat";
import type { Db } from "../../db/createDb";
import { convocation, person, referent, site, user } from "../../db/schema";
import { loadSlotInput } from "./queries";
import { type Openings, strandedBookings } from "./ruleChange";

/** A planned convocation a change of the openings would leave without its slot. */
export interface StrandedConvocation {
  id: string;
  personId: string;
  startsAt: Date;
  siteName: string;
  personName: string;
  /** The person's referent CPIP, who reschedules it; null when the file has none. */
  counselorName: string | null;
}

/** "Karim Benali — vendredi 4 décembre 2026 à 10 h 00, Meaux (CPIP Claire Martin)". */
export function strandedLabel(c: StrandedConvocation): string {
  return `${c.personName} — ${formatDateTime(c.startsAt)}, ${c.siteName}${c.counselorName ? ` (CPIP ${c.counselorName})` : ""}`;
}

/**
 * The planned permanence convocations of the structure's sites (or of `siteIds`) in [from, to) that
 * the openings of the structure hold now and would not hold once `change` applied to them (ADR 0016:
 * the change is then refused and the direction reschedules them first). Call it under
 * `lockSiteRules(…, "exclusive")` of the sites concerned so no booking slips in after the check.
 */
export async function strandedConvocations(
  db: Db,
  input: {
    structureId: string;
    siteIds?: string[] | undefined;
    from: Date;
    to?: Date | undefined;
    change: (now: Openings) => Openings;
    /** The structure's département after the change, when it moves (other public holidays). */
    departement?: string | undefined;
  },
): Promise<StrandedConvocation[]> {
  const planned = await db
    .select({
      id: convocation.id,
      personId: convocation.personId,
      siteId: convocation.siteId,
      startsAt: convocation.startsAt,
      seat: convocation.seat,
      siteName: site.name,
      firstName: person.firstName,
      lastName: person.lastName,
      counselorName: user.displayName,
    })
    .from(convocation)
    .innerJoin(site, eq(site.id, convocation.siteId))
    .innerJoin(person, eq(person.id, convocation.personId))
    .leftJoin(referent, and(eq(referent.personId, person.id), isNull(referent.endedAt)))
    .leftJoin(user, eq(user.id, referent.userId))
    .where(
      and(
        eq(site.structureId, input.structureId),
        input.siteIds ? inArray(convocation.siteId, input.siteIds) : undefined,
        eq(convocation.status, "planned"),
        isNull(convocation.collectiveActionId),
        gte(convocation.startsAt, input.from),
        input.to ? lt(convocation.startsAt, input.to) : undefined,
      ),
    )
    .orderBy(asc(convocation.startsAt));
  if (planned.length === 0) return [];
  const slotInput = await loadSlotInput(db, {
    structureId: input.structureId,
    fromDay: parisDay(planned[0]!.startsAt),
    toDay: parisDay(planned[planned.length - 1]!.startsAt),
    now: new Date(0),
  });
  if (!slotInput) return [];
  const before: Openings = {
    rules: slotInput.rules,
    closures: slotInput.closures,
    absences: slotInput.absences,
  };
  const stranded = new Set(
    strandedBookings({
      before,
      after: input.change(before),
      bookings: planned,
      departement: slotInput.departement,
      departementAfter: input.departement,
    }).map((b) => b.id),
  );
  return planned
    .filter((c) => stranded.has(c.id))
    .map((c) => ({
      id: c.id,
      personId: c.personId,
      startsAt: c.startsAt,
      siteName: c.siteName,
      personName: `${c.firstName} ${c.lastName}`,
      counselorName: c.counselorName,
    }));
}
