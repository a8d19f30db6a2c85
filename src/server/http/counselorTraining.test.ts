import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRAINING_IN_FUTURE } from "../../common/structures/structures.schema";
import { auditEvent, counselorTraining, site } from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * ADR 0038: the direction records its agents' France services training; an untrained agent may join
 * a permanence's pool and is listed on the direction's home until trained; the committee reads how
 * many agents are trained, exact for everyone.
 */
let t: TestApp;
let fontainebleau: string;
let managerB: string;
let agentB: string;
beforeAll(async () => {
  t = await startTestApp();
  const [found] = await t.handle.db
    .select({ id: site.id })
    .from(site)
    .where(and(eq(site.structureId, t.demoStructureId), eq(site.name, "Fontainebleau")));
  fontainebleau = found!.id;
  const other = await aStructure(t.handle.db);
  managerB = (await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] }))
    .email;
  agentB = (await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["counselor"] })).id;
});
afterAll(() => t.close());

type Method = "GET" | "PUT" | "DELETE" | "POST";
const call = async (method: Method, url: string, email: string | null, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: email ? await t.sessionFor(email) : {},
    ...(payload ? { payload } : {}),
  });
const trainingUrl = (userId: string, structureId = t.demoStructureId) =>
  `/api/structures/${structureId}/users/${userId}/training`;
const aCounselor = () => anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
const trainingRows = (userId: string) =>
  t.handle.db.select().from(counselorTraining).where(eq(counselorTraining.userId, userId));
const journalOf = (userId: string) =>
  t.handle.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.targetId, userId), eq(auditEvent.action, "membership.training_recorded")));
/** Dates are written with no-break spaces ("1er juin 2026"): compared with plain ones. */
const plain = (text: string | null) => (text ?? "").replace(/\u00a0/g, " ");
const untrained = async () =>
  (
    (await call("GET", `/api/structures/${t.demoStructureId}/untrained-in-pools`, demo.manager)).json()
      .agents as { userId: string; displayName: string; permanences: string[] }[]
  ).map((a) => ({ ...a, permanences: a.permanences.map(plain) }));
/** A Saturday permanence at Fontainebleau (the demo has none), from 6 June 2026. */
const saturday = (counselorIds: string[], startTime = "09:00") => ({
  siteId: fontainebleau,
  weekday: 6,
  onDate: null,
  startTime,
  endTime: startTime === "09:00" ? "11:00" : "16:00",
  slotMinutes: 60,
  bufferMinutes: 0,
  validFrom: "2026-06-06",
  validTo: null,
  counselorIds,
});
const addRule = (body: object) =>
  call("POST", `/api/structures/${t.demoStructureId}/opening-rules`, demo.manager, body);

