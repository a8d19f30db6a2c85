import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anAgent, aStructure } from "../testing/builders";
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
  it("stats: 401 anonymous, 400 bad id, 403 outside the structure; small counts hidden for steering", async () => {
    expect((await inject("GET", `/api/structures/${t.demoStructureId}/stats`)).statusCode).toBe(401);
    expect((await inject("GET", "/api/structures/nope/stats", demo.steering)).statusCode).toBe(400);
    const other = await aStructure(t.handle.db);
    expect(
      (await inject("GET", `/api/structures/${other.structure.id}/stats`, demo.steering)).statusCode,
    ).toBe(403);
    const stats = (await inject("GET", `/api/structures/${t.demoStructureId}/stats`, demo.steering)).json();
    expect(stats.peopleFollowed).toBe(12);
    // Two demo people are in semi-liberté (Julien, Yasmine): hidden as "< 5".
    const semiLiberte = stats.byStatus.find((row: { status: string }) => row.status === "semi_liberte");
    expect(semiLiberte.count).toBeNull();
    expect(
      stats.byStatus.every((row: { count: number | null }) => row.count === null || row.count >= 5),
    ).toBe(true);
    expect(stats.sites).toBe(3);
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
