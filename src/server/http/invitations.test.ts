import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, membership, notification, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { ACTIVATION_LINK_PLACEHOLDER } from "../domains/identity/accountNotices";
import type { EmailMessage, EmailSender } from "../domains/notifications/providers";
import { logSmsSender } from "../domains/notifications/providers";
import { UncertainSendError } from "../domains/notifications/rules";
import { runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { anAgent, aStructure } from "../testing/builders";
import { demo, PUBLIC_URL, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The reviewer's account-management defects: an activation link readable by another structure's
 * direction, reactivation restoring removed roles, an added e-mail revealing its account.
 */
let t: TestApp;
let structureA: string;
let structureB: string;
let managerB: string;
const sent: EmailMessage[] = [];
let failing = false;
const email: EmailSender = {
  async send(message) {
    if (failing) throw new UncertainSendError("coupé");
    sent.push(message);
    return { providerMessageId: null };
  },
  close: () => {},
};
let worker: WorkerDeps;

beforeAll(async () => {
  t = await startTestApp();
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email,
    sms: logSmsSender(() => {}),
    publicUrl: PUBLIC_URL,
    smsWebhookToken: null,
    log: () => {},
  };
  structureA = t.demoStructureId;
  structureB = (await aStructure(t.handle.db)).structure.id;
  managerB = (await anAgent(t.handle.db, { structureId: structureB, roles: ["service_manager"] })).email;
});
afterAll(() => t.close());

const call = async (method: "GET" | "POST" | "PUT", url: string, as: string, payload: object = {}) =>
  t.app.inject({ method, url, headers: await t.sessionFor(as), ...(method === "GET" ? {} : { payload }) });
const add = (structureId: string, as: string, address: string, displayName = "Nom tapé") =>
  call("POST", `/api/structures/${structureId}/users`, as, {
    email: address,
    displayName,
    roles: ["counselor"],
    serviceId: null,
  });
const activate = (token: string, ip = "203.0.113.9") =>
  t.app.inject({
    method: "POST",
    url: "/api/auth/activate",
    remoteAddress: ip,
    payload: { token, password: "une phrase de passe assez longue" },
  });
const tokensIn = (text: string): string[] =>
  [...text.matchAll(/activation#([A-Za-z0-9_-]{20,})/g)].map((m) => m[1] ?? "");
const usersOf = async (structureId: string, as: string) =>
  (await call("GET", `/api/structures/${structureId}/users`, as)).json().users as {
    id: string;
    displayName: string;
    roles: string[];
    invitationPending: boolean;
    invitationEmailed: boolean;
    totpEnabled: boolean;
    accountDisabled: boolean;
    permissions: Record<string, boolean>;
  }[];

describe("A cannot obtain a usable activation token for B's agent", () => {
  it("by the log, the list or the journal, whether the send succeeds or fails", async () => {
    const address = "agent.de.b@test.passerelle.fr";
    expect((await add(structureB, managerB, address)).statusCode).toBe(200);
    // A's direction adds B's agent, never activated; the first send fails (maybe sent).
    expect((await add(structureA, demo.manager, address)).statusCode).toBe(200);
    failing = true;
    await runOnce(worker);
    failing = false;
    const reads = await Promise.all(
      [
        `/api/structures/${structureA}/notifications`,
        `/api/structures/${structureA}/users`,
        `/api/audit?structureId=${structureA}`,
      ].map((url) => call("GET", url, demo.manager)),
    );
    expect(reads.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const rows = await t.handle.db.select().from(notification).where(eq(notification.recipient, address));
    const everything = JSON.stringify([reads.map((r) => r.json()), rows]);
    expect(tokensIn(everything)).toEqual([]);
    const log = (await call("GET", `/api/structures/${structureA}/notifications`, demo.manager)).json();
    for (const n of log.notifications.filter((x: { recipient: string }) => x.recipient === address))
      expect(n.body).toBe("");

    // A's add sent the "added" notice, not a second activation link; B's link is the agent's.
    sent.length = 0;
    t.clock.advance(3_600_000);
    await runOnce(worker);
    t.clock.advance(-3_600_000);
    const mails = sent.filter((m) => m.to === address);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      "Passerelle : activez votre compte",
      "Passerelle : vous avez été ajouté à une structure",
    ]);
    const minted = mails.flatMap((m) => tokensIn(m.text));
    expect(minted).toHaveLength(1);
    // Rows in the outbox still hold the placeholder only.
    const after = await t.handle.db.select().from(notification).where(eq(notification.recipient, address));
    expect(after.every((r) => tokensIn(r.body).length === 0)).toBe(true);
    expect(after.some((r) => r.body.includes(ACTIVATION_LINK_PLACEHOLDER))).toBe(true);
    expect((await activate(minted[0] ?? "")).statusCode).toBe(200);
  });

  it("a resend mints a new link and the old one stops working", async () => {
    const address = "renvoi@test.passerelle.fr";
    await add(structureA, demo.manager, address);
    await runOnce(worker);
    const first = tokensIn(sent.find((m) => m.to === address)?.text ?? "")[0] ?? "";
    const [row] = await t.handle.db.select().from(notification).where(eq(notification.recipient, address));
    await t.handle.db
      .update(notification)
      .set({ status: "pending", notBefore: t.clock.now() })
      .where(eq(notification.id, row?.id ?? ""));
    await runOnce(worker);
    const second = tokensIn(sent.filter((m) => m.to === address).at(-1)?.text ?? "")[0] ?? "";
    expect(second).not.toBe(first);
    expect((await activate(first)).json().code).toBe("auth.invalidActivation");
    expect((await activate(second)).statusCode).toBe(200);
  });
});

describe("resending an invitation", () => {
  it("mints a new link for an account of this structure only, the notice again for any other", async () => {
    const own = "a.relancer@test.passerelle.fr";
    const ofB = "de.b.a.relancer@test.passerelle.fr";
    await add(structureB, managerB, ofB);
    const ownId = (await add(structureA, demo.manager, own)).json().userId as string;
    const ofBId = (await add(structureA, demo.manager, ofB)).json().userId as string;
    await runOnce(worker);
    const listed = await usersOf(structureA, demo.manager);
    for (const id of [ownId, ofBId])
      expect(listed.find((u) => u.id === id)?.permissions.resendInvitation).toBe(true);
    sent.length = 0;
    for (const id of [ownId, ofBId]) {
      const resent = await call(
        "POST",
        `/api/structures/${structureA}/users/${id}/resend-invitation`,
        demo.manager,
      );
      expect(resent.statusCode).toBe(200);
    }
    await runOnce(worker);
    expect(sent.find((m) => m.to === own)?.subject).toBe("Passerelle : activez votre compte");
    expect(sent.find((m) => m.to === ofB)?.subject).toBe("Passerelle : vous avez été ajouté à une structure");
    expect(tokensIn(sent.find((m) => m.to === ofB)?.text ?? "")).toEqual([]);
    // Once the agent signed in, there is nothing to resend.
    expect((await activate(tokensIn(sent.find((m) => m.to === own)?.text ?? "")[0] ?? "")).statusCode).toBe(
      200,
    );
    const late = await call(
      "POST",
      `/api/structures/${structureA}/users/${ownId}/resend-invitation`,
      demo.manager,
    );
    expect(late.json().code).toBe("user.invitationAccepted");
  });
});

describe("an added e-mail is an invitation until the agent signs in", () => {
  it("shows the typed name and no account flag, then the account once the agent signed in", async () => {
    const agentB = await anAgent(t.handle.db, { structureId: structureB, roles: ["counselor"] });
    await t.handle.db.update(user).set({ totpSecret: "JBSWY3DPEHPK3PXP" }).where(eq(user.id, agentB.id));
    await add(structureA, demo.manager, agentB.email, "Nom tapé par A");
    const pending = (await usersOf(structureA, demo.manager)).find((u) => u.id === agentB.id);
    expect(pending).toMatchObject({
      displayName: "Nom tapé par A",
      invitationPending: true,
      invitationEmailed: true,
      totpEnabled: false,
      accountDisabled: false,
    });
    await add(structureA, demo.manager, "nouveau.venu@test.passerelle.fr", "Nouveau venu");
    const fresh = (await usersOf(structureA, demo.manager)).find((u) => u.displayName === "Nouveau venu");
    expect(fresh).toMatchObject({
      invitationPending: true,
      invitationEmailed: true,
      totpEnabled: false,
      accountDisabled: false,
    });
    expect(Object.keys(pending ?? {}).sort()).toEqual(Object.keys(fresh ?? {}).sort());
    // B's direction, where the agent had accepted long ago, sees the account.
    expect((await usersOf(structureB, managerB)).find((u) => u.id === agentB.id)?.totpEnabled).toBe(true);

    await t.handle.db.update(user).set({ totpSecret: null }).where(eq(user.id, agentB.id));
    const signedIn = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: agentB.email, password: DEMO_PASSWORD },
    });
    expect(signedIn.statusCode).toBe(200);
    const accepted = (await usersOf(structureA, demo.manager)).find((u) => u.id === agentB.id);
    expect(accepted).toMatchObject({ displayName: agentB.displayName, invitationPending: false });
  });

  it("an administrator's account answers 404 like a non-member, and the refusal is journaled", async () => {
    const adminId = await t.userId(demo.admin);
    const refused = await call("PUT", `/api/structures/${structureA}/users/${adminId}`, demo.manager, {
      roles: ["counselor"],
      serviceId: null,
    });
    const stranger = await call(
      "PUT",
      `/api/structures/${structureA}/users/${crypto.randomUUID()}`,
      demo.manager,
      {
        roles: ["counselor"],
        serviceId: null,
      },
    );
    expect([refused.statusCode, refused.json().code]).toEqual([stranger.statusCode, stranger.json().code]);
    const denied = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, adminId), eq(auditEvent.outcome, "denied")));
    expect(denied.length).toBeGreaterThan(0);
    expect(
      (await usersOf(structureA, demo.manager)).find((u) => u.id === adminId)?.permissions,
    ).toMatchObject({
      changeRoles: false,
      deactivate: false,
    });
  });
});

