import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../common/structures/accounts.schema";
import { auditEvent, membership } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/** The platform administrator's search of accounts across structures (GET /api/admin/users). */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const search = async (query: string, email: string = demo.admin) =>
  t.app.inject({ method: "GET", url: `/api/admin/users?${query}`, headers: await t.sessionFor(email) });
const accountsOf = async (query: string): Promise<Account[]> => (await search(query)).json().accounts;

describe("GET /api/admin/users", () => {
  it("401 anonymous, 403 for a direction or a CPIP, 400 names every bad parameter", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/admin/users" })).statusCode).toBe(401);
    for (const email of [demo.manager, demo.cpip])
      expect((await search("search=a", email)).statusCode).toBe(403);
    const bad = await search(`page=0&search=${"x".repeat(101)}&structureId=1`);
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["query.page", "query.search", "query.structureId"]);
  });

  it("finds an account by its name (accents and case ignored) or its e-mail, in every structure", async () => {
    const byName = await accountsOf("search=HELENE");
    expect(byName.map((a) => a.displayName)).toEqual(["Hélène Bernard"]);
    expect(byName[0]).toMatchObject({
      email: demo.manager,
      disabled: false,
      memberships: [{ structureName: expect.any(String), roles: ["service_manager"], active: true }],
      permissions: { disable: true, enable: false },
    });
    expect((await accountsOf("search=cpip2%40demo")).map((a) => a.email)).toEqual([demo.cpip2]);
    // The administrator's own account: never disabled from here.
    const [own] = await accountsOf("search=admin%40demo.passerelle.fr");
    expect(own!.permissions).toEqual({ disable: false, enable: false });
    // Agents' data only: nothing of a person.
    const body = (await search("search=a")).body;
    for (const key of ["personId", "personName", "birthDate", "firstName", "lastName"])
      expect(body).not.toContain(`"${key}"`);
  });

  it("lists each structure with its roles, an ended one as such, and the last sign-in", async () => {
    const other = await aStructure(t.handle.db, "France services SPIP 91 (comptes)");
    const agent = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["counselor"],
      email: "zoe.multi@test.passerelle.fr",
    });
    await t.handle.db.insert(membership).values({
      userId: agent.id,
      structureId: other.structure.id,
      role: "probation_officer",
      acceptedAt: new Date("2020-01-01T00:00:00Z"),
    });
    await t.handle.db
      .update(membership)
      .set({ endedAt: t.clock.now(), endedReason: "deactivated" })
      .where(and(eq(membership.userId, agent.id), eq(membership.structureId, t.demoStructureId)));
    const [before] = await accountsOf("search=zoe.multi");
    expect(before!.lastLoginAt).toBeNull();
    expect(before!.memberships).toEqual(
      expect.arrayContaining([
        { structureName: "France services SPIP 91 (comptes)", roles: ["probation_officer"], active: true },
        { structureName: expect.stringMatching(/SPIP 77/), roles: ["counselor"], active: false },
      ]),
    );
    const login = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: agent.email, password: DEMO_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    const [signIn] = await t.handle.db
      .select({ at: auditEvent.at })
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, agent.id), eq(auditEvent.action, "auth.login")));
    const [after] = await accountsOf("search=zoe.multi");
    expect(after!.lastLoginAt).toBe(signIn!.at.toISOString());
  });

  it("pages by 25 with the total; a disabled account says so and may be enabled", async () => {
    for (let i = 0; i < 26; i++)
      await anAgent(t.handle.db, {
        structureId: t.demoStructureId,
        roles: ["steering"],
        email: `pagination-${String(i).padStart(2, "0")}@test.passerelle.fr`,
      });
    const first = (await search("search=pagination-")).json();
    expect({ total: first.total, shown: first.accounts.length, page: first.page }).toEqual({
      total: 26,
      shown: 25,
      page: 1,
    });
    const second = (await search("search=pagination-&page=2")).json();
    expect(second.accounts.length).toBe(1);
    expect((await search("search=pagination-&page=9")).json()).toMatchObject({ total: 26, accounts: [] });
    const target = first.accounts[0] as Account;
    const disabled = await t.app.inject({
      method: "POST",
      url: `/api/admin/users/${target.id}/disable`,
      headers: await t.sessionFor(demo.admin),
    });
    expect(disabled.statusCode).toBe(200);
    const [now] = await accountsOf(`search=${encodeURIComponent(target.email)}`);
    expect(now).toMatchObject({ disabled: true, permissions: { disable: false, enable: true } });
  });
});
