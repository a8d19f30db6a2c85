import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../createDb";
import {
  demarche,
  demarcheType,
  measure,
  needAssessment,
  openingRule,
  openingRuleCounselor,
  person,
  referent,
  service,
  site,
  siteAccessAuthorisation,
  structure,
  user,
} from "../schema";

function shiftDays(today: Date, days: number): string {
  const d = new Date(today);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Fictional detainees of the demo prison and SAS, released in 20, 60, 85 and 120 days. */
export const demoDetainees = [
  {
    firstName: "Rachid",
    lastName: "Amrani",
    birthDate: "1987-06-12",
    birthPlace: "Meaux",
    prisonNumber: "77-24-1183",
    releaseInDays: 20,
    releaseKind: "end_of_sentence",
    at: "prison",
    referent: "cpip@demo.passerelle.fr",
  },
  {
    firstName: "Kevin",
    lastName: "Morel",
    birthDate: "1995-03-28",
    birthPlace: "Chelles",
    prisonNumber: "77-25-0412",
    releaseInDays: 60,
    releaseKind: "sentence_adjustment",
    at: "prison",
    referent: "cpip@demo.passerelle.fr",
  },
  {
    firstName: "Nadia",
    lastName: "Belkacem",
    birthDate: "1990-11-04",
    birthPlace: "Torcy",
    prisonNumber: "77-25-0877",
    releaseInDays: 85,
    releaseKind: "sas_placement",
    at: "sas",
    referent: "cpip2@demo.passerelle.fr",
  },
  {
    firstName: "Bruno",
    lastName: "Caron",
    birthDate: "1972-01-19",
    birthPlace: "Lagny-sur-Marne",
    prisonNumber: "77-25-1290",
    releaseInDays: 120,
    releaseKind: "end_of_sentence",
    at: "prison",
    referent: "cpip@demo.passerelle.fr",
  },
] as const;

/** `seedHandoverDemo`'s detainees, released in 12 and 9 days, and their prison numbers. */
const handoverDetainees = [
  ["Lambert", "77-25-1302"],
  ["Garcia", "77-25-1317"],
] as const;

/**
 * Milieu fermé demo (ADR 0028): the Meaux-Chauconin prison and a SAS, a Thursday permanence in the
 * prison, access authorisations (one lapsing soon) and four detainees. Run at `npm start` after the
 * rest of the demo; the unit tests' template does not include it, so existing demo figures stay.
 */
export async function seedDemoDetention(db: Db, today: Date): Promise<void> {
  const [demo] = await db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
  if (!demo) throw new Error("demo structure missing");
  const accounts = await db.select({ id: user.id, email: user.email }).from(user);
  const userId = (email: string): string => accounts.find((a) => a.email === email)?.id as string;
  const [spip] = await db.select().from(service).where(eq(service.kind, "spip"));
  const director = userId("direction@demo.passerelle.fr");
  const [prison, sas] = await db
    .insert(site)
    .values([
      {
        structureId: demo.id,
        name: "Centre pénitentiaire de Meaux-Chauconin",
        kind: "prison" as const,
        address: "Centre pénitentiaire, avenue Salvador Allende, 77100 Meaux",
        accessInstructions: "Salle des permanences, bâtiment socio-éducatif, premier étage.",
      },
      {
        structureId: demo.id,
        name: "SAS de Meaux",
        kind: "sas" as const,
        address: "Structure d'accompagnement vers la sortie, rue Frédéric Chopin, 77100 Meaux",
        accessInstructions: "Bureau des intervenants, rez-de-chaussée.",
        capacity: 60,
      },
    ])
    .returning();
  if (!prison || !sas) throw new Error("detention sites not inserted");
  // The handover demo's detainees (seeded earlier, before the prison existed) are held there too.
  for (const [lastName, prisonNumber] of handoverDetainees) {
    await db
      .update(person)
      .set({ detentionSiteId: prison.id, prisonNumber, address: prison.address })
      .where(
        and(
          eq(person.structureId, demo.id),
          eq(person.lastName, lastName),
          eq(person.status, "detenu"),
          isNull(person.detentionSiteId),
        ),
      );
  }
  const ines = userId("conseiller@demo.passerelle.fr");
  const camille = userId("cpip@demo.passerelle.fr");
  const nicolas = userId("cpip2@demo.passerelle.fr");
  const [rule] = await db
    .insert(openingRule)
    .values({
      structureId: demo.id,
      siteId: prison.id,
      weekday: 4,
      startTime: "09:00",
      endTime: "12:00",
      slotMinutes: 45,
      bufferMinutes: 15,
      validFrom: shiftDays(today, -30),
    })
    .returning({ id: openingRule.id });
  await db.insert(openingRuleCounselor).values({ ruleId: rule!.id, userId: ines });
  await db.insert(siteAccessAuthorisation).values(
    [
      { siteId: prison.id, userId: ines, reference: "CP77-AUT-2026-014", validUntil: shiftDays(today, 240) },
      {
        siteId: prison.id,
        userId: camille,
        reference: "CP77-AUT-2026-021",
        validUntil: shiftDays(today, 300),
      },
      {
        siteId: prison.id,
        userId: nicolas,
        reference: "CP77-AUT-2025-187",
        validUntil: shiftDays(today, 200),
      },
      // Lapses within the alert delay: Nicolas sees it on his home and gets one e-mail.
      { siteId: sas.id, userId: nicolas, reference: "SAS77-2025-009", validUntil: shiftDays(today, 20) },
    ].map((a) => ({ ...a, structureId: demo.id, createdBy: director })),
  );

  const [cni] = await db.select().from(demarcheType).where(eq(demarcheType.code, "ants-cni-passeport"));
  for (const d of demoDetainees) {
    const held = d.at === "prison" ? prison : sas;
    const [created] = await db
      .insert(person)
      .values({
        structureId: demo.id,
        firstName: d.firstName,
        lastName: d.lastName,
        birthDate: d.birthDate,
        birthPlace: d.birthPlace,
        status: "detenu",
        address: held.address,
        detentionSiteId: held.id,
        prisonNumber: d.prisonNumber,
        expectedReleaseDate: shiftDays(today, d.releaseInDays),
        releaseKind: d.releaseKind,
      })
      .returning({ id: person.id });
    const personId = created!.id;
    await db.insert(measure).values({
      personId,
      type: "detention",
      startDate: shiftDays(today, -400),
      endDate: shiftDays(today, d.releaseInDays),
      offence: "Vol avec violence",
      court: "Tribunal judiciaire de Meaux",
      judgmentDate: shiftDays(today, -430),
    });
    await db.insert(referent).values({
      personId,
      userId: userId(d.referent),
      serviceId: spip!.id,
      startedAt: new Date(`${shiftDays(today, -400)}T09:00:00Z`),
    });
    // The seeds' identity-card difficulty: no valid identity card, no address to apply from.
    await db.insert(needAssessment).values([
      {
        structureId: demo.id,
        personId,
        domain: "acces-aux-droits",
        hasNeed: true,
        priority: "high" as const,
        situation: "Carte d'identité périmée, pas de justificatif de domicile",
        assessedAt: new Date(`${shiftDays(today, -40)}T10:00:00Z`),
        assessedBy: ines,
      },
      {
        structureId: demo.id,
        personId,
        domain: "logement-hebergement",
        hasNeed: true,
        priority: "medium" as const,
        assessedAt: new Date(`${shiftDays(today, -40)}T10:00:00Z`),
        assessedBy: ines,
      },
    ]);
    if (d.releaseInDays === 20 && cni) {
      await db.insert(demarche).values({
        structureId: demo.id,
        personId,
        demarcheTypeId: cni.id,
        siteId: prison.id,
        helpLevel: "done_for",
        status: "submitted",
        nextStep: "Rendez-vous en mairie de Meaux à fixer avec l'établissement",
        dueDate: shiftDays(today, -5),
        createdBy: ines,
        createdAt: new Date(`${shiftDays(today, -30)}T10:00:00Z`),
      });
    }
  }
}
