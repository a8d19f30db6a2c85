import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvent,
  collectiveAction,
  demarche,
  demarcheType,
  membership,
  openingRule,
  person,
  site,
} from "../db/schema";
import { anAgent } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";
import { NOT_AN_OBJECT_MESSAGE } from "./mount";

/** Issue 10.3: impossible dates and control characters are a 400 listing the field, and write nothing. */
let t: TestApp;
let karimId: string;
beforeAll(async () => {
  t = await startTestApp();
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karimId = karim!.id;
});
afterAll(() => t.close());

const counts = async (): Promise<Record<string, number>> => {
  const count = async (table: typeof person | typeof openingRule | typeof demarche): Promise<number> =>
    (await t.handle.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  return { people: await count(person), rules: await count(openingRule), demarches: await count(demarche) };
};
const send = async (method: "GET" | "POST", url: string, payload?: object, email: string = demo.cpip) =>
  t.app.inject({ method, url, ...(payload ? { payload } : {}), headers: await t.sessionFor(email) });
const issuePaths = (response: { json(): { issues?: { path: string }[] } }): string[] =>
  (response.json().issues ?? []).map((issue) => issue.path).sort();

const newPerson = (overrides: Record<string, unknown>) => ({
  structureId: t.demoStructureId,
  firstName: "Sami",
  lastName: "Nouveau",
  birthDate: "1994-02-03",
  status: "sortant_detention",
  measure: { type: "liberation_conditionnelle", startDate: "2026-05-01", endDate: "2027-05-01" },
  ...overrides,
});

describe("impossible dates are a 400, not a 500", () => {
  for (const birthDate of ["2023-02-30", "2023-13-45", "0000-00-00", "1899-12-31", "2099-01-01"]) {
    it(`birth date ${birthDate}`, async () => {
      const before = await counts();
      const response = await send("POST", "/api/people", newPerson({ birthDate }));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().code).toBe("request.invalid");
      expect(issuePaths(response)).toEqual(["body.birthDate"]);
      expect(await counts()).toEqual(before);
    });
  }

  it("a leap day is a real birth date", async () => {
    const response = await send("POST", "/api/people", newPerson({ birthDate: "1996-02-29" }));
    expect(response.statusCode, response.body).toBe(200);
  });

  it("measure end 2031-02-30", async () => {
    const before = await counts();
    const measure = { type: "liberation_conditionnelle", startDate: "2026-05-01", endDate: "2031-02-30" };
    const response = await send("POST", "/api/people", newPerson({ measure }));
    expect(response.statusCode, response.body).toBe(400);
    expect(issuePaths(response)).toEqual(["body.measure.endDate"]);
    expect(await counts()).toEqual(before);
  });

  it("opening rule validFrom 2031-02-30", async () => {
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    const before = await counts();
    const response = await send(
      "POST",
      `/api/structures/${t.demoStructureId}/opening-rules`,
      {
        siteId: meaux!.id,
        weekday: 4,
        onDate: null,
        startTime: "14:00",
        endTime: "16:00",
        slotMinutes: 60,
        bufferMinutes: 0,
        validFrom: "2031-02-30",
        validTo: null,
        counselorIds: [await t.userId(demo.counselor)],
      },
      demo.manager,
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(issuePaths(response)).toEqual(["body.validFrom"]);
    expect(await counts()).toEqual(before);
  });

  it("démarche dueDate 1901-01-01 (a real day, but no plausible due date)", async () => {
    const [type] = await t.handle.db.select().from(demarcheType).limit(1);
    const before = await counts();
    const response = await send(
      "POST",
      `/api/people/${karimId}/demarches`,
      { demarcheTypeId: type!.id, helpLevel: "information", status: "todo", dueDate: "1901-01-01" },
      demo.counselor,
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(issuePaths(response)).toEqual(["body.dueDate"]);
    expect(response.json().issues[0].message).toMatch(/^Date trop ancienne/);
    expect(await counts()).toEqual(before);
  });

  it("démarche dueDate 2031-02-30", async () => {
    const [type] = await t.handle.db.select().from(demarcheType).limit(1);
    const before = await counts();
    const response = await send(
      "POST",
      `/api/people/${karimId}/demarches`,
      { demarcheTypeId: type!.id, helpLevel: "information", status: "todo", dueDate: "2031-02-30" },
      demo.counselor,
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(issuePaths(response)).toEqual(["body.dueDate"]);
    expect(await counts()).toEqual(before);
  });

  it("GET /api/convocations?from=2024-02-31&to=2024-99-99 lists both", async () => {
    const response = await send("GET", "/api/convocations?from=2024-02-31&to=2024-99-99");
    expect(response.statusCode, response.body).toBe(400);
    expect(issuePaths(response)).toEqual(["query.from", "query.to"]);
  });

  it("a month 2026-13 or a time 24:00 is refused", async () => {
    const report = await send(
      "GET",
      "/api/reporting/dashboard?from=2026-13&to=2026-14",
      undefined,
      demo.steering,
    );
    expect(report.statusCode, report.body).toBe(400);
    expect(issuePaths(report)).toEqual(["query.from", "query.to"]);
  });
});

describe("control characters are a 400 in every text input", () => {
  it("GET /api/people?search=%00", async () => {
    const response = await send("GET", "/api/people?search=%00");
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().issues).toEqual([
      { path: "query.search", message: "Caractère de contrôle ou invisible interdit." },
    ]);
  });

  it("a NUL, an escape or a DEL in a body field, nested or not, writes nothing", async () => {
    const before = await counts();
    const response = await send(
      "POST",
      "/api/people",
      newPerson({
        firstName: "Sa\u0000mi",
        address: "1 rue \u001b[31m",
        measure: {
          type: "liberation_conditionnelle",
          startDate: "2026-05-01",
          endDate: "2027-05-01",
          court: "\u007f",
        },
      }),
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(issuePaths(response)).toEqual(["body.address", "body.firstName", "body.measure.court"]);
    expect(await counts()).toEqual(before);
  });

  it("bytes that are not UTF-8 in a path or a query never give a 500", async () => {
    for (const url of ["/api/people/%FF%FE", "/api/people?search=%FF%00", "/api/people?search=%ED%A0%80"]) {
      const response = await send("GET", url);
      expect(response.statusCode, `${url} → ${response.body}`).toBeLessThan(500);
    }
  });

  it("invisible characters that make two texts look alike are a 400 too: zero-width space, BOM, bidi marks and overrides", async () => {
    const before = await counts();
    for (const [firstName, lastName] of [
      ["Sa\u200Bmi", "Durand"],
      ["Sami", "\uFEFFDurand"],
      ["Sami", "Dur\u202Eand"],
      ["Sami", "Dur\u2066and\u2069"],
      // Bidirectional marks and the other characters drawn as nothing.
      ["Sa\u200Emi", "Durand"],
      ["Sami", "Dura\u200Fnd"],
      ["Sami", "Dur\u061Cand"],
      ["Sa\u180Emi", "Durand"],
      ["Sami", "Du\u034Frand"],
      ["Sami", "Du\u206Arand"],
      ["Sa\u3164mi", "Durand"],
      ["Sami", "Durand\uFFF9"],
    ]) {
      const response = await send("POST", "/api/people", newPerson({ firstName, lastName }));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().issues[0]).toMatchObject({
        message: "Caractère de contrôle ou invisible interdit.",
      });
    }
    expect(await counts()).toEqual(before);
  });

  it("half of a surrogate pair alone is a 400 too, and the note is not written", async () => {
    const notes = async () => (await send("GET", `/api/people/${karimId}/notes`)).body;
    const before = await notes();
    for (const body of ["a\ud800b", "fin \udfff", "\ude00 début"]) {
      const response = await send("POST", `/api/people/${karimId}/notes`, { visibility: "service", body });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().issues).toEqual([
        { path: "body.body", message: "Caractère de contrôle ou invisible interdit." },
      ]);
    }
    expect(await notes()).toBe(before);
  });

  it("tabs, line breaks, joiners inside emoji and soft hyphens stay allowed in text", async () => {
    const response = await send(
      "POST",
      `/api/people/${karimId}/notes`,
      { visibility: "service", body: "Première ligne\r\n\tseconde : 👨\u200D👩\u200D👧, ré\u00ADinsertion" },
      demo.cpip,
    );
    expect(response.statusCode, response.body).toBe(200);
  });
});

describe("a path segment longer than the router reads (100 characters) names no route", () => {
  const long = "a".repeat(101);
  for (const [method, url] of [
    ["GET", `/api/people/${long}/notes`],
    ["POST", `/api/public/invitations/${long}`],
    ["POST", `/api/webhooks/sms/${long}`],
    ["POST", `/api/people/${long}/close`],
    ["DELETE", `/api/structures/${long}/closures/${long}`],
  ] as const) {
    it(`${method} ${url.replaceAll(long, "<101>")}: a 404 in French, not a 500`, async () => {
      const response = await t.app.inject({
        method,
        url,
        ...(method === "GET" ? {} : { payload: {} }),
        headers: await t.sessionFor(demo.cpip),
      });
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json()).toMatchObject({
        code: "request.notFound",
        message: "Cette adresse n'existe pas.",
      });
      expect(response.json().requestId).toEqual(expect.any(String));
    });
  }
});

