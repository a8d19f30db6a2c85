import { and, eq, inArray } from "drizzle-orm";
import { addDays, isoWeekday, parisDay } from "../../../common/calendar";
import { parisInstant } from "../../core/parisTime";
import type { Db } from "../createDb";
import { convocation, person, referent, site, user, visit } from "../schema";

/** Inès Moreau's permanences in the demo (seedDemo): Monday, Tuesday, Wednesday mornings. */
const INES_SITES: Record<number, string> = { 1: "Fontainebleau", 2: "Meaux", 3: "La Rochette" };

/**
 * The last day, at least `daysAgo` days before `today` (Paris), on which Inès holds a permanence,
 * and its site. Its morning opening starts at 09:00, with a slot every hour.
 */
export function lastPermanenceDay(today: Date, daysAgo: number): { day: string; siteName: string } {
  let day = addDays(parisDay(today), -daysAgo);
  while (!INES_SITES[isoWeekday(day)]) day = addDays(day, -1);
  return { day, siteName: INES_SITES[isoWeekday(day)]! };
}

/** Karim came to a permanence at least this many days ago: his documents were filed at that visit. */
export const KARIM_VISIT_DAYS_AGO = 6;

/**
 * Why this exists: a counselor sees only the people convoked in their structure (DESIGN §2, ADR 0009
 * addendum). The named demo people whose files the counselor account (Inès Moreau) opens in the demo
 * and in the journeys each came once to one of her permanences, honoured, with the visit recorded
 * and nothing else (no démarche, no need, no suggestion): the journeys start their files from there.
 * - Karim Benali, on the day she photographed his identity card and filed his proof (demoDocuments);
 * - Sandrine Lemoine, three weeks ago (before the CPIP home's two weeks of news);
 * - Régine Chérif, a week after her release (her conditional release started 15 days ago).
 * The other named people were never convoked: the counselor does not see them, their CPIP does.
 */
export async function seedNamedVisits(db: Db, structureId: string, today: Date): Promise<void> {
  const [ines] = await db
    .select({ id: user.id })
    .from(user)
    .where(eq(user.email, "conseiller@demo.passerelle.fr"));
  if (!ines) return;
  const sites = await db
    .select({ id: site.id, name: site.name })
    .from(site)
    .where(eq(site.structureId, structureId));
  const visits = [
    { firstName: "Karim", lastName: "Benali", daysAgo: KARIM_VISIT_DAYS_AGO, time: "10:00", minutes: 40 },
    { firstName: "Sandrine", lastName: "Lemoine", daysAgo: 21, time: "11:00", minutes: 30 },
    { firstName: "Régine", lastName: "Chérif", daysAgo: 8, time: "09:00", minutes: 45 },
  ];
  const people = await db
    .select({ id: person.id, firstName: person.firstName, bookedBy: referent.userId })
    .from(person)
    .innerJoin(referent, eq(referent.personId, person.id))
    .where(
      and(
        eq(person.structureId, structureId),
        inArray(
          person.lastName,
          visits.map((v) => v.lastName),
        ),
      ),
    );
  for (const v of visits) {
    const who = people.find((p) => p.firstName === v.firstName);
    const { day, siteName } = lastPermanenceDay(today, v.daysAgo);
    const siteId = sites.find((s) => s.name === siteName)?.id;
    if (!who || !siteId) continue;
    const startsAt = parisInstant(day, v.time);
    const [booked] = await db
      .insert(convocation)
      .values({
        structureId,
        siteId,
        personId: who.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 45 * 60_000),
        seat: 1,
        status: "honoured",
        needDomains: ["acces-aux-droits"],
        notifySms: false,
        notifyEmail: false,
        bookedBy: who.bookedBy,
        createdAt: new Date(startsAt.getTime() - 14 * 86_400_000),
        arrivedAt: new Date(startsAt.getTime() - 5 * 60_000),
        statusChangedAt: new Date(startsAt.getTime() + 5 * 60_000),
        statusChangedBy: ines.id,
      })
      .returning({ id: convocation.id });
    await db.insert(visit).values({
      structureId,
      personId: who.id,
      convocationId: booked!.id,
      siteId,
      counselorUserId: ines.id,
      startedAt: startsAt,
      durationMinutes: v.minutes,
      autonomy: "guided",
      createdAt: new Date(startsAt.getTime() + (v.minutes + 5) * 60_000),
    });
  }
}
