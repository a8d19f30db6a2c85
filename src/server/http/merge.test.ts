import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  convocation,
  demarche,
  demarcheType,
  person,
  referent,
  service,
  site,
  smsOptOut,
} from "../db/schema";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karimId: string;
beforeAll(async () => {
  t = await startTestApp();
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karimId = karim!.id;
});
afterAll(() => t.close());

const merge = async (keepId: string, duplicateId: string, email: string) =>
  t.app.inject({
    method: "POST",
    url: `/api/people/${keepId}/merge`,
    headers: await t.sessionFor(email),
    payload: { duplicateId },
  });

describe("POST /api/people/:personId/merge", () => {
  it("403 for a CPIP, 400 for the same record, 404 across structures; the direction moves everything and hides the duplicate", async () => {
    const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
    const duplicate = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: await t.userId(demo.cpip2),
      referentServiceId: spip!.id,
    });
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    await t.handle.db.insert(convocation).values({
      structureId: t.demoStructureId,
      siteId: meaux!.id,
      personId: duplicate.id,
      startsAt: new Date("2026-05-05T08:00:00Z"),
      endsAt: new Date("2026-05-05T08:45:00Z"),
      seat: 1,
      status: "honoured",
      notifySms: false,
      notifyEmail: false,
      bookedBy: await t.userId(demo.cpip2),
    });
    const [type] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "caf-rsa"));
    await t.handle.db.insert(demarche).values({
      structureId: t.demoStructureId,
      personId: duplicate.id,
      demarcheTypeId: type!.id,
      helpLevel: "guided",
      status: "in_progress",
      createdBy: await t.userId(demo.counselor),
    });
    await t.handle.db.insert(smsOptOut).values({
      personId: duplicate.id,
      token: "DoublonToken12",
      optedOutAt: new Date("2026-05-10T08:00:00Z"),
    });

    expect((await merge(karimId, duplicate.id, demo.cpip)).statusCode).toBe(403);
    expect((await merge(karimId, karimId, demo.manager)).json().code).toBe("person.cannotMergeItself");
    const other = await aStructure(t.handle.db);
    const outsider = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    expect((await merge(karimId, duplicate.id, outsider.email)).statusCode).toBe(404);

    const merged = await merge(karimId, duplicate.id, demo.manager);
    expect(merged.statusCode, merged.body).toBe(200);
    const file = await t.app.inject({
      method: "GET",
      url: `/api/people/${duplicate.id}`,
      headers: await t.sessionFor(demo.manager),
    });
    expect(file.statusCode).toBe(404);
    const convocations = await t.handle.db
      .select()
      .from(convocation)
      .where(eq(convocation.personId, karimId));
    expect(convocations.some((c) => c.startsAt.toISOString() === "2026-05-05T08:00:00.000Z")).toBe(true);
    expect((await t.handle.db.select().from(demarche).where(eq(demarche.personId, karimId))).length).toBe(1);
    const referents = await t.handle.db.select().from(referent).where(eq(referent.personId, karimId));
    expect(referents.filter((r) => r.endedAt === null)).toHaveLength(1);
    expect(referents).toHaveLength(2);
    const [refusal] = await t.handle.db.select().from(smsOptOut).where(eq(smsOptOut.personId, karimId));
    expect(refusal?.optedOutAt).toEqual(new Date("2026-05-10T08:00:00Z"));
    const list = await t.app.inject({
      method: "GET",
      url: "/api/people",
      headers: await t.sessionFor(demo.counselor),
    });
    expect(list.json().people.map((p: { id: string }) => p.id)).not.toContain(duplicate.id);
    // Sent again (or at the same time, races.test.ts): the duplicate is merged already.
    const again = await merge(karimId, duplicate.id, demo.manager);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("person.merged");
  });
});
