import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judicialFieldNames } from "../../common/people/people.schema";
import { auditEvent, person } from "../db/schema";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karimId: string; // referred by cpip
let thomasId: string; // referred by cpip2 (same SPIP service)
beforeAll(async () => {
  t = await startTestApp();
  const rows = await t.handle.db.select().from(person);
  karimId = rows.find((p) => p.firstName === "Karim")!.id;
  thomasId = rows.find((p) => p.firstName === "Thomas")!.id;
  // Convoked once: the structure's counselors see the people convoked in it (DESIGN §2).
  await convokedOnce(t, karimId, thomasId);
});
afterAll(() => t.close());

const get = async (url: string, email?: string) =>
  t.app.inject({ method: "GET", url, headers: email ? await t.sessionFor(email) : {} });

/** Every key at any depth of a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  }
  return [];
}

describe("GET /api/people", () => {
  it("401 when anonymous", async () => {
    expect((await get("/api/people")).statusCode).toBe(401);
  });
  it("403 for roles without nominative access (steering, partner, admin)", async () => {
    for (const email of [demo.steering, demo.partner, demo.admin]) {
      const response = await get("/api/people", email);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe("access.forbidden");
    }
  });
  it("400 on a malformed filter", async () => {
    const response = await get("/api/people?mine=maybe", demo.cpip);
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toBe("query.mine");
  });
  it("a CPIP sees the people of their SPIP service, with 'mine' filtering their own", async () => {
    const all = (await get("/api/people", demo.cpip)).json().people;
    const mine = (await get("/api/people?mine=true", demo.cpip)).json().people;
    expect(all).toHaveLength(12);
    expect(mine).toHaveLength(7);
    expect(mine.every((p: { isMine: boolean }) => p.isMine)).toBe(true);
  });
  it("never lists judicial fields, whoever asks", async () => {
    for (const email of [demo.cpip, demo.counselor, demo.manager]) {
      const keys = keysOf((await get("/api/people", email)).json());
      for (const field of judicialFieldNames) expect(keys).not.toContain(field);
    }
  });
  it("searches by name", async () => {
    const found = (await get("/api/people?search=benali", demo.counselor)).json().people;
    expect(found.map((p: { lastName: string }) => p.lastName)).toEqual(["Benali"]);
  });
});

describe("GET /api/people/:personId", () => {
  it("401 when anonymous, 400 on a malformed id", async () => {
    expect((await get(`/api/people/${karimId}`)).statusCode).toBe(401);
    const bad = await get("/api/people/not-a-uuid", demo.cpip);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe("params.personId");
  });

  it("the referent CPIP gets the full file, with judicial fields, and the read is journaled", async () => {
    const response = await get(`/api/people/${karimId}`, demo.cpip);
    expect(response.statusCode).toBe(200);
    const file = response.json();
    expect(file.view).toBe("full");
    expect(file.measures[0].offence).toBe("Vol aggravé");
    expect(file.permissions.edit).toBe(true);
    const reads = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "person.read"), eq(auditEvent.targetId, karimId)));
    expect(
      reads.some((e) => e.actorUserId && e.outcome === "success" && e.structureId === t.demoStructureId),
    ).toBe(true);
  });

  it("another CPIP of the same service reads it without edit permission", async () => {
    const file = (await get(`/api/people/${karimId}`, demo.cpip2)).json();
    expect(file.view).toBe("full");
    expect(file.permissions.edit).toBe(false);
  });

  it("a counselor gets the measure type and end date only: no judicial field at any depth", async () => {
    const response = await get(`/api/people/${thomasId}`, demo.counselor);
    expect(response.statusCode).toBe(200);
    const file = response.json();
    expect(file.view).toBe("restricted");
    expect(Object.keys(file.measures[0]).sort()).toEqual(["endDate", "type"]);
    const keys = keysOf(file);
    for (const field of judicialFieldNames) expect(keys).not.toContain(field);
    expect(response.body).not.toContain("Violences");
  });

  it("a role in another structure gives nothing here: 404, and the refusal is journaled", async () => {
    const other = await aStructure(t.handle.db);
    const outsider = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager", "probation_officer", "counselor"],
      serviceId: other.spipServiceId,
    });
    const response = await get(`/api/people/${karimId}`, outsider.email);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe("person.notFound");
    expect((await get("/api/people", outsider.email)).json().people).toEqual([]);
    const denied = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, outsider.id), eq(auditEvent.outcome, "denied")));
    expect(denied).toHaveLength(1);
  });

  it("a CPIP of another service of the same structure does not see people they do not refer", async () => {
    const db = t.handle.db;
    const other = await aStructure(db);
    const cpipA = await anAgent(db, {
      structureId: other.structure.id,
      roles: ["probation_officer"],
      serviceId: other.spipServiceId,
    });
    const cpipB = await anAgent(db, {
      structureId: other.structure.id,
      roles: ["probation_officer"],
      serviceId: null,
    });
    const followed = await aPerson(db, {
      structureId: other.structure.id,
      referentUserId: cpipA.id,
      referentServiceId: other.spipServiceId,
    });
    expect((await get(`/api/people/${followed.id}`, cpipA.email)).statusCode).toBe(200);
    expect((await get(`/api/people/${followed.id}`, cpipB.email)).statusCode).toBe(404);
  });

  it("404 for an unknown person, and nothing journaled as a read", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await get(`/api/people/${unknown}`, demo.manager)).statusCode).toBe(404);
    const rows = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, unknown));
    expect(rows).toEqual([]);
  });
});