describe("recording an agent's France services training", () => {
  it("401 anonymous, 403 another role or another structure's direction, 404 an agent of another structure, 400 field by field; nothing written", async () => {
    const agent = await aCounselor();
    const body = { trainedOn: "2026-03-12", organisation: "CNFPT" };
    expect((await call("PUT", trainingUrl(agent.id), null, body)).statusCode).toBe(401);
    expect((await call("DELETE", trainingUrl(agent.id), null)).statusCode).toBe(401);
    expect((await call("PUT", trainingUrl(agent.id), demo.cpip, body)).statusCode).toBe(403);
    expect((await call("PUT", trainingUrl(agent.id), demo.steering, body)).statusCode).toBe(403);
    expect((await call("PUT", trainingUrl(agent.id), managerB, body)).statusCode).toBe(403);
    expect((await call("DELETE", trainingUrl(agent.id), managerB)).statusCode).toBe(403);
    const outsider = await call("PUT", trainingUrl(agentB), demo.manager, body);
    expect([outsider.statusCode, outsider.json().code]).toEqual([404, "user.notFound"]);
    const untrainedList = `/api/structures/${t.demoStructureId}/untrained-in-pools`;
    expect((await call("GET", untrainedList, null)).statusCode).toBe(401);
    expect((await call("GET", untrainedList, demo.counselor)).statusCode).toBe(403);
    expect((await call("GET", untrainedList, managerB)).statusCode).toBe(403);

    const malformed = await call("PUT", trainingUrl(agent.id), demo.manager, {
      trainedOn: "2026-02-30",
      organisation: "x".repeat(201),
      extra: true,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(["body.trainedOn", "body.organisation"]),
    );
    const empty = await call("PUT", trainingUrl(agent.id), demo.manager, { trainedOn: "", organisation: "" });
    expect(empty.json().issues).toEqual([
      { path: "body.trainedOn", message: "Saisissez la date de la formation initiale." },
    ]);
    // Tomorrow by the server's clock (1 June 2026), whatever the machine's own date.
    const future = await call("PUT", trainingUrl(agent.id), demo.manager, {
      trainedOn: "2026-06-02",
      organisation: "",
    });
    expect([future.statusCode, future.json().issues]).toEqual([
      400,
      [{ path: "body.trainedOn", message: TRAINING_IN_FUTURE }],
    ]);
    expect(await trainingRows(agent.id)).toEqual([]);
    expect(await journalOf(agent.id)).toEqual([]);
  });

  it("records, corrects and removes a training: shown in the list, each change journaled once, a retry writes nothing", async () => {
    const agent = await aCounselor();
    const listed = async () =>
      (
        (await call("GET", `/api/structures/${t.demoStructureId}/users`, demo.manager)).json().users as {
          id: string;
          training: unknown;
          permissions: { recordTraining: boolean };
        }[]
      ).find((u) => u.id === agent.id)!;
    expect((await listed()).training).toBeNull();
    expect((await listed()).permissions.recordTraining).toBe(true);
    const first = { trainedOn: "2026-06-01", organisation: " CNFPT " };
    expect((await call("PUT", trainingUrl(agent.id), demo.manager, first)).statusCode).toBe(200);
    expect((await call("PUT", trainingUrl(agent.id), demo.manager, first)).statusCode).toBe(200);
    expect((await listed()).training).toEqual({ trainedOn: "2026-06-01", organisation: "CNFPT" });
    expect((await journalOf(agent.id)).map((e) => plain(e.reason))).toEqual([
      "formation initiale du 1er juin 2026, CNFPT",
    ]);
    const corrected = { trainedOn: "2026-03-12", organisation: "" };
    expect((await call("PUT", trainingUrl(agent.id), demo.manager, corrected)).statusCode).toBe(200);
    expect((await listed()).training).toEqual(corrected);
    expect((await journalOf(agent.id)).map((e) => plain(e.reason))).toContain(
      "formation initiale du 12 mars 2026 (au lieu de : formation initiale du 1er juin 2026, CNFPT)",
    );

    expect((await call("DELETE", trainingUrl(agent.id), demo.manager)).statusCode).toBe(200);
    expect((await call("DELETE", trainingUrl(agent.id), demo.manager)).statusCode).toBe(200);
    expect((await listed()).training).toBeNull();
    const removals = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, agent.id), eq(auditEvent.action, "membership.training_removed")));
    expect(removals.map((e) => [e.structureId, plain(e.reason)])).toEqual([
      [t.demoStructureId, "formation initiale du 12 mars 2026"],
    ]);
  });
});

describe("the same training sent twice at once (ADR 0036)", () => {
  it("a first training: recorded and journaled once, both 200; removed twice at once: journaled once", async () => {
    // PostgreSQL runs the two requests on two connections: a few rounds so that they overlap.
    for (let round = 0; round < 3; round += 1) {
      const agent = await aCounselor();
      const [a, b] = [await t.sessionFor(demo.manager), await t.sessionFor(demo.manager)];
      const payload = { trainedOn: "2026-06-01", organisation: "CNFPT" };
      const url = trainingUrl(agent.id);
      const recorded = await Promise.all([
        t.app.inject({ method: "PUT", url, headers: a, payload }),
        t.app.inject({ method: "PUT", url, headers: b, payload }),
      ]);
      expect(
        recorded.map((r) => r.statusCode),
        recorded.map((r) => r.body).join("\n"),
      ).toEqual([200, 200]);
      expect(await trainingRows(agent.id)).toHaveLength(1);
      expect((await journalOf(agent.id)).map((e) => plain(e.reason))).toEqual([
        "formation initiale du 1er juin 2026, CNFPT",
      ]);
      const removed = await Promise.all([
        t.app.inject({ method: "DELETE", url, headers: a }),
        t.app.inject({ method: "DELETE", url, headers: b }),
      ]);
      expect(removed.map((r) => r.statusCode)).toEqual([200, 200]);
      const removals = await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.targetId, agent.id), eq(auditEvent.action, "membership.training_removed")));
      expect(removals).toHaveLength(1);
    }
  });
});

