import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { site } from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * ADR 0009: an e-mail added by the direction is an invitation until the agent signs in; an account
 * that already exists elsewhere is shown under the name the direction typed, on the agents list and
 * on every agent picker of the structure (permanences, absences, training, collective actions).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const call = async (method: "GET" | "POST", url: string, as: string, payload?: object) =>
  t.app.inject({ method, url, headers: await t.sessionFor(as), ...(payload ? { payload } : {}) });

describe("a pending invitation of an existing account, on the structure's agent pickers", () => {
  it("shows the typed name, never the account's own name, until the agent signs in", async () => {
    const elsewhere = await aStructure(t.handle.db);
    const agent = await anAgent(t.handle.db, {
      structureId: elsewhere.structure.id,
      roles: ["counselor"],
    });
    const base = `/api/structures/${t.demoStructureId}`;
    const added = await call("POST", `${base}/users`, demo.manager, {
      email: agent.email,
      displayName: "Nom tapé par la direction",
      roles: ["counselor"],
      serviceId: null,
    });
    expect(added.statusCode, added.body).toBe(200);
    // The direction gives the invited counselor a permanence and an absence.
    const [fontainebleau] = await t.handle.db
      .select()
      .from(site)
      .where(and(eq(site.structureId, t.demoStructureId), eq(site.name, "Fontainebleau")));
    const rule = await call("POST", `${base}/opening-rules`, demo.manager, {
      siteId: fontainebleau!.id,
      weekday: 6,
      onDate: null,
      startTime: "09:00",
      endTime: "11:00",
      slotMinutes: 60,
      bufferMinutes: 0,
      validFrom: "2026-06-06",
      validTo: null,
      counselorIds: [agent.id],
    });
    expect(rule.statusCode, rule.body).toBe(200);
    const absence = await call("POST", `${base}/absences`, demo.manager, {
      userId: agent.id,
      startsAt: "2026-06-13T06:00:00.000Z",
      endsAt: "2026-06-13T10:00:00.000Z",
    });
    expect(absence.statusCode, absence.body).toBe(200);

    const routes = [
      `${base}/users`,
      `${base}/openings`,
      `${base}/untrained-in-pools`,
      `${base}/collective-actions/options`,
    ];
    const openings = async () => (await call("GET", `${base}/openings`, demo.manager)).json();
    for (const url of routes) {
      const answer = await call("GET", url, demo.manager);
      expect(answer.statusCode, `${url}: ${answer.body}`).toBe(200);
      expect(answer.body, url).not.toContain(agent.displayName);
      expect(answer.body, url).toContain("Nom tapé par la direction");
    }
    const pending = await openings();
    expect(pending.counselors).toContainEqual(
      expect.objectContaining({ id: agent.id, name: "Nom tapé par la direction" }),
    );
    expect(pending.absences).toContainEqual(expect.objectContaining({ label: "Nom tapé par la direction" }));

    // Once the agent signed in here, the account's own name.
    const signedIn = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: agent.email, password: "Passerelle77-demo" },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const accepted = await openings();
    expect(accepted.counselors).toContainEqual(
      expect.objectContaining({ id: agent.id, name: agent.displayName }),
    );
  });
});

describe("a pending invitation of an existing account, where its name is read back", () => {
  it("the dashboard's counselor filter and a collective action's organisers show the typed name until sign-in", async () => {
    const elsewhere = await aStructure(t.handle.db);
    const agent = await anAgent(t.handle.db, { structureId: elsewhere.structure.id, roles: ["counselor"] });
    const base = `/api/structures/${t.demoStructureId}`;
    const typed = "Nom tapé pour le tableau de bord";
    const added = await call("POST", `${base}/users`, demo.manager, {
      email: agent.email,
      displayName: typed,
      roles: ["counselor"],
      serviceId: null,
    });
    expect(added.statusCode, added.body).toBe(200);
    const [meaux] = await t.handle.db
      .select()
      .from(site)
      .where(and(eq(site.structureId, t.demoStructureId), eq(site.name, "Meaux")));
    const created = await call("POST", `${base}/collective-actions`, demo.manager, {
      kind: "forum_emploi",
      title: "Forum emploi organisé par un agent invité",
      description: "",
      day: "2026-06-20",
      startTime: "09:30",
      endTime: "12:30",
      siteId: meaux!.id,
      capacity: 20,
      organiserIds: [agent.id],
    });
    expect(created.statusCode, created.body).toBe(200);
    const actionId = created.json().id as string;

    const counselorNamed = async () =>
      (
        await call(
          "GET",
          `/api/reporting/dashboard?from=2026-01&to=2026-05&structureId=${t.demoStructureId}`,
          demo.manager,
        )
      )
        .json()
        .options.counselors.find((c: { id: string }) => c.id === agent.id)?.name;
    const organisers = async () =>
      (await call("GET", `/api/collective-actions/${actionId}`, demo.manager)).json().organisers;
    // A working group's members, too (the agent made a member while invited).
    const group = await call("POST", `${base}/collective-actions`, demo.manager, {
      kind: "working_group",
      title: "Groupe de travail avec un agent invité",
      theme: "Accès aux droits",
      description: "",
      day: "2026-06-22",
      startTime: "14:00",
      endTime: "16:00",
      address: "Préfecture de Seine-et-Marne, Melun",
    });
    expect(group.statusCode, group.body).toBe(200);
    const groupId = group.json().id as string;
    const member = await call("POST", `/api/collective-actions/${groupId}/members`, demo.manager, {
      userId: agent.id,
    });
    expect(member.statusCode, member.body).toBe(200);
    const memberNamed = async () =>
      (await call("GET", `/api/collective-actions/${groupId}/working-group`, demo.manager))
        .json()
        .members.find((m: { kind: string }) => m.kind === "agent")?.name;
    expect(await memberNamed()).toBe(typed);
    expect(await counselorNamed()).toBe(typed);
    expect(await organisers()).toEqual([{ id: agent.id, name: typed }]);
    const choices = await call("GET", "/api/reporting/filter-choices", demo.manager);
    expect(choices.statusCode, choices.body).toBe(200);
    expect(choices.body).not.toContain(agent.displayName);
    expect(choices.body).toContain(typed);

    // Once the agent signed in here, the account's own name.
    const signedIn = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: agent.email, password: "Passerelle77-demo" },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(await counselorNamed()).toBe(agent.displayName);
    expect(await organisers()).toEqual([{ id: agent.id, name: agent.displayName }]);
    expect(await memberNamed()).toBe(agent.displayName);
  });
});
