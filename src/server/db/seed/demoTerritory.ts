import { eq } from "drizzle-orm";
import { hashPassword } from "../../domains/identity/passwords";
import type { Db } from "../createDb";
import {
  counselorTraining,
  membership,
  openingRule,
  openingRuleCounselor,
  service,
  site,
  structure,
  user,
} from "../schema";
import { generateActivity } from "./activity";
import { DEMO_PASSWORD } from "./demo";
import { insertFictionalPeople } from "./fictional";

const DAY = 86_400_000;
const shiftDays = (today: Date, n: number) => new Date(today.getTime() + n * DAY).toISOString().slice(0, 10);

/**
 * A second territory for the demo (Essonne), read by the demo steering account, so the steering page
 * compares two structures with activity: two sites, a CPIP and a counselor (no demo login needed),
 * 21 h of permanences a week (under the label's 24 h), forty fictional people and six months of history.
 */
export async function seedSecondTerritory(db: Db, today: Date): Promise<void> {
  const [essonne] = await db
    .insert(structure)
    .values({
      name: "France services SPIP 91 – Médiation Essonne",
      labelNumber: "FS-91-012",
      departement: "91",
      coHolders: ["SPIP de l'Essonne", "Médiation Essonne"],
    })
    .returning();
  if (!essonne) throw new Error("structure not inserted");
  const [spip, association] = await db
    .insert(service)
    .values([
      { structureId: essonne.id, name: "SPIP de l'Essonne", kind: "spip" as const },
      { structureId: essonne.id, name: "Médiation Essonne", kind: "association" as const },
    ])
    .returning();
  const sites = await db
    .insert(site)
    .values([
      {
        structureId: essonne.id,
        name: "Évry-Courcouronnes",
        kind: "spip_office" as const,
        address: "1 boulevard de France, 91000 Évry-Courcouronnes",
      },
      {
        structureId: essonne.id,
        name: "Étampes",
        kind: "france_services" as const,
        address: "Maison France services, 3 place de l'Hôtel de ville, 91150 Étampes",
      },
    ])
    .returning();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const agents = await db
    .insert(user)
    .values([
      { email: "cpip.essonne@demo.passerelle.fr", displayName: "Julien Garnier", passwordHash },
      { email: "conseillere.essonne@demo.passerelle.fr", displayName: "Sarah Benali", passwordHash },
    ])
    .returning();
  const [cpip, counselor] = agents;
  const acceptedAt = new Date(`${shiftDays(today, -365)}T09:00:00Z`);
  const [steering] = await db.select().from(user).where(eq(user.email, "pilotage@demo.passerelle.fr"));
  await db.insert(membership).values([
    {
      userId: cpip!.id,
      structureId: essonne.id,
      role: "probation_officer",
      serviceId: spip!.id,
      acceptedAt,
    },
    {
      userId: counselor!.id,
      structureId: essonne.id,
      role: "counselor",
      serviceId: association!.id,
      acceptedAt,
    },
    ...(steering
      ? [{ userId: steering.id, structureId: essonne.id, role: "steering" as const, acceptedAt }]
      : []),
  ]);
  // The counselor holding the permanences below is trained (ADR 0038).
  await db
    .insert(counselorTraining)
    .values({ structureId: essonne.id, userId: counselor!.id, trainedOn: shiftDays(today, -250) });
  const permanences: [string, number, string, string][] = [
    ["Évry-Courcouronnes", 1, "09:00", "12:30"],
    ["Évry-Courcouronnes", 1, "13:30", "17:00"],
    ["Évry-Courcouronnes", 4, "09:00", "12:30"],
    ["Évry-Courcouronnes", 4, "13:30", "17:00"],
    ["Étampes", 3, "09:00", "12:30"],
    ["Étampes", 3, "13:30", "17:00"],
  ];
  for (const [name, weekday, startTime, endTime] of permanences) {
    const [rule] = await db
      .insert(openingRule)
      .values({
        structureId: essonne.id,
        siteId: sites.find((s) => s.name === name)!.id,
        weekday,
        startTime,
        endTime,
        slotMinutes: 45,
        bufferMinutes: 15,
        validFrom: shiftDays(today, -200),
      })
      .returning({ id: openingRule.id });
    await db.insert(openingRuleCounselor).values({ ruleId: rule!.id, userId: counselor!.id });
  }
  const personIds = await insertFictionalPeople(db, [{ structureId: essonne.id, count: 40 }], {
    seed: 91,
    today,
  });
  await generateActivity(db, {
    people: { personIds },
    from: new Date(today.getTime() - 182 * DAY),
    until: new Date(today.getTime() - DAY),
    now: today,
    seed: "demo-91",
    convocationsPerPerson: 3,
  });
}
