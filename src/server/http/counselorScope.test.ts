import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, person, service } from "../db/schema";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { bookThroughApi } from "../testing/personFiles";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * DESIGN §2: a counselor sees "the people convoked to them". Permanences are pools of counselors, so a
 * convocation in the counselor's structure (whatever became of it) opens the file to its counselors;
 * a file merely created or imported does not. The direction and the referent CPIP are unchanged.
 */
let t: TestApp;
let spipServiceId: string;
beforeAll(async () => {
  t = await startTestApp();
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  spipServiceId = spip!.id;
});
afterAll(() => t.close());

const get = async (url: string, email: string) =>
  t.app.inject({ method: "GET", url, headers: await t.sessionFor(email) });
const aFile = async (lastName: string) => {
  const created = await aPerson(t.handle.db, {
    structureId: t.demoStructureId,
    referentUserId: await t.userId(demo.cpip),
    referentServiceId: spipServiceId,
    identity: { lastName },
  });
  return created.id;
};
const listed = async (email: string, search: string) =>
  ((await get(`/api/people?search=${search}&fileState=all`, email)).json().people as { id: string }[]).map(
    (p) => p.id,
  );

describe("a counselor sees the people convoked in their structure", () => {
  it("a file never convoked is a 404 for the counselor, absent from their list and search; the CPIP and the direction read it", async () => {
    const id = await aFile("Jamaisconvoque");
    for (const url of [
      `/api/people/${id}`,
      `/api/people/${id}/timeline`,
      `/api/people/${id}/accompaniment`,
      `/api/people/${id}/documents`,
    ])
      expect((await get(url, demo.counselor)).statusCode, url).toBe(404);
    expect(await listed(demo.counselor, "jamaisconvoque")).toEqual([]);
    expect(await listed(demo.cpip, "jamaisconvoque")).toEqual([id]);
    expect(await listed(demo.manager, "jamaisconvoque")).toEqual([id]);
    expect((await get(`/api/people/${id}`, demo.cpip)).statusCode).toBe(200);
    // The refused read names nobody in the journal as read by the counselor.
    const counselorId = await t.userId(demo.counselor);
    const reads = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, counselorId), eq(auditEvent.targetId, id)));
    expect(reads.filter((r) => r.outcome !== "denied")).toEqual([]);
  });

  it("once the referent books a convocation, the counselor reads the file (without judicial fields); it stays so once cancelled", async () => {
    const id = await aFile("Convoqueunefois");
    const convocationId = await bookThroughApi(t, id, 24, { sms: false, email: false });
    const file = await get(`/api/people/${id}`, demo.counselor);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.json().view).not.toBe("full");
    expect(await listed(demo.counselor, "convoqueunefois")).toEqual([id]);
    const cancelled = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${convocationId}/status`,
      headers: await t.sessionFor(demo.cpip),
      payload: { status: "cancelled" },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await get(`/api/people/${id}`, demo.counselor)).statusCode).toBe(200);
  });

  it("a convocation in another structure opens nothing here, and a counselor of that structure sees no file of this one", async () => {
    const other = await aStructure(t.handle.db);
    const otherCounselor = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["counselor"],
    });
    const id = await aFile("Ailleursconvoque");
    const booked = await bookThroughApi(t, id, 48, { sms: false, email: false });
    expect(booked).toBeTruthy();
    expect((await get(`/api/people/${id}`, otherCounselor.email)).statusCode).toBe(404);
    expect(await listed(otherCounselor.email, "ailleursconvoque")).toEqual([]);
    // Moved to the other structure, the person's old convocation does not open the file to its counselors.
    await t.handle.db.update(person).set({ structureId: other.structure.id }).where(eq(person.id, id));
    expect((await get(`/api/people/${id}`, otherCounselor.email)).statusCode).toBe(404);
    expect((await get(`/api/people/${id}`, demo.counselor)).statusCode).toBe(404);
  });
});
