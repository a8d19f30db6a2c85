import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, membership, session, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { anAgent, aStructure } from "../testing/builders";
import { demo, sessionCookieOf, startTestApp, type TestApp } from "../testing/testApp";

// The direction gives an agent of its structure a temporary password, to be changed at sign-in.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const reset = async (userId: string, email?: string, structureId = t.demoStructureId) =>
  t.app.inject({
    method: "POST",
    url: `/api/structures/${structureId}/users/${userId}/reset-password`,
    headers: email ? await t.sessionFor(email) : {},
  });
const login = (email: string, password: string) =>
  t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
const signedIn = async (email: string, password: string) => {
  const response = await login(email, password);
  expect(response.statusCode, response.body).toBe(200);
  const cookie = sessionCookieOf(response);
  const view = await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } });
  return { cookie, "x-csrf-token": view.json().csrfToken as string, view: view.json() };
};
const hashOf = async (id: string) =>
  (await t.handle.db.select({ h: user.passwordHash }).from(user).where(eq(user.id, id)))[0]!.h;

describe("POST /api/structures/:structureId/users/:userId/reset-password", () => {
  it("401, 403 for another role or structure or an administrator, 404 for another structure's agent or an administrator, 409 for oneself or a pending agent; nothing changes", async () => {
    const counselor = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const before = await hashOf(counselor.id);
    expect((await reset(counselor.id)).statusCode).toBe(401);
    expect((await reset(counselor.id, demo.cpip)).statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const otherManager = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    expect((await reset(counselor.id, otherManager.email)).statusCode).toBe(403);
    // A platform administrator manages the structure's memberships, never an agent's password: knowing
    // it, they would read the files that agent reads, in their name. The « Agents » page offers no reset.
    const byAdmin = await reset(counselor.id, demo.admin);
    expect(byAdmin.statusCode, byAdmin.body).toBe(403);
    const listed = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/users`,
      headers: await t.sessionFor(demo.admin),
    });
    const rows = listed.json().users as { id: string; permissions: Record<string, boolean> }[];
    expect(rows.find((u) => u.id === counselor.id)?.permissions).toMatchObject({
      changeRoles: true,
      resetPassword: false,
    });
    const forDirection = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/users`,
      headers: await t.sessionFor(demo.manager),
    });
    expect(
      (forDirection.json().users as typeof rows).find((u) => u.id === counselor.id)?.permissions
        .resetPassword,
    ).toBe(true);
    const outsider = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["counselor"] });
    expect((await reset(outsider.id, demo.manager)).json().code).toBe("user.notFound");
    const admin = await reset(await t.userId(demo.admin), demo.manager);
    expect(admin.statusCode).toBe(404);
    expect(admin.json().code).toBe("user.notFound");
    const self = await reset(await t.userId(demo.manager), demo.manager);
    expect(self.json().code).toBe("user.cannotChangeSelf");
    const pending = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    await t.handle.db.update(membership).set({ acceptedAt: null }).where(eq(membership.userId, pending.id));
    expect((await reset(pending.id, demo.manager)).json().code).toBe("user.notSignedInYet");
    const twoPlaces = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    await t.handle.db.insert(membership).values({
      userId: twoPlaces.id,
      structureId: other.structure.id,
      role: "counselor",
      acceptedAt: new Date("2020-01-01T00:00:00Z"),
    });
    expect((await reset(twoPlaces.id, demo.manager)).json().code).toBe("user.resetElsewhere");
    expect(await hashOf(counselor.id)).toBe(before);
    expect(await hashOf(twoPlaces.id)).toBe(await hashOf(pending.id));
  });

  it("409 for an agent another structure has invited: the next sign-in would accept that invitation", async () => {
    // Security review 2026-12-03: a direction that knew the temporary password signed in as its
    // agent, which accepted the other structure's pending invitation, and read that structure's files.
    const other = await aStructure(t.handle.db);
    const invited = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["probation_officer"],
    });
    await t.handle.db.insert(membership).values({
      userId: invited.id,
      structureId: other.structure.id,
      role: "probation_officer",
      acceptedAt: null,
    });
    const before = await hashOf(invited.id);
    const refused = await reset(invited.id, demo.manager);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("user.resetElsewhere");
    expect(refused.body).not.toContain("temporaryPassword");
    expect(await hashOf(invited.id)).toBe(before);
    const stillPending = await t.handle.db
      .select({ acceptedAt: membership.acceptedAt })
      .from(membership)
      .where(and(eq(membership.userId, invited.id), eq(membership.structureId, other.structure.id)));
    expect(stillPending).toEqual([{ acceptedAt: null }]);
    // An invitation the other structure ended no longer stands in the way.
    await t.handle.db
      .update(membership)
      .set({ endedAt: new Date("2020-01-02T00:00:00Z"), endedReason: "deactivated" })
      .where(and(eq(membership.userId, invited.id), eq(membership.structureId, other.structure.id)));
    expect((await reset(invited.id, demo.manager)).statusCode).toBe(200);
  });

  it("gives a one-time temporary password, closes the agent's sessions, and every page waits for a new password", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const old = await signedIn(agent.email, DEMO_PASSWORD);
    const response = await reset(agent.id, demo.manager);
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    const { temporaryPassword } = response.json();
    expect(temporaryPassword).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    expect(await t.handle.db.select().from(session).where(eq(session.userId, agent.id))).toEqual([]);
    const stale = await t.app.inject({ method: "GET", url: "/api/people", headers: old });
    expect(stale.statusCode).toBe(401);
    expect((await login(agent.email, DEMO_PASSWORD)).statusCode).toBe(401);

    const fresh = await signedIn(agent.email, temporaryPassword);
    expect(fresh.view.mustChangePassword).toBe(true);
    const blocked = await t.app.inject({ method: "GET", url: "/api/people", headers: fresh });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe("auth.passwordChangeRequired");
    const kept = await t.app.inject({
      method: "POST",
      url: "/api/account/password",
      headers: fresh,
      payload: { currentPassword: temporaryPassword, newPassword: temporaryPassword },
    });
    expect(kept.statusCode).toBe(400);
    expect(kept.json().code).toBe("auth.weakPassword");
    expect((await t.app.inject({ method: "GET", url: "/api/people", headers: fresh })).statusCode).toBe(403);
    const changed = await t.app.inject({
      method: "POST",
      url: "/api/account/password",
      headers: fresh,
      payload: { currentPassword: temporaryPassword, newPassword: "une phrase de passe bien à moi 42" },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await t.app.inject({ method: "GET", url: "/api/people", headers: fresh })).statusCode).toBe(200);
    expect((await login(agent.email, temporaryPassword)).statusCode).toBe(401);

    const [row] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "account.password_reset"), eq(auditEvent.targetId, agent.id)));
    expect(row).toMatchObject({ targetId: agent.id, structureId: t.demoStructureId, outcome: "success" });
    expect(JSON.stringify(row)).not.toContain(temporaryPassword);
  });
});