describe("a body nested thousands of levels deep", () => {
  const deep = (levels: number): string => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

  it("is a 400 in French on a public route and on a signed-in one, not a 500, and writes nothing", async () => {
    const before = await counts();
    const login = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": "application/json" },
      payload: deep(5000),
    });
    expect(login.statusCode, login.body).toBe(400);
    expect(login.json().issues).toEqual([
      { path: "body", message: "Données trop imbriquées (32 niveaux au plus)." },
    ]);
    const created = await t.app.inject({
      method: "POST",
      url: "/api/people",
      headers: { ...(await t.sessionFor(demo.cpip)), "content-type": "application/json" },
      payload: deep(5000),
    });
    expect(created.statusCode, created.body).toBe(400);
    expect(issuePaths(created)).toEqual(["body"]);
    expect(await counts()).toEqual(before);
  });

  it("a few levels deep is read as usual", async () => {
    const response = await send("POST", "/api/people", newPerson({ firstName: { a: { b: { c: 1 } } } }));
    expect(response.statusCode).toBe(400);
    expect(issuePaths(response)).toEqual(["body.firstName"]);
  });
});

describe("a body past the 1 MB limit is a 413 in French, on every route", () => {
  it("login (no session) and a signed-in JSON route", async () => {
    const big = "x".repeat(1_200_000);
    const login = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: demo.cpip, password: big },
    });
    expect(login.statusCode).toBe(413);
    expect(login.json()).toMatchObject({ code: "request.tooLarge", message: expect.stringMatching(/1 Mo/) });
    const before = await counts();
    const created = await send("POST", "/api/people", newPerson({ lastName: big }));
    expect(created.statusCode).toBe(413);
    expect(created.json().code).toBe("request.tooLarge");
    expect(await counts()).toEqual(before);
  });
});

