import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, membership } from "../db/schema";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Adding roles through "Ajouter un agent" follows the rules of every membership change: the
 * direction cannot add roles to an administrator's account it already knows, nor to itself.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const add = async (email: string) =>
  t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}/users`,
    headers: await t.sessionFor(demo.manager),
    payload: { email, displayName: "Quelqu'un", roles: ["probation_officer"], serviceId: null },
  });

const rolesIn = async (userId: string) =>
  (
    await t.handle.db
      .select({ role: membership.role })
      .from(membership)
      .where(and(eq(membership.userId, userId), eq(membership.structureId, t.demoStructureId)))
  ).map((row) => row.role);

describe("adding roles to a known account", () => {
  it("refuses an administrator's account (404 as for a stranger, journaled, nothing written)", async () => {
    const adminId = await t.userId(demo.admin);
    const before = await rolesIn(adminId);
    const response = await add(demo.admin.toUpperCase());
    expect(response.statusCode, response.body).toBe(404);
    expect(response.json()).toMatchObject({ code: "user.notFound" });
    expect(await rolesIn(adminId)).toEqual(before);
    const refusals = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, adminId), eq(auditEvent.outcome, "denied")));
    expect(refusals.map((row) => row.action)).toContain("membership.granted");
  });

  it("refuses the direction's own account, and still adds roles to another agent it knows", async () => {
    expect((await add(demo.manager)).json()).toMatchObject({ code: "user.cannotChangeSelf" });
    const counselorId = await t.userId(demo.counselor);
    expect((await add(demo.counselor)).statusCode).toBe(200);
    expect(await rolesIn(counselorId)).toEqual(expect.arrayContaining(["counselor", "probation_officer"]));
  });
});