describe("an untrained agent in a permanence's pool", () => {
  it("is accepted (a warning, not a refusal), shown untrained in the picker's list, and listed on the direction's home until trained", async () => {
    const agent = await aCounselor();
    const ines = await t.userId(demo.counselor);
    expect((await untrained()).map((a) => a.userId)).not.toContain(agent.id);
    const added = await addRule(saturday([ines, agent.id]));
    expect(added.statusCode, added.body).toBe(200);
    const openings = (await call("GET", `/api/structures/${t.demoStructureId}/openings`, demo.manager)).json()
      .counselors as { id: string; trainedOn: string | null }[];
    expect(openings.find((c) => c.id === agent.id)?.trainedOn).toBeNull();
    expect(openings.find((c) => c.id === ines)?.trainedOn).toBe("2025-08-05");
    expect((await untrained()).find((a) => a.userId === agent.id)).toEqual({
      userId: agent.id,
      displayName: agent.displayName,
      permanences: ["Fontainebleau, chaque samedi de 09:00 à 11:00, à partir du 6 juin 2026"],
    });

    await call("PUT", trainingUrl(agent.id), demo.manager, { trainedOn: "2026-05-20", organisation: "" });
    expect((await untrained()).map((a) => a.userId)).not.toContain(agent.id);
    // Recorded by mistake: removed. The agent stays in the permanence, and is listed again.
    await call("DELETE", trainingUrl(agent.id), demo.manager);
    expect((await untrained()).map((a) => a.userId)).toContain(agent.id);
    // The demo's counselors are trained: none of them is listed.
    const demoCounselors = [await t.userId(demo.counselor), await t.userId(demo.cpip2)];
    expect((await untrained()).filter((a) => demoCounselors.includes(a.userId))).toEqual([]);
  });
});

describe("the committee's figure « Conseillers France services formés »", () => {
  const figureOf = async (email: string, from: string, to: string) => {
    const response = await call(
      "GET",
      `/api/reporting/dashboard?from=${from}&to=${to}&structureId=${t.demoStructureId}`,
      email,
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    return {
      protectedCounts: body.protectedCounts as boolean,
      figure: (body.figures as { id: string; value: number | null; definition: string }[]).find(
        (f) => f.id === "trainedCounselors",
      )!,
    };
  };

  it("counts the agents trained at the end of the period, exact for the steering too", async () => {
    // Inès trained on 5 August 2025, Nicolas on 1 February 2026 (demo seed, 300 and 120 days before).
    const january = await figureOf(demo.steering, "2026-01", "2026-01");
    expect(january.protectedCounts).toBe(true);
    expect(january.figure.value).toBe(1);
    expect(january.figure.definition).toContain("protection des petits effectifs");
    expect((await figureOf(demo.manager, "2026-01", "2026-01")).figure.value).toBe(1);
    expect((await figureOf(demo.steering, "2025-06", "2025-07")).figure.value).toBe(0);
    expect((await figureOf(demo.steering, "2026-01", "2026-02")).figure.value).toBe(2);
    // A period not over is read as of today: an agent trained today counts, a deactivated one no longer.
    const before = (await figureOf(demo.steering, "2026-06", "2026-06")).figure.value!;
    const may = (await figureOf(demo.steering, "2026-05", "2026-05")).figure.value!;
    const agent = await aCounselor();
    await call("PUT", trainingUrl(agent.id), demo.manager, { trainedOn: "2026-06-01", organisation: "" });
    expect((await figureOf(demo.steering, "2026-06", "2026-06")).figure.value).toBe(before + 1);
    expect((await figureOf(demo.steering, "2026-05", "2026-05")).figure.value).toBe(may);
    t.clock.advance(60_000);
    await call("POST", `/api/structures/${t.demoStructureId}/users/${agent.id}/disable`, demo.manager);
    t.clock.advance(24 * 3600_000);
    expect((await figureOf(demo.steering, "2026-06", "2026-06")).figure.value).toBe(before);
  });
});
