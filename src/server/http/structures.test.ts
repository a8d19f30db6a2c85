import { and, eq, gte, inArray, lte } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../common/calendar";
import { measure, person } from "../db/schema";
import { recordKey } from "../domains/reporting/cellKey";
import { count as cell, present } from "../domains/reporting/rules";
import { anAgent, aStructure } from "../testing/builders";
import { TEST_TODAY } from "../testing/constants";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const inject = async (method: "GET" | "POST", url: string, email?: string) =>
  t.app.inject({
    method,
    url,
    headers: email ? await t.sessionFor(email) : {},
    ...(method === "POST" ? { payload: {} } : {}),
  });

describe("structure routes", () => {
  it("stats: 401 anonymous, 400 bad id, 404 unknown or outside the reader's structures, 403 to a role without figures; exact for the direction, protected for steering", async () => {
    expect((await inject("GET", `/api/structures/${t.demoStructureId}/stats`)).statusCode).toBe(401);
    expect((await inject("GET", "/api/structures/nope/stats", demo.steering)).statusCode).toBe(400);
    // An unknown structure and another one answer alike (nothing tells that the other one exists).
    const unknown = "00000000-0000-4000-8000-000000000000";
    const other = await aStructure(t.handle.db);
    for (const id of [unknown, other.structure.id]) {
      const response = await inject("GET", `/api/structures/${id}/stats`, demo.steering);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("structure.notFound");
    }
    // A role that reads these figures nowhere is refused the route, whatever the structure.
    for (const id of [unknown, t.demoStructureId])
      expect((await inject("GET", `/api/structures/${id}/stats`, demo.partner)).json().code).toBe(
        "access.forbidden",
      );
    const statsOf = async (who: string) =>
      (await inject("GET", `/api/structures/${t.demoStructureId}/stats`, who)).json();
    const exact = await statsOf(demo.manager);
    const stats = await statsOf(demo.steering);
    type Row = { status: string; count: number | null };
    const semi = (s: { byStatus: Row[] }) => s.byStatus.find((row) => row.status === "semi_liberte")?.count;
    // Two demo people are in semi-liberté (Julien, Yasmine): the direction reads 2, steering "< 5".
    expect(exact.peopleFollowed).toBe(12);
    expect(semi(exact)).toBe(2);
    expect(semi(stats)).toBeNull();
    // Steering's counts are moved by the cell-key perturbation (at most 4), never shown from 1 to 4,
    // the same at every read: the total minus the other statuses does not give the hidden one.
    expect(Math.abs((stats.peopleFollowed ?? 0) - 12)).toBeLessThanOrEqual(4);
    expect(stats.byStatus.every((row: Row) => row.count === null || row.count === 0 || row.count >= 5)).toBe(
      true,
    );
    expect(await statsOf(demo.steering)).toEqual(stats);
    expect(stats.sites).toBe(3);
    // Every count of people the steering reads is the dashboard's protected cell of the same people:
    // the total and the measures ending as much as each situation.
    const open = await t.handle.db.select().from(person).where(eq(person.structureId, t.demoStructureId));
    const protectedOf = (ids: string[]) =>
      present(
        cell(
          ids.length,
          ids.reduce((sum, id) => sum + recordKey(id), 0),
        ),
        true,
      );
    expect(stats.peopleFollowed).toBe(protectedOf(open.map((p) => p.id)));
    for (const row of stats.byStatus as Row[])
      expect(row.count, row.status).toBe(
        protectedOf(open.filter((p) => p.status === row.status).map((p) => p.id)),
      );
    const ending = await t.handle.db
      .selectDistinct({ id: measure.personId })
      .from(measure)
      .where(and(gte(measure.endDate, TEST_TODAY), lte(measure.endDate, addDays(TEST_TODAY, 60))));
    expect(exact.measuresEndingWithin60Days).toBe(ending.length);
    expect(stats.measuresEndingWithin60Days).toBe(protectedOf(ending.map((row) => row.id)));
    // Partners, the mediation and an administrator read no caseload.
    for (const who of [demo.partner, demo.mediator, demo.admin])
      expect((await inject("GET", `/api/structures/${t.demoStructureId}/stats`, who)).statusCode, who).toBe(
        403,
      );
  });

  it("stats: the people followed are the open files the people list shows (closed, archived, merged, erased apart)", async () => {
    const db = t.handle.db;
    const someone = await db
      .select()
      .from(person)
      .where(inArray(person.firstName, ["Karim", "Julien", "Yasmine", "Mehdi"]));
    const byName = Object.fromEntries(someone.map((p) => [p.firstName, p]));
    const now = t.clock.now();
    await db
      .update(person)
      .set({ closedAt: now })
      .where(inArray(person.id, [byName.Karim!.id]));
    await db
      .update(person)
      .set({ archivedAt: now })
      .where(inArray(person.id, [byName.Julien!.id]));
    await db
      .update(person)
      .set({ mergedIntoId: byName.Karim!.id })
      .where(inArray(person.id, [byName.Yasmine!.id]));
    await db
      .update(person)
      .set({ erasedAt: now })
      .where(inArray(person.id, [byName.Mehdi!.id]));
    const total = async (query: string) =>
      (await inject("GET", `/api/people?${query}`, demo.manager)).json().total as number;
    const stats = (await inject("GET", `/api/structures/${t.demoStructureId}/stats`, demo.manager)).json();
    expect(stats.peopleFollowed).toBe(8);
    expect(await total("fileState=active")).toBe(stats.peopleFollowed);
    expect(await total("fileState=all")).toBe(stats.peopleFollowed + 1);
    type Row = { status: string; count: number };
    expect(stats.byStatus.reduce((sum: number, row: Row) => sum + row.count, 0)).toBe(8);
  });

  it("users: the direction lists its agents; nobody may disable themself; a user of another structure is not found", async () => {
    const users = (await inject("GET", `/api/structures/${t.demoStructureId}/users`, demo.manager)).json()
      .users;
    expect(users.map((u: { email: string }) => u.email)).toContain(demo.cpip);
    const self = await t.userId(demo.manager);
    const selfDisable = await inject(
      "POST",
      `/api/structures/${t.demoStructureId}/users/${self}/disable`,
      demo.manager,
    );
    expect(selfDisable.statusCode).toBe(409);
    expect(selfDisable.json().code).toBe("user.cannotChangeSelf");
    const other = await aStructure(t.handle.db);
    const stranger = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["counselor"] });
    const strangerDisable = await inject(
      "POST",
      `/api/structures/${t.demoStructureId}/users/${stranger.id}/disable`,
      demo.manager,
    );
    expect(strangerDisable.statusCode).toBe(404);
    expect(strangerDisable.json().code).toBe("user.notFound");
  });
});