describe("re-activating in the structure", () => {
  it("restores only the roles the last deactivation ended; an active agent is a 409", async () => {
    const agent = await anAgent(t.handle.db, {
      structureId: structureA,
      roles: ["counselor", "probation_officer"],
    });
    const base = `/api/structures/${structureA}/users/${agent.id}`;
    expect((await call("POST", `${base}/enable`, demo.manager)).json().code).toBe("user.alreadyActive");
    // The direction removes probation_officer on purpose, then deactivates the agent.
    await call("PUT", base, demo.manager, { roles: ["counselor"], serviceId: null });
    t.clock.advance(60_000);
    await call("POST", `${base}/disable`, demo.manager);
    t.clock.advance(-60_000);
    // An admin row ended earlier is not restored either.
    await t.handle.db.insert(membership).values({
      userId: agent.id,
      structureId: structureA,
      role: "admin",
      endedAt: new Date("2020-01-01T00:00:00Z"),
      endedReason: "deactivated",
    });
    expect((await call("POST", `${base}/enable`, demo.manager)).statusCode).toBe(200);
    const current = await t.handle.db
      .select({ role: membership.role, endedAt: membership.endedAt })
      .from(membership)
      .where(eq(membership.userId, agent.id));
    expect(current.filter((m) => m.endedAt === null).map((m) => m.role)).toEqual(["counselor"]);
  });
});

describe("activation links are throttled per IP", () => {
  it("10 invalid links, then 429 without looking; one journal row for the flood", async () => {
    const ip = "198.51.100.77";
    const before = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "account.activated"));
    const codes: number[] = [];
    for (let i = 0; i < 14; i++) codes.push((await activate(`${"x".repeat(40)}${i}ab`, ip)).statusCode);
    expect(codes).toEqual([...Array(10).fill(400), ...Array(4).fill(429)]);
    const after = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "account.activated"));
    const added = after.filter((e) => !before.some((b) => b.id === e.id));
    expect(added.map((e) => [e.outcome, e.reason])).toEqual([["denied", "rate_limited"]]);
    // Another IP is not affected.
    expect((await activate("y".repeat(43), "198.51.100.78")).statusCode).toBe(400);
  });
});
