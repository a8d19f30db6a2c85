import { eq, sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, convocation, membership, person, site } from "../db/schema";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/** Issue 10.4: every answer carrying a person's data leaves one journal row naming who (or the filter). */
let t: TestApp;
let karimId: string;
beforeAll(async () => {
  t = await startTestApp();
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karimId = karim!.id;
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  await t.handle.db.insert(convocation).values({
    structureId: t.demoStructureId,
    siteId: meaux!.id,
    personId: karimId,
    startsAt: new Date("2026-06-02T08:00:00.000Z"),
    endsAt: new Date("2026-06-02T08:45:00.000Z"),
    seat: 1,
    notifySms: false,
    notifyEmail: false,
    bookedBy: await t.userId(demo.cpip),
  });
});
afterAll(() => t.close());

const get = async (url: string, email: string = demo.cpip): Promise<LightMyRequestResponse> =>
  t.app.inject({ method: "GET", url, headers: await t.sessionFor(email) });
const journalOf = async (response: LightMyRequestResponse) =>
  t.handle.db
    .select()
    .from(auditEvent)
    .where(eq(auditEvent.requestId, String(response.headers["x-request-id"])));

describe("refused reads of a person's data are journaled", () => {
  for (const path of ["timeline", "consents", "documents", "accompaniment", "orientations", "notes"]) {
    it(`GET /api/people/{id}/${path} refused to a partner: one denied row naming the person`, async () => {
      const response = await get(`/api/people/${karimId}/${path}`, demo.partner);
      expect([403, 404], response.body).toContain(response.statusCode);
      const rows = await journalOf(response);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: "person.data_read",
        actorUserId: await t.userId(demo.partner),
        targetType: "person",
        targetId: karimId,
        structureId: t.demoStructureId,
        outcome: "denied",
        // In words: what was read, and why it was refused (no route, no error code).
        reason: expect.stringMatching(/^[^/;]+ ; refusé : [^;]+\.$/),
      });
    });
  }

  it("the file refused leaves its own denied row, not a second one", async () => {
    // A person of the structure never convoked: out of the counselor's sight (a 404).
    const never = await neverConvoked();
    const response = await get(`/api/people/${never}`, demo.counselor);
    expect(response.statusCode).toBe(404);
    const rows = await journalOf(response);
    expect(rows.map((row) => [row.action, row.outcome, row.targetId])).toEqual([
      ["person.read", "denied", never],
    ]);
  });

  it("an id that names nobody leaves no row", async () => {
    const response = await get("/api/people/00000000-0000-4000-8000-0000000000aa/timeline", demo.partner);
    expect([403, 404]).toContain(response.statusCode);
    expect(await journalOf(response)).toEqual([]);
  });
});

/** A person of the demo structure never convoked: out of its counselors' sight. */
async function neverConvoked(): Promise<string> {
  const [never] = await t.handle.db
    .select({ id: person.id })
    .from(person)
    .where(
      sql`${person.structureId} = ${t.demoStructureId} and not exists (select 1 from ${convocation} where ${convocation.personId} = ${person.id})`,
    )
    .limit(1);
  return never!.id;
}

/** A person of another structure (another SPIP), with their referent there. */
async function personElsewhere(): Promise<{ id: string; structureId: string }> {
  const other = await aStructure(t.handle.db);
  const referent = await anAgent(t.handle.db, {
    structureId: other.structure.id,
    roles: ["probation_officer"],
    serviceId: other.spipServiceId,
  });
  const found = await aPerson(t.handle.db, {
    structureId: other.structure.id,
    referentUserId: referent.id,
    referentServiceId: other.spipServiceId,
  });
  return { id: found.id, structureId: other.structure.id };
}