describe("POST /api/structures/:structureId/users", () => {
  const url = () => `/api/structures/${t.demoStructureId}/users`;
  const post = async (payload: object, email?: string) =>
    t.app.inject({ method: "POST", url: url(), payload, headers: email ? await t.sessionFor(email) : {} });

  it("401 anonymous, 403 for a CPIP, 400 listing every issue, and nothing written", async () => {
    expect((await post({})).statusCode).toBe(401);
    expect(
      (
        await post(
          { email: "a@b.fr", displayName: "Ab Cd", roles: ["counselor"], serviceId: null },
          demo.cpip,
        )
      ).statusCode,
    ).toBe(403);
    const bad = await post(
      { email: "pas-un-email", displayName: "", roles: [], serviceId: "x" },
      demo.manager,
    );
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.displayName", "body.email", "body.roles", "body.serviceId"]);
  });

  it("the direction cannot grant the admin role, nor a service of another structure", async () => {
    const admin = await post(
      { email: "x1@demo.passerelle.fr", displayName: "X Un", roles: ["admin"], serviceId: null },
      demo.manager,
    );
    expect(admin.json().code).toBe("user.roleNotGrantable");
    const other = await aStructure(t.handle.db);
    const foreign = await post(
      {
        email: "x2@demo.passerelle.fr",
        displayName: "X Deux",
        roles: ["counselor"],
        serviceId: other.spipServiceId,
      },
      demo.manager,
    );
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().code).toBe("user.serviceNotInStructure");
    // Said under the form's service field.
    expect(foreign.json().issues).toEqual([
      {
        path: "body.serviceId",
        message: expect.stringContaining("Ce service n'appartient pas à la structure"),
      },
    ]);
    const users = (await inject("GET", `/api/structures/${t.demoStructureId}/users`, demo.manager)).json()
      .users;
    expect(users.map((u: { email: string }) => u.email)).not.toContain("x2@demo.passerelle.fr");
  });

  it("creates an agent with no password in the answer (an activation e-mail instead); again adds roles only, same answer", async () => {
    const created = await post(
      {
        email: "Nouvelle.CPIP@demo.passerelle.fr",
        displayName: "Nouvelle CPIP",
        roles: ["probation_officer"],
        serviceId: null,
      },
      demo.manager,
    );
    expect(created.statusCode).toBe(200);
    expect(Object.keys(created.json())).toEqual(["userId"]);
    const again = await post(
      {
        email: "nouvelle.cpip@demo.passerelle.fr",
        displayName: "Nouvelle CPIP",
        roles: ["counselor"],
        serviceId: null,
      },
      demo.manager,
    );
    expect(again.json()).toEqual({ userId: created.json().userId });
    const users = (await inject("GET", `/api/structures/${t.demoStructureId}/users`, demo.manager)).json()
      .users;
    const found = users.find((u: { email: string }) => u.email === "nouvelle.cpip@demo.passerelle.fr");
    expect(found.roles.sort()).toEqual(["counselor", "probation_officer"]);
    expect(found).toMatchObject({ activeInStructure: true, accountDisabled: false });
  });
});
