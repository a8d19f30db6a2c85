import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const list = async (query: Record<string, string>, email?: string) =>
  t.app.inject({ method: "GET", url: "/api/audit", query, headers: email ? await t.sessionFor(email) : {} });

describe("GET /api/audit", () => {
  it("401 anonymous, 403 for other roles and other structures, 400 on bad filters", async () => {
    expect((await list({ structureId: t.demoStructureId })).statusCode).toBe(401);
    expect((await list({ structureId: t.demoStructureId }, demo.cpip)).statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const otherManager = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    expect((await list({ structureId: t.demoStructureId }, otherManager.email)).statusCode).toBe(403);
    const bad = await list({ structureId: "x", from: "01/02/2026", page: "0" }, demo.manager);
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["query.from", "query.page", "query.structureId"]);
  });

  it("lists the structure's file reads and its agents' logins, filtered by action and Paris day", async () => {
    const karim = (
      await t.app.inject({
        method: "GET",
        url: "/api/people?search=Benali",
        headers: await t.sessionFor(demo.cpip),
      })
    ).json().people[0].id;
    await t.app.inject({
      method: "GET",
      url: `/api/people/${karim}`,
      headers: await t.sessionFor(demo.cpip),
    });
    await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: demo.counselor, password: DEMO_PASSWORD },
    });
    const reads = (
      await list({ structureId: t.demoStructureId, action: "person.read" }, demo.manager)
    ).json();
    expect(reads.events.length).toBeGreaterThan(0);
    expect(reads.events.every((e: { action: string }) => e.action === "person.read")).toBe(true);
    expect(reads.events[0]).toMatchObject({
      targetId: karim,
      actorName: "Camille Martin",
      outcome: "success",
    });
    const logins = (
      await list({ structureId: t.demoStructureId, action: "auth.login" }, demo.manager)
    ).json();
    expect(logins.events.some((e: { actorName: string }) => e.actorName === "Inès Moreau")).toBe(true);
    // The test clock is 2026-06-01 09:00 UTC = 11:00 in Paris.
    const sameDay = (
      await list({ structureId: t.demoStructureId, from: "2026-06-01", to: "2026-06-01" }, demo.manager)
    ).json();
    expect(sameDay.events.length).toBeGreaterThan(0);
    const nextDay = (await list({ structureId: t.demoStructureId, from: "2026-06-02" }, demo.manager)).json();
    expect(nextDay.events).toEqual([]);
  });

  it("does not show another structure's events", async () => {
    const other = await aStructure(t.handle.db);
    const outsider = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["counselor"] });
    await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: outsider.email, password: DEMO_PASSWORD },
    });
    const events = (await list({ structureId: t.demoStructureId, action: "auth.login" }, demo.manager)).json()
      .events;
    expect(events.some((e: { actorUserId: string }) => e.actorUserId === outsider.id)).toBe(false);
  });
});
