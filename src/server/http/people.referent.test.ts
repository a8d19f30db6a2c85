import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personChange, referent, service } from "../db/schema";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { aContactablePerson } from "../testing/personFiles";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const move = async (personId: string, userId: string, email?: string) =>
  t.app.inject({
    method: "POST",
    url: `/api/people/${personId}/referent`,
    headers: email ? await t.sessionFor(email) : {},
    payload: { userId },
  });
const activeReferent = async (personId: string) =>
  (
    await t.handle.db
      .select()
      .from(referent)
      .where(and(eq(referent.personId, personId), isNull(referent.endedAt)))
  )[0]?.userId;

describe("POST /api/people/:personId/referent", () => {
  it("401, 403 (counselor), 400 (not a CPIP of the structure, unknown key) writes nothing", async () => {
    const id = await aContactablePerson(t, "+33612000201", "j@exemple.invalid");
    const cpipId = await t.userId(demo.cpip);
    const cpip2Id = await t.userId(demo.cpip2);
    expect((await move(id, cpip2Id)).statusCode).toBe(401);
    await convokedOnce(t, id); // so that the counselor sees the file (and is refused the move)
    expect((await move(id, cpip2Id, demo.counselor)).statusCode).toBe(403);
    const notACpip = await move(id, await t.userId(demo.steering), demo.cpip);
    expect(notACpip.json().code).toBe("person.unknownReferent");
    expect(notACpip.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.userId"]);
    const extra = await t.app.inject({
      method: "POST",
      url: `/api/people/${id}/referent`,
      headers: await t.sessionFor(demo.cpip),
      payload: { userId: cpip2Id, since: "2026-01-01" },
    });
    expect(extra.statusCode).toBe(400);
    expect(await activeReferent(id)).toBe(cpipId);
  });

  it("the referent's service moves the file: history, and the new referent has it in 'Mes personnes'", async () => {
    const id = await aContactablePerson(t, "+33612000202", "k@exemple.invalid");
    const candidates = await t.app.inject({
      method: "GET",
      url: `/api/people/${id}/referent-candidates`,
      headers: await t.sessionFor(demo.cpip),
    });
    const cpip2Id = await t.userId(demo.cpip2);
    expect(candidates.json().candidates.map((c: { userId: string }) => c.userId)).toContain(cpip2Id);
    expect(candidates.json().candidates.map((c: { userId: string }) => c.userId)).not.toContain(
      await t.userId(demo.cpip),
    );
    const response = await move(id, cpip2Id, demo.cpip);
    expect(response.statusCode, response.body).toBe(200);
    expect(await activeReferent(id)).toBe(cpip2Id);
    const [change] = await t.handle.db.select().from(personChange).where(eq(personChange.personId, id));
    expect(change).toMatchObject({ field: "referent", before: "Camille Martin", after: "Nicolas Petit" });
    const mine = await t.app.inject({
      method: "GET",
      url: "/api/people?mine=true",
      headers: await t.sessionFor(demo.cpip2),
    });
    expect(mine.json().people.map((p: { id: string }) => p.id)).toContain(id);
    const file = await t.app.inject({
      method: "GET",
      url: `/api/people/${id}`,
      headers: await t.sessionFor(demo.cpip2),
    });
    expect(file.json().referentHistory).toHaveLength(1);
    expect(file.json().permissions.edit).toBe(true);
  });
  it("ADR 0015: a CPIP of the referent's service may take the file, one of another service may not", async () => {
    const db = t.handle.db;
    const other = await aStructure(db);
    const [secondService] = await db
      .insert(service)
      .values({ structureId: other.structure.id, name: "SPIP antenne Verdun", kind: "spip" })
      .returning();
    const cpip = (serviceId: string) =>
      anAgent(db, { structureId: other.structure.id, roles: ["probation_officer"], serviceId });
    const current = await cpip(other.spipServiceId);
    const colleague = await cpip(other.spipServiceId);
    const elsewhere = await cpip(secondService!.id);
    const followed = await aPerson(db, {
      structureId: other.structure.id,
      referentUserId: current.id,
      referentServiceId: other.spipServiceId,
    });
    // Another service of the structure does not see the file: 404, nothing written.
    const refused = await move(followed.id, elsewhere.id, elsewhere.email);
    expect(refused.statusCode, refused.body).toBe(404);
    expect(refused.json().code).toBe("person.notFound");
    expect(await activeReferent(followed.id)).toBe(current.id);
    // The referent's service moves the file, to one of its own CPIP as to any CPIP of the structure.
    const taken = await move(followed.id, colleague.id, colleague.email);
    expect(taken.statusCode, taken.body).toBe(200);
    expect(await activeReferent(followed.id)).toBe(colleague.id);
  });
});
