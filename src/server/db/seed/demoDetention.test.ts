/** The demo as `npm start` loads it holds every detainee in an establishment, with a prison number. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_TODAY } from "../../testing/constants";
import { openTestDb, type TestDbHandle } from "../../testing/testDb";
import { person, site } from "../schema";
import { seedDemoActivity } from "./demoActivity";
import { seedDemoDetention } from "./demoDetention";

let handle: TestDbHandle;
beforeAll(async () => {
  handle = await openTestDb();
  const owner = await handle.openOwnerPool();
  const today = new Date(`${TEST_TODAY}T09:00:00Z`);
  await seedDemoActivity(owner.db, today);
  await seedDemoDetention(owner.db, today);
  await owner.close();
}, 120_000);
afterAll(() => handle.close());

it("holds every demo detainee in an establishment, the handover demo's too", async () => {
  const detainees = await handle.db
    .select({ lastName: person.lastName, siteName: site.name, prisonNumber: person.prisonNumber })
    .from(person)
    .leftJoin(site, eq(site.id, person.detentionSiteId))
    .where(eq(person.status, "detenu"));
  expect(detainees.map((d) => d.lastName)).toEqual(expect.arrayContaining(["Lambert", "Garcia", "Amrani"]));
  expect(detainees.filter((d) => !d.siteName || !d.prisonNumber)).toEqual([]);
  expect(detainees.find((d) => d.lastName === "Garcia")?.siteName).toBe(
    "Centre pénitentiaire de Meaux-Chauconin",
  );
});