describe("a body is a JSON object: null, an array or a scalar is a 400, only no body at all stands for {}", () => {
  const raw = async (method: "POST" | "PUT", url: string, payload: string, email: string = demo.manager) =>
    t.app.inject({
      method,
      url,
      payload,
      headers: { ...(await t.sessionFor(email)), "content-type": "application/json" },
    });
  const expectNotAnObject = (response: { statusCode: number; body: string; json(): unknown }) => {
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      code: "request.invalid",
      issues: [{ path: "body", message: NOT_AN_OBJECT_MESSAGE }],
    });
  };

  it("PUT …/outcomes with null keeps the outcomes recorded", async () => {
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    const [held] = await t.handle.db
      .insert(collectiveAction)
      .values({
        structureId: t.demoStructureId,
        kind: "forum_emploi",
        title: "Forum de mai",
        startsAt: new Date("2026-05-12T08:00:00Z"),
        endsAt: new Date("2026-05-12T11:00:00Z"),
        siteId: meaux!.id,
        status: "held",
        outcomes: { interviews: 7 },
        minutes: "Compte rendu",
      })
      .returning();
    const url = `/api/collective-actions/${held!.id}/outcomes`;
    for (const payload of ["null", "[]", '"x"', "3"]) expectNotAnObject(await raw("PUT", url, payload));
    const [after] = await t.handle.db
      .select()
      .from(collectiveAction)
      .where(eq(collectiveAction.id, held!.id));
    expect(after).toMatchObject({ outcomes: { interviews: 7 }, minutes: "Compte rendu" });
  });

  it("POST …/users/{id}/disable with null leaves the agent active; without a body it disables", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const url = `/api/structures/${t.demoStructureId}/users/${agent.id}/disable`;
    expectNotAnObject(await raw("POST", url, "null"));
    const active = async () =>
      (await t.handle.db.select().from(membership).where(eq(membership.userId, agent.id))).filter(
        (m) => m.endedAt === null,
      ).length;
    expect(await active()).toBe(1);
    const disabled = await t.app.inject({ method: "POST", url, headers: await t.sessionFor(demo.manager) });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(await active()).toBe(0);
  });

  it("a public route too (login)", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": "application/json" },
      payload: "null",
    });
    expectNotAnObject(response);
  });
});

