import { eq, inArray } from "drizzle-orm";
import type { Db } from "../createDb";
import { consent, orientation, structure, user } from "../schema";
import { generateActivity } from "./activity";
import { seedAgedFiles } from "./demoAged";
import { seedDemoDocuments } from "./demoDocuments";
import { seedHandoverDemo } from "./demoHandover";
import { seedNamedVisits } from "./demoNamedVisits";
import { seedDemoNewsletter } from "./demoNewsletter";
import { seedSecondTerritory } from "./demoTerritory";
import { insertFictionalPeople } from "./fictional";

const DAY = 86_400_000;

/**
 * Six months of past activity for the demo structure, so the steering dashboard has something to
 * show: about sixty fictional people (the seeds' first three months: "60 people, 160 démarches"),
 * their convocations, visits, démarches, needs and orientations. The named demo people's files start
 * almost empty: three of them came once to a permanence, so that the counselor sees them
 * (demoNamedVisits).
 */
export async function seedDemoActivity(db: Db, today: Date): Promise<void> {
  const [demo] = await db
    .select({ id: structure.id })
    .from(structure)
    .where(eq(structure.labelNumber, "FS-77-035"));
  if (!demo) throw new Error("demo structure missing");
  const personIds = await insertFictionalPeople(db, [{ structureId: demo.id, count: 60 }], {
    seed: 77,
    today,
  });
  await generateActivity(db, {
    people: { personIds },
    from: new Date(today.getTime() - 182 * DAY),
    until: new Date(today.getTime() - DAY),
    now: today,
    seed: "demo-77",
    convocationsPerPerson: 3,
  });
  await seedMediationInbox(db, demo.id, personIds.slice(0, 4), today);
  // Files whose measure ended long ago: the retention page has something to archive and erase.
  await seedAgedFiles(db, demo.id, today);
  // A second territory read by the demo steering account: the steering page compares them.
  await seedSecondTerritory(db, today);
  // Handover meetings and transfers (ADR 0029): detainees close to release, a transfer to answer.
  await seedHandoverDemo(db, today);
  // Counselors see only the people convoked in their structure: the named people the counselor
  // meets in the demo came once to a permanence (before Karim's documents, filed at his visit).
  await seedNamedVisits(db, demo.id, today);
  // Documents on Karim's file and one shared with the CAF's referent (ADR 0027).
  await seedDemoDocuments(db, demo.id, today);
  // The partners' newsletter: directory contacts, a convention, a forum, a first issue (ADR 0032).
  await seedDemoNewsletter(db, demo.id, today);
}

/**
 * The association's mediation has reorientations to answer (ADR 0020): four people who agreed to
 * share with the association, three reorientations sent in the last two weeks, one accepted.
 */
async function seedMediationInbox(db: Db, structureId: string, people: string[], today: Date): Promise<void> {
  const agents = await db
    .select({ id: user.id, email: user.email })
    .from(user)
    .where(inArray(user.email, ["conseiller@demo.passerelle.fr", "mediation@demo.passerelle.fr"]));
  const counselor = agents.find((a) => a.email.startsWith("conseiller"))?.id;
  const mediator = agents.find((a) => a.email.startsWith("mediation"))?.id;
  if (!counselor || !mediator) return;
  const at = (daysAgo: number) => new Date(today.getTime() - daysAgo * DAY);
  await db
    .update(consent)
    .set({ revokedAt: at(20) })
    .where(inArray(consent.personId, people));
  await db.insert(consent).values(
    people.map((personId) => ({
      structureId,
      personId,
      domains: ["acces-aux-droits", "budget", "logement-hebergement"],
      shareDemarcheDetails: true,
      shareNotes: false,
      recipients: ["spip", "association"],
      purpose: "Accompagnement par la médiation de l'association (dossier complexe)",
      collectedBy: counselor,
      collectedAt: at(20),
    })),
  );
  const reasons = [
    "Plusieurs dettes (loyer, énergie) et un dossier de surendettement à monter.",
    "Ouverture de droits bloquée : pas de domiciliation, pièces d'identité perdues.",
    "Litige avec un fournisseur d'énergie et demande de chèque énergie à reprendre.",
    "Demande de logement social à compléter avec plusieurs organismes.",
  ];
  await db.insert(orientation).values(
    people.map((personId, i) => {
      const sentAt = at([2, 6, 12, 15][i] ?? 2);
      return {
        structureId,
        personId,
        target: "mediation" as const,
        reason: reasons[i] ?? reasons[0]!,
        status: i === 3 ? ("accepted" as const) : ("sent" as const),
        createdBy: counselor,
        createdAt: sentAt,
        sentAt,
        expiresAt: new Date(sentAt.getTime() + 30 * DAY),
        ...(i === 3 ? { answeredAt: at(13), answeredBy: mediator } : {}),
      };
    }),
  );
}
