/**
 * Aged files for the retention page (ADR 0024): fictional people of the demo structure whose
 * measure ended long ago, with their activity back then, so that `npm start` shows what the next
 * purge archives and erases — and that the dashboard's past months keep their figures after it.
 * - 5 files whose measure ended 14 months ago, no activity since: archived at the next run;
 * - 3 files archived 8 months ago (measure ended 26 months ago): erased at the next run;
 * - 1 file whose measure ended 14 months ago but with a note 2 months ago: kept.
 */
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../createDb";
import { measure, membership, note, person, referent, service, user } from "../schema";
import { generateActivity } from "./activity";
import { alignStatusWithMeasure, insertFictionalPeople } from "./fictional";

const DAY = 86_400_000;
const monthsAgo = (today: Date, months: number) =>
  new Date(today.getTime() - Math.round(months * 30.44) * DAY);
const day = (at: Date) => at.toISOString().slice(0, 10);

export interface AgedFiles {
  toArchive: string[];
  toErase: string[];
  kept: string[];
}

async function age(db: Db, ids: string[], today: Date, createdMonthsAgo: number, endedMonthsAgo: number) {
  const created = monthsAgo(today, createdMonthsAgo);
  await db.update(person).set({ createdAt: created }).where(inArray(person.id, ids));
  await db
    .update(measure)
    .set({
      startDate: day(created),
      endDate: day(monthsAgo(today, endedMonthsAgo)),
      judgmentDate: day(created),
    })
    .where(inArray(measure.personId, ids));
  await db.update(referent).set({ startedAt: created }).where(inArray(referent.personId, ids));
  // A libération conditionnelle that began two years ago: no longer "sortant de détention".
  await alignStatusWithMeasure(db, ids, today);
}

async function historyOf(db: Db, ids: string[], today: Date, fromMonthsAgo: number, untilMonthsAgo: number) {
  await generateActivity(db, {
    people: { personIds: ids },
    from: monthsAgo(today, fromMonthsAgo),
    until: monthsAgo(today, untilMonthsAgo),
    now: today,
    seed: `aged-${fromMonthsAgo}`,
    convocationsPerPerson: 3,
  });
}

export async function seedAgedFiles(db: Db, structureId: string, today: Date): Promise<AgedFiles> {
  const ids = await insertFictionalPeople(db, [{ structureId, count: 9 }], { seed: 2024, today });
  const files: AgedFiles = { toArchive: ids.slice(0, 5), toErase: ids.slice(5, 8), kept: ids.slice(8) };
  await age(db, [...files.toArchive, ...files.kept], today, 26, 14);
  await age(db, files.toErase, today, 40, 26);
  await historyOf(db, [...files.toArchive, ...files.kept], today, 22, 15);
  await historyOf(db, files.toErase, today, 34, 27);
  await db
    .update(person)
    .set({ archivedAt: monthsAgo(today, 8) })
    .where(inArray(person.id, files.toErase));
  const [author] = await db
    .select({ userId: user.id, serviceId: service.id })
    .from(user)
    .innerJoin(membership, eq(membership.userId, user.id))
    .innerJoin(service, eq(service.id, membership.serviceId))
    .where(sql`${membership.structureId} = ${structureId} and ${membership.role} = 'probation_officer'`)
    .limit(1);
  if (author) {
    await db.insert(note).values(
      files.kept.map((personId) => ({
        structureId,
        personId,
        authorUserId: author.userId,
        authorServiceId: author.serviceId,
        visibility: "service" as const,
        body: "A appelé pour une attestation de fin de mesure.",
        createdAt: monthsAgo(today, 2),
      })),
    );
  }
  return files;
}
