import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, membership, notification } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { acceptInvitations } from "../domains/identity/store";
import { totpCode } from "../domains/identity/totp";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The second review of account invitations: what adding an e-mail must not reveal of the account
 * (its own journal rows, its name, whether it is an administrator's), where an agent's notices
 * are queued, and how often an invitation may be resent.
 */
let t: TestApp;
let structureA: string;
let structureB: string;

beforeAll(async () => {
  t = await startTestApp();
  structureA = t.demoStructureId;
  structureB = (await aStructure(t.handle.db)).structure.id;
});
afterAll(() => t.close());

const call = async (method: "GET" | "POST" | "PUT", url: string, as: string, payload: object = {}) =>
  t.app.inject({ method, url, headers: await t.sessionFor(as), ...(method === "GET" ? {} : { payload }) });
const add = (structureId: string, as: string, address: string, displayName = "Nom tapé par A") =>
  call("POST", `/api/structures/${structureId}/users`, as, {
    email: address,
    displayName,
    roles: ["counselor"],
    serviceId: null,
  });
const journalOfA = async () =>
  (await call("GET", `/api/audit?structureId=${structureA}`, demo.manager)).json().events as {
    id: number;
    actorUserId: string | null;
    actorName: string | null;
    action: string;
  }[];
/** A row of the account's own, in no structure (a login, an account change). */
const ownRow = async (actorUserId: string, action: string) => {
  const [row] = await t.handle.db
    .insert(auditEvent)
    .values({ actorUserId, action, outcome: "success", at: t.clock.now() })
    .returning({ id: auditEvent.id });
  return row?.id ?? -1;
};

describe("A's journal after A added an e-mail", () => {
  it("shows none of the account's own rows nor its name, for B's agent as for the administrator", async () => {
    const agentB = await anAgent(t.handle.db, { structureId: structureB, roles: ["counselor"] });
    const adminId = await t.userId(demo.admin);
    const failed = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: agentB.email, password: "pas le bon mot de passe" },
    });
    expect(failed.statusCode).toBe(401);
    await ownRow(agentB.id, "account.password_changed");
    await ownRow(adminId, "account.disabled");
    t.clock.advance(60_000);
    await add(structureA, demo.manager, agentB.email);
    await add(structureA, demo.manager, demo.admin, "Administrateur tapé");
    t.clock.advance(60_000);
    await ownRow(agentB.id, "account.totp_replaced");
    await ownRow(adminId, "account.enabled");
    // A row of A's own, by the invited agent: named as A typed it.
    await t.handle.db
      .insert(auditEvent)
      .values({ actorUserId: agentB.id, action: "probe.inA", structureId: structureA, outcome: "success" });

    const pending = await journalOfA();
    const theirs = pending.filter((e) => e.actorUserId === agentB.id || e.actorUserId === adminId);
    expect(theirs.map((e) => [e.action, e.actorName])).toEqual([["probe.inA", "Nom tapé par A"]]);
    expect(pending.map((e) => e.actorName)).not.toContain(agentB.displayName);

    // Once the agent signed in (accepting A's invitation), their later rows are A's too, not the
    // earlier ones; an administrator's never are.
    t.clock.advance(60_000);
    const signedIn = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: agentB.email, password: DEMO_PASSWORD },
    });
    expect(signedIn.statusCode).toBe(200);
    await acceptInvitations(t.handle.db, adminId, t.clock.now());
    t.clock.advance(60_000);
    const afterwards = await ownRow(agentB.id, "account.password_changed");
    await ownRow(adminId, "account.disabled");
    const accepted = (await journalOfA()).filter(
      (e) => e.actorUserId === agentB.id || e.actorUserId === adminId,
    );
    expect(accepted.some((e) => e.id === afterwards)).toBe(true);
    expect(accepted.filter((e) => e.actorUserId === adminId)).toEqual([]);
    expect(accepted.map((e) => e.action)).not.toContain("account.totp_replaced");
    expect(accepted.find((e) => e.id === afterwards)?.actorName).toBe(agentB.displayName);
  });
});

describe("A's journal after A changed an accepted agent's roles", () => {
  it("keeps showing the agent's own rows: a new role is no new invitation", async () => {
    const agent = await anAgent(t.handle.db, { structureId: structureA, roles: ["counselor"] });
    const url = `/api/structures/${structureA}/users/${agent.id}`;
    const changed = await call("PUT", url, demo.manager, { roles: ["probation_officer"], serviceId: null });
    expect(changed.statusCode).toBe(200);
    t.clock.advance(60_000);
    const row = await ownRow(agent.id, "account.password_changed");
    expect((await journalOfA()).some((e) => e.id === row)).toBe(true);
    const listed = (await call("GET", `/api/structures/${structureA}/users`, demo.manager)).json().users;
    expect(listed.find((u: { id: string }) => u.id === agent.id)?.invitationPending).toBe(false);
  });
});