describe("a list filtered by a person the agent may not see is refused, not read", () => {
  const expectRefused = async (response: LightMyRequestResponse, personId: string, structureId: string) => {
    expect(response.statusCode, response.body).toBe(404);
    expect(response.json().code).toBe("person.notFound");
    const rows = await journalOf(response);
    expect(rows.map((row) => [row.action, row.outcome, row.targetId, row.structureId])).toEqual([
      ["person.data_read", "denied", personId, structureId],
    ]);
  };

  it("GET /api/convocations?personId= a person of another structure: 404, one denied row", async () => {
    const elsewhere = await personElsewhere();
    await expectRefused(
      await get(`/api/convocations?personId=${elsewhere.id}`),
      elsewhere.id,
      elsewhere.structureId,
    );
  });

  it("GET /api/convocations?personId= a person the counselor was never told of: 404, one denied row", async () => {
    const never = await neverConvoked();
    const response = await get(`/api/convocations?personId=${never}`, demo.counselor);
    await expectRefused(response, never, t.demoStructureId);
  });

  it("GET /api/structures/{id}/slots?personId= a person out of sight: 404, one denied row", async () => {
    const never = await neverConvoked();
    const response = await get(
      `/api/structures/${t.demoStructureId}/slots?personId=${never}`,
      demo.counselor,
    );
    await expectRefused(response, never, t.demoStructureId);
  });

  it("GET /api/audit?personId= a person of another structure: 404, one denied row, no export", async () => {
    const elsewhere = await personElsewhere();
    const query = `structureId=${t.demoStructureId}&personId=${elsewhere.id}`;
    await expectRefused(await get(`/api/audit?${query}`, demo.manager), elsewhere.id, elsewhere.structureId);
    await expectRefused(
      await get(`/api/audit/export?${query}`, demo.manager),
      elsewhere.id,
      elsewhere.structureId,
    );
    // An id of nobody answers as a person of another structure would.
    const nobody = await get(
      `/api/audit?structureId=${t.demoStructureId}&personId=00000000-0000-4000-8000-000000000000`,
      demo.manager,
    );
    expect(nobody.statusCode, nobody.body).toBe(404);
    expect(await journalOf(nobody)).toEqual([]);
    // A file of the structure is still read, the read journaled.
    const own = await get(`/api/audit?structureId=${t.demoStructureId}&personId=${karimId}`, demo.manager);
    expect(own.statusCode, own.body).toBe(200);
    expect((await journalOf(own)).map((row) => [row.action, row.outcome, row.targetId])).toEqual([
      ["person.data_read", "success", karimId],
    ]);
  });

  it("GET /api/structures/{id}/slots?personId= (where the person may be convoked): one row naming them", async () => {
    const response = await get(`/api/structures/${t.demoStructureId}/slots?personId=${karimId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().forPerson).not.toBeNull();
    const rows = await journalOf(response);
    expect(rows.map((row) => [row.action, row.outcome, row.targetId])).toEqual([
      ["person.data_read", "success", karimId],
    ]);
  });

  it("GET /api/structures/{id}/slots without a person names nobody: no row", async () => {
    const response = await get(`/api/structures/${t.demoStructureId}/slots`);
    expect(response.statusCode, response.body).toBe(200);
    expect(await journalOf(response)).toEqual([]);
  });
});

describe("reads of a person's data are journaled", () => {
  for (const path of ["consents", "orientations"]) {
    it(`GET /api/people/{id}/${path}: one row naming the person, in the person's structure`, async () => {
      const response = await get(`/api/people/${karimId}/${path}`);
      expect(response.statusCode, response.body).toBe(200);
      const rows = await journalOf(response);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: "person.data_read",
        actorUserId: await t.userId(demo.cpip),
        targetType: "person",
        targetId: karimId,
        structureId: t.demoStructureId,
        outcome: "success",
        reason: { consents: "Consentements de la personne", orientations: "Orientations de la personne" }[
          path
        ],
      });
    });
  }

  it("GET /api/convocations?personId={id}: one row naming the person and the filter", async () => {
    const response = await get(`/api/convocations?personId=${karimId}`);
    expect(response.json().convocations.length).toBeGreaterThan(0);
    const rows = await journalOf(response);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      targetId: karimId,
      reason: "Liste des convocations",
    });
  });

  it("a list names every person it returned, with the filter", async () => {
    const response = await get("/api/people?mine=true");
    const listed = response.json().people.map((p: { id: string }) => p.id);
    expect(listed.length).toBeGreaterThan(1);
    const rows = await journalOf(response);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.targetId.split(",").sort()).toEqual([...listed].sort());
    expect(rows[0]!.reason).toBe(
      `Liste des personnes (mes personnes seulement) ; ${listed.length} personnes`,
    );
  });

  it("a list naming people of two structures leaves one row in each, naming its own", async () => {
    // A CPIP of two structures, referent of one person in each.
    const first = await aStructure(t.handle.db);
    const second = await aStructure(t.handle.db);
    const cpip = await anAgent(t.handle.db, {
      structureId: first.structure.id,
      roles: ["probation_officer"],
      serviceId: first.spipServiceId,
    });
    await t.handle.db.insert(membership).values({
      userId: cpip.id,
      structureId: second.structure.id,
      role: "probation_officer",
      serviceId: second.spipServiceId,
      acceptedAt: new Date("2020-01-01T00:00:00Z"),
    });
    const inFirst = await aPerson(t.handle.db, {
      structureId: first.structure.id,
      referentUserId: cpip.id,
      referentServiceId: first.spipServiceId,
    });
    const inSecond = await aPerson(t.handle.db, {
      structureId: second.structure.id,
      referentUserId: cpip.id,
      referentServiceId: second.spipServiceId,
    });
    const response = await get("/api/people?mine=true", cpip.email);
    expect(
      response
        .json()
        .people.map((p: { id: string }) => p.id)
        .sort(),
    ).toEqual([inFirst.id, inSecond.id].sort());
    const rows = await journalOf(response);
    expect(
      rows
        .map((row) => [row.structureId, row.targetId, row.reason])
        .sort((a, b) => a[1]!.localeCompare(b[1]!)),
    ).toEqual(
      [
        [first.structure.id, inFirst.id, "Liste des personnes (mes personnes seulement)"],
        [second.structure.id, inSecond.id, "Liste des personnes (mes personnes seulement)"],
      ].sort((a, b) => a[1]!.localeCompare(b[1]!)),
    );
    expect(rows.every((row) => row.action === "person.data_read" && row.actorUserId === cpip.id)).toBe(true);
  });

  it("the direction finds a person inside a list's row when it searches the journal by that person", async () => {
    const read = await get("/api/people?mine=true");
    const requestId = String(read.headers["x-request-id"]);
    const search = await get(`/api/audit?structureId=${t.demoStructureId}&targetId=${karimId}`, demo.manager);
    expect(search.statusCode, search.body).toBe(200);
    const found = search.json().events.filter((e: { requestId: string }) => e.requestId === requestId);
    expect(found).toHaveLength(1);
    expect(found[0].action).toBe("person.data_read");
  });

  for (const path of ["notes", "documents", "orientations", "consents"]) {
    it(`GET /api/people/{id in capitals}/${path}: the row names the person by their id as stored, found in their log`, async () => {
      const response = await get(`/api/people/${karimId.toUpperCase()}/${path}`);
      expect(response.statusCode, response.body).toBe(200);
      const rows = await journalOf(response);
      expect(rows.map((row) => row.targetId)).toEqual([karimId]);
      const log = await get(`/api/audit?structureId=${t.demoStructureId}&personId=${karimId}`, demo.manager);
      expect(log.statusCode, log.body).toBe(200);
      const requestId = String(response.headers["x-request-id"]);
      expect(log.json().events.filter((e: { requestId: string }) => e.requestId === requestId)).toHaveLength(
        1,
      );
    });
  }

  it("an empty list carries no one: no row", async () => {
    const response = await get("/api/people?search=Personne%20inconnue");
    expect(response.json().people).toEqual([]);
    expect(await journalOf(response)).toEqual([]);
  });

  it("a use case that journals its read is not journaled twice", async () => {
    const response = await get(`/api/people/${karimId}`);
    const rows = await journalOf(response);
    expect(rows.map((row) => row.action)).toEqual(["person.read"]);
  });

  it("a refused read leaves no row saying it was read, only its refusal", async () => {
    const response = await get(`/api/people/${karimId}/consents`, demo.steering);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    const rows = await journalOf(response);
    expect(rows.map((row) => row.outcome)).toEqual(["denied"]);
  });
});

