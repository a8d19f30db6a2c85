import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anAgent } from "../testing/builders";
import { type AuthHeaders, demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * A role that needs a second factor (direction, administrator), granted to an agent who is signed
 * in without one, applies to their open session at once: it waits for the enrolment, as a new
 * login would, instead of using the direction's rights without a second factor.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const get = (url: string, headers: AuthHeaders) => t.app.inject({ method: "GET", url, headers });

describe("an open session given a role that needs a second factor", () => {
  it("must enrol before using any route, and nothing of the direction's is readable meanwhile", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const agentSession = await t.sessionFor(agent.email);
    const journalUrl = `/api/audit?structureId=${t.demoStructureId}`;
    expect((await get(journalUrl, agentSession)).statusCode).toBe(403);
    expect((await get("/api/auth/session", agentSession)).json()).toMatchObject({ stage: "active" });

    const promoted = await t.app.inject({
      method: "PUT",
      url: `/api/structures/${t.demoStructureId}/users/${agent.id}`,
      headers: await t.sessionFor(demo.manager),
      payload: { roles: ["counselor", "service_manager"], serviceId: null },
    });
    expect(promoted.statusCode, promoted.body).toBe(200);

    const journal = await get(journalUrl, agentSession);
    expect(journal.statusCode).toBe(403);
    expect(journal.json()).toMatchObject({ code: "auth.secondFactorRequired" });
    expect((await get("/api/people", agentSession)).json()).toMatchObject({
      code: "auth.secondFactorRequired",
    });
    expect((await get("/api/auth/session", agentSession)).json()).toMatchObject({
      stage: "enrolment_required",
    });
  });

  it("leaves alone the sessions of agents whose roles need no second factor", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const agentSession = await t.sessionFor(agent.email);
    expect((await get("/api/people", agentSession)).statusCode).toBe(200);
    expect((await get("/api/auth/session", agentSession)).json()).toMatchObject({ stage: "active" });
  });
});