describe("a pending invitation of an administrator's e-mail", () => {
  it("is changed, resent and ended like any other; once accepted, 404 like a non-member", async () => {
    const adminId = await t.userId(demo.admin);
    // In a structure of its own, so the rows are fresh whatever the other tests did.
    const structureC = (await aStructure(t.handle.db)).structure.id;
    const managerC = (await anAgent(t.handle.db, { structureId: structureC, roles: ["service_manager"] }))
      .email;
    await add(structureC, managerC, demo.admin);
    const invitedOther = (await add(structureC, managerC, "autre.invite@test.passerelle.fr")).json().userId;
    const base = (id: string) => `/api/structures/${structureC}/users/${id}`;
    const answers = async (id: string) => [
      (await call("PUT", base(id), managerC, { roles: ["steering"], serviceId: null })).statusCode,
      (await call("POST", `${base(id)}/resend-invitation`, managerC)).statusCode,
      (await call("POST", `${base(id)}/disable`, managerC)).statusCode,
      (await call("POST", `${base(id)}/enable`, managerC)).statusCode,
    ];
    const forAdmin = await answers(adminId);
    expect(forAdmin).toEqual(await answers(invitedOther));
    expect(forAdmin).toEqual([200, 200, 200, 200]);

    await acceptInvitations(t.handle.db, adminId, t.clock.now());
    const refused = await call("PUT", base(adminId), managerC, { roles: ["counselor"], serviceId: null });
    const stranger = await call("PUT", base(crypto.randomUUID()), managerC, {
      roles: ["counselor"],
      serviceId: null,
    });
    expect([refused.statusCode, refused.json().code]).toEqual([404, "user.notFound"]);
    expect([stranger.statusCode, stranger.json().code]).toEqual([404, "user.notFound"]);
    const current = await t.handle.db
      .select({ role: membership.role })
      .from(membership)
      .where(
        and(
          eq(membership.userId, adminId),
          eq(membership.structureId, structureC),
          isNull(membership.endedAt),
        ),
      );
    expect(current.map((r) => r.role)).toEqual(["steering"]);
  });
});

describe("the second-factor notice", () => {
  it("is queued under a structure the agent accepted, never under another's pending invitation", async () => {
    const agent = await anAgent(t.handle.db, { structureId: structureB, roles: ["counselor"] });
    // Ended in B (accepted long ago), then invited by A: still a notice of B's.
    await t.handle.db
      .update(membership)
      .set({ endedAt: t.clock.now(), endedReason: "deactivated" })
      .where(eq(membership.userId, agent.id));
    await add(structureA, demo.manager, agent.email);
    const headers = await t.sessionFor(agent.email);
    const post = (url: string, payload: object = {}) =>
      t.app.inject({ method: "POST", url, headers, payload });
    const { secret } = (await post("/api/account/totp/setup")).json();
    expect(
      (await post("/api/account/totp/confirm", { code: totpCode(secret, t.clock.now()) })).statusCode,
    ).toBe(200);
    const notices = await t.handle.db
      .select({ structureId: notification.structureId, subject: notification.subject })
      .from(notification)
      .where(eq(notification.recipient, agent.email));
    const secondFactor = notices.filter((n) => n.subject.includes("double authentification"));
    expect(secondFactor.map((n) => n.structureId)).toEqual([structureB]);
  });
});

describe("resending an invitation is rate limited", () => {
  it("once per agent every 10 minutes, 10 per structure an hour; 429 with a French message", async () => {
    const structureD = (await aStructure(t.handle.db)).structure.id;
    const managerD = (await anAgent(t.handle.db, { structureId: structureD, roles: ["service_manager"] }))
      .email;
    const ids: string[] = [];
    for (let i = 0; i < 11; i++)
      ids.push((await add(structureD, managerD, `relance-${i}@test.passerelle.fr`)).json().userId);
    const resend = (id: string) =>
      call("POST", `/api/structures/${structureD}/users/${id}/resend-invitation`, managerD);
    const first = ids[0] ?? "";
    expect((await resend(first)).statusCode).toBe(200);
    const again = await resend(first);
    expect([again.statusCode, again.json().code]).toEqual([429, "user.tooManyResends"]);
    expect(again.json().message).toMatch(/^L'invitation a déjà été renvoyée récemment\. Réessayez dans/);
    expect(again.headers["retry-after"]).toBe("600");
    t.clock.advance(10 * 60_000 + 1_000);
    expect((await resend(first)).statusCode).toBe(200);
    // 10 resends within the hour for the structure (two already): the next ones wait.
    const codes: number[] = [];
    for (const id of ids.slice(1)) codes.push((await resend(id)).statusCode);
    expect(codes).toEqual([...Array(8).fill(200), 429, 429]);
    t.clock.advance(60 * 60_000);
    expect((await resend(ids[10] ?? "")).statusCode).toBe(200);
  });
});