describe("what counts as the journal row of a nominative answer", () => {
  it("a row about something else (a convocation's new status) does not stand in: the person is named too", async () => {
    const [booked] = await t.handle.db
      .select({ id: convocation.id })
      .from(convocation)
      .where(eq(convocation.personId, karimId));
    const response = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${booked!.id}/status`,
      headers: await t.sessionFor(demo.cpip),
      payload: { status: "cancelled" },
    });
    expect(response.statusCode, response.body).toBe(200);
    const rows = await journalOf(response);
    expect(rows.map((row) => row.action).sort()).toEqual(["convocation.cancelled", "person.data_read"]);
    expect(rows.find((row) => row.action === "person.data_read")?.targetId).toBe(karimId);
  });
});

describe("a journal row that cannot be written", () => {
  /** Makes the journal refuse one action for real (a CHECK constraint, added by the owner). */
  async function refusing<T>(action: string, work: () => Promise<T>): Promise<T> {
    const owner = await t.handle.openOwnerPool();
    const refuse = async (statement: ReturnType<typeof sql>) => owner.db.execute(statement);
    try {
      await refuse(
        sql`ALTER TABLE audit_event ADD CONSTRAINT test_refused CHECK (action <> ${sql.raw(`'${action}'`)}) NOT VALID`,
      );
      return await work();
    } finally {
      await refuse(sql`ALTER TABLE audit_event DROP CONSTRAINT IF EXISTS test_refused`);
      await owner.close();
    }
  }
  const expectNoData = (response: LightMyRequestResponse) => {
    expect(response.statusCode).toBe(503);
    expect(Object.keys(response.json()).sort()).toEqual(["code", "message", "requestId"]);
    expect(response.json().code).toBe("service.unavailable");
    expect(response.body).not.toContain(karimId);
    expect(response.body).not.toContain("Karim");
  };

  it("answers 503 without the data when the mount's row fails", async () => {
    const response = await refusing("person.data_read", () => get(`/api/people/${karimId}/consents`));
    expectNoData(response);
    expect(await journalOf(response)).toEqual([]);
  });

  it("answers 503 without the list when its row fails (the row is written by the statement that reads)", async () => {
    const response = await refusing("person.data_read", () => get("/api/people?search=Benali"));
    expectNoData(response);
    expect(await journalOf(response)).toEqual([]);
    expect((await get("/api/people?search=Benali")).json().people.map((p: { id: string }) => p.id)).toEqual([
      karimId,
    ]);
  });

  it("answers 503 without the data when the use case's own row fails", async () => {
    const response = await refusing("person.read", () => get(`/api/people/${karimId}`));
    expectNoData(response);
    expect(await journalOf(response)).toEqual([]);
    expect((await get(`/api/people/${karimId}`)).statusCode).toBe(200);
  });
});
