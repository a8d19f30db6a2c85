import { eq } from "drizzle-orm";
import type { Db } from "../createDb";
import { structure } from "../schema";
import { generateActivity } from "./activity";
import { seedSecondTerritory } from "./demoTerritory";
import { insertFictionalPeople } from "./fictional";

const DAY = 86_400_000;

/**
 * Six months of past activity for the demo structure, so the steering dashboard has something to
 * show: about sixty fictional people (the seeds' first three months: "60 people, 160 démarches"),
 * their convocations, visits, démarches, needs and orientations. The named demo people are left
 * untouched (their files start empty).
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
    seed: "demo-77",
    convocationsPerPerson: 3,
  });
  // A second territory read by the demo steering account: the steering page compares them.
  await seedSecondTerritory(db, today);
}