describe("a query string's undeclared key is a 400 naming it, as a body's is", () => {
  it("a misspelt filter never gives the unfiltered figures: dashboard ?siteID=…, people ?serach=…", async () => {
    const dashboard = await send(
      "GET",
      `/api/reporting/dashboard?from=2026-04&to=2026-06&siteID=${t.demoStructureId}`,
      undefined,
      demo.steering,
    );
    expect(dashboard.statusCode, dashboard.body).toBe(400);
    expect(dashboard.json().issues).toEqual([
      { path: "query.siteID", message: 'Clé non reconnue : "siteID"' },
    ]);
    const journalRows = async (): Promise<number> =>
      (await t.handle.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent))[0]!.n;
    const before = await journalRows();
    const people = await send("GET", "/api/people?serach=Karim&page=1");
    expect(people.statusCode, people.body).toBe(400);
    expect(people.json().issues).toEqual([{ path: "query.serach", message: 'Clé non reconnue : "serach"' }]);
    // Refused before the handler: no list was read, nobody's read is journaled.
    expect(await journalRows()).toBe(before);
    const declared = await send("GET", "/api/people?search=Karim&page=1");
    expect(declared.statusCode, declared.body).toBe(200);
  });
});

describe("each unknown key is an issue under its own path (body.<key>), one per key", () => {
  it("a body's unknown keys, at the top and nested: body.isAdmin, body.role, body.measure.judge", async () => {
    const before = await counts();
    const response = await send(
      "POST",
      "/api/people",
      newPerson({
        isAdmin: true,
        role: "admin",
        measure: { ...newPerson({}).measure, judge: "X" },
      }),
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().code).toBe("request.invalid");
    expect(response.json().issues).toEqual([
      { path: "body.isAdmin", message: 'Clé non reconnue : "isAdmin"' },
      { path: "body.role", message: 'Clé non reconnue : "role"' },
      { path: "body.measure.judge", message: 'Clé non reconnue : "judge"' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it("a strict schema's unknown keys too (the dashboard's query): query.siteID, query.comune", async () => {
    const response = await send(
      "GET",
      `/api/reporting/dashboard?from=2026-04&to=2026-06&siteID=${t.demoStructureId}&comune=Meaux`,
      undefined,
      demo.steering,
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().code).toBe("request.invalid");
    expect(response.json().issues).toEqual([
      { path: "query.siteID", message: 'Clé non reconnue : "siteID"' },
      { path: "query.comune", message: 'Clé non reconnue : "comune"' },
    ]);
  });
});
