import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPerson, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";
import { person, service } from "./schema";

// The file number partners quote: given by the database at insertion, 1, 2, 3… per structure.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("person.file_number", () => {
  it("numbers the existing files of a structure without gaps or duplicates", async () => {
    const numbers = (
      await t.handle.db
        .select({ n: person.fileNumber })
        .from(person)
        .where(eq(person.structureId, t.demoStructureId))
    ).map((r) => r.n);
    expect(numbers.length).toBeGreaterThan(0);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
  });

  it("gives each new file the structure's next number, independently per structure", async () => {
    const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
    const referent = { referentUserId: await t.userId(demo.cpip), referentServiceId: spip!.id };
    const before = (await t.handle.db.select().from(person).where(eq(person.structureId, t.demoStructureId)))
      .length;
    const created = await Promise.all(
      [1, 2, 3].map(() => aPerson(t.handle.db, { structureId: t.demoStructureId, ...referent })),
    );
    expect(created.map((p) => p.fileNumber).sort((a, b) => a - b)).toEqual([
      before + 1,
      before + 2,
      before + 3,
    ]);
    const other = await aStructure(t.handle.db);
    const first = await aPerson(t.handle.db, { structureId: other.structure.id, ...referent });
    expect(first.fileNumber).toBe(1);
  });
});
