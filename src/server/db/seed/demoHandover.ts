import { and, eq } from "drizzle-orm";
import { hashPassword } from "../../domains/identity/passwords";
import type { Db } from "../createDb";
import {
  handoverMeeting,
  handoverParticipant,
  measure,
  membership,
  needAssessment,
  person,
  referent,
  service,
  structure,
  transfer,
  user,
} from "../schema";
import { DEMO_PASSWORD } from "./demo";

const DAY = 86_400_000;
const shiftDays = (today: Date, n: number) => new Date(today.getTime() + n * DAY).toISOString().slice(0, 10);

/**
 * Handover and transfers in the demo (ADR 0029): the Essonne direction (answers transfers), two
 * detainees of the demo CPIP close to release — one with a handover meeting planned, one without —
 * a person whose transfer to the Essonne is waiting for an answer, and one to transfer.
 */
export async function seedHandoverDemo(db: Db, today: Date): Promise<void> {
  const [fs77] = await db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
  const [fs91] = await db.select().from(structure).where(eq(structure.labelNumber, "FS-91-012"));
  if (!fs77 || !fs91) return;
  const [spip91] = await db
    .select()
    .from(service)
    .where(and(eq(service.structureId, fs91.id), eq(service.kind, "spip")));
  const [spip77] = await db
    .select()
    .from(service)
    .where(and(eq(service.structureId, fs77.id), eq(service.kind, "spip")));
  const [direction91] = await db
    .insert(user)
    .values({
      email: "direction.essonne@demo.passerelle.fr",
      displayName: "Claire Morel",
      passwordHash: await hashPassword(DEMO_PASSWORD),
    })
    .returning();
  await db.insert(membership).values({
    userId: direction91!.id,
    structureId: fs91.id,
    role: "service_manager",
    serviceId: spip91!.id,
    acceptedAt: new Date(`${shiftDays(today, -200)}T09:00:00Z`),
  });
  const byEmail = async (email: string) => (await db.select().from(user).where(eq(user.email, email)))[0]!;
  const cpip = await byEmail("cpip@demo.passerelle.fr");
  const cpip2 = await byEmail("cpip2@demo.passerelle.fr");
  const counselor = await byEmail("conseiller@demo.passerelle.fr");
  const aPerson = async (p: {
    firstName: string;
    lastName: string;
    birthDate: string;
    status: "detenu" | "milieu_ouvert";
    release?: string;
    phone: string;
  }) => {
    const [row] = await db
      .insert(person)
      .values({
        structureId: fs77.id,
        firstName: p.firstName,
        lastName: p.lastName,
        birthDate: p.birthDate,
        phone: p.phone,
        status: p.status,
        expectedReleaseDate: p.release ?? null,
      })
      .returning();
    await db.insert(measure).values({
      personId: row!.id,
      type: p.status === "detenu" ? "detention" : "sursis_probatoire",
      startDate: shiftDays(today, -300),
      endDate: shiftDays(today, 400),
      offence: "Vol aggravé",
      court: "Tribunal judiciaire de Meaux",
      judgmentDate: shiftDays(today, -320),
    });
    await db.insert(referent).values({
      personId: row!.id,
      userId: cpip.id,
      serviceId: spip77!.id,
      startedAt: new Date(`${shiftDays(today, -280)}T09:00:00Z`),
    });
    return row!.id;
  };
  const needs = (personId: string, domains: string[]) =>
    db.insert(needAssessment).values(
      domains.map((domain) => ({
        structureId: fs77.id,
        personId,
        domain,
        hasNeed: true,
        priority: "high" as const,
        situation: "Évalué au quartier arrivants.",
        assessedAt: new Date(`${shiftDays(today, -20)}T09:00:00Z`),
        assessedBy: cpip.id,
      })),
    );

  const thomas = await aPerson({
    firstName: "Thomas",
    lastName: "Lambert",
    birthDate: "1994-03-12",
    status: "detenu",
    release: shiftDays(today, 12),
    phone: "+33611223344",
  });
  await needs(thomas, ["logement-hebergement", "sante", "acces-aux-droits"]);
  const [meeting] = await db
    .insert(handoverMeeting)
    .values({
      structureId: fs77.id,
      personId: thomas,
      targetStructureId: fs77.id,
      startsAt: new Date(`${shiftDays(today, 3)}T08:30:00Z`),
      durationMinutes: 60,
      placeText: "Centre pénitentiaire de Meaux-Chauconin, salle des audiences",
      releaseDate: shiftDays(today, 12),
      status: "planned",
      icsUid: `demo-handover-${thomas}@passerelle`,
      createdBy: cpip.id,
    })
    .returning();
  await db.insert(handoverParticipant).values([
    {
      meetingId: meeting!.id,
      userId: cpip2.id,
      name: cpip2.displayName,
      email: cpip2.email,
      roleLabel: "CPIP milieu ouvert",
    },
    {
      meetingId: meeting!.id,
      userId: counselor.id,
      name: counselor.displayName,
      email: counselor.email,
      roleLabel: "Conseiller France services",
    },
    {
      meetingId: meeting!.id,
      name: "Martine Lefort",
      email: "m.lefort@siao77.exemple.fr",
      roleLabel: "SIAO 77",
    },
  ]);

  const anthony = await aPerson({
    firstName: "Anthony",
    lastName: "Garcia",
    birthDate: "1989-11-02",
    status: "detenu",
    release: shiftDays(today, 9),
    phone: "+33622334455",
  });
  await needs(anthony, ["emploi", "acces-aux-droits"]);

  const sebastien = await aPerson({
    firstName: "Sébastien",
    lastName: "Roux",
    birthDate: "1979-07-23",
    status: "milieu_ouvert",
    phone: "+33633445566",
  });
  await needs(sebastien, ["logement-hebergement"]);
  await db.insert(transfer).values({
    personId: sebastien,
    fromStructureId: fs77.id,
    toStructureId: fs91.id,
    proposedBy: cpip.id,
    proposedAt: new Date(`${shiftDays(today, -2)}T10:00:00Z`),
    reason: "Déménagement à Évry-Courcouronnes, hébergé par sa sœur.",
    consentGiven: true,
    consentReference: "Accord écrit signé en entretien",
    status: "proposed",
  });

  await aPerson({
    firstName: "Lucas",
    lastName: "Fontaine",
    birthDate: "1991-05-17",
    status: "milieu_ouvert",
    phone: "+33644556677",
  });
}
