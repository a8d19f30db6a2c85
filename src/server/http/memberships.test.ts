import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, membership, notification, session, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { ACTIVATION_LINK_PLACEHOLDER } from "../domains/identity/accountNotices";
import { logSmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { anAgent, aStructure } from "../testing/builders";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";
import { demo, PUBLIC_URL, sessionCookieOf, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Memberships are per structure: the direction of A acts on the memberships of A only. Two
 * structures: A is the demo structure (its direction: demo.manager), B another one with its own
 * direction.
 */
let t: TestApp;
let smtp: SmtpSink;
let worker: WorkerDeps;
let structureA: string;
let structureB: string;
let managerB: string;

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpSink();
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email: smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"),
    sms: logSmsSender(() => {}),
    publicUrl: PUBLIC_URL,
    smsWebhookToken: null,
    log: () => {},
  };
  structureA = t.demoStructureId;
  const other = await aStructure(t.handle.db);
  structureB = other.structure.id;
  managerB = (await anAgent(t.handle.db, { structureId: structureB, roles: ["service_manager"] })).email;
});
afterAll(async () => {
  worker.email.close();
  await smtp.close();
  await t.close();
});

const call = async (method: "GET" | "POST" | "PUT", url: string, email: string, payload: object = {}) =>
  t.app.inject({
    method,
    url,
    headers: await t.sessionFor(email),
    ...(method === "GET" ? {} : { payload }),
  });
const usersOf = async (structureId: string, email: string) =>
  (await call("GET", `/api/structures/${structureId}/users`, email)).json().users as {
    id: string;
    email: string;
    roles: string[];
    activeInStructure: boolean;
    accountDisabled: boolean;
  }[];
const login = (email: string, password = DEMO_PASSWORD) =>
  t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
const journalOf = (userId: string, action: string) =>
  t.handle.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.targetId, userId), eq(auditEvent.action, action)));
const membershipRows = (userId: string) =>
  t.handle.db.select().from(membership).where(eq(membership.userId, userId));

describe("adding an e-mail to a structure", () => {
  it("answers the same for an e-mail with an account in B as for a new one; only the new one gets an activation link", async () => {
    const agentB = await anAgent(t.handle.db, { structureId: structureB, roles: ["counselor"] });
    const body = (email: string) => ({
      email,
      displayName: "Camille Roux",
      roles: ["counselor"],
      serviceId: null,
    });
    const existing = await call(
      "POST",
      `/api/structures/${structureA}/users`,
      demo.manager,
      body(agentB.email),
    );
    const fresh = await call(
      "POST",
      `/api/structures/${structureA}/users`,
      demo.manager,
      body("camille.roux@demo.passerelle.fr"),
    );
    expect(existing.statusCode).toBe(200);
    expect(fresh.statusCode).toBe(200);
    expect(Object.keys(existing.json())).toEqual(["userId"]);
    expect(Object.keys(fresh.json())).toEqual(["userId"]);
    // The existing account keeps its password and its other structure.
    expect((await login(agentB.email)).statusCode).toBe(200);
    expect((await membershipRows(agentB.id)).map((m) => m.structureId).sort()).toEqual(
      [structureA, structureB].sort(),
    );
    // The new account has no usable password until it is activated.
    expect((await login("camille.roux@demo.passerelle.fr")).statusCode).toBe(401);

    await runOnce(worker);
    const toExisting = smtp.mails.find((m) => m.to === agentB.email);
    expect(toExisting?.subject).toBe("Passerelle : vous avez été ajouté à une structure");
    expect(toExisting?.text).not.toContain("/activation");
    const activation = smtp.mails.find((m) => m.to === "camille.roux@demo.passerelle.fr");
    expect(activation?.subject).toBe("Passerelle : activez votre compte");
    const token = activation?.text.match(/\/activation#([A-Za-z0-9_-]+)/)?.[1] ?? "";
    expect(token).toHaveLength(43);
    // The outbox only ever held a placeholder: the link was minted when the e-mail left.
    const [kept] = await t.handle.db
      .select({ body: notification.body })
      .from(notification)
      .where(eq(notification.recipient, "camille.roux@demo.passerelle.fr"));
    expect(kept?.body).toContain(ACTIVATION_LINK_PLACEHOLDER);
    expect(kept?.body).not.toContain(token);
    const [stored] = await t.handle.db
      .select({ hash: user.activationTokenHash })
      .from(user)
      .where(eq(user.email, "camille.roux@demo.passerelle.fr"));
    expect(stored?.hash).not.toContain(token);

    const activate = (password: string, withToken = token) =>
      t.app.inject({ method: "POST", url: "/api/auth/activate", payload: { token: withToken, password } });
    const weak = await activate("court");
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe("auth.weakPassword");
    const forged = await activate("une phrase de passe assez longue", "x".repeat(43));
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe("auth.invalidActivation");
    expect((await activate("une phrase de passe assez longue")).statusCode).toBe(200);
    expect(
      (await login("camille.roux@demo.passerelle.fr", "une phrase de passe assez longue")).statusCode,
    ).toBe(200);
    const reused = await activate("une autre phrase de passe longue");
    expect(reused.json().code).toBe("auth.invalidActivation");
    expect((await journalOf(fresh.json().userId, "account.activated")).map((e) => e.outcome)).toEqual([
      "success",
    ]);
  });

  it("the same addition sent again (a lost answer) sends no second e-mail: the first link works", async () => {
    const body = {
      email: "deux.fois@demo.passerelle.fr",
      displayName: "Agent Deux Fois",
      roles: ["counselor"],
      serviceId: null,
    };
    const first = await call("POST", `/api/structures/${structureA}/users`, demo.manager, body);
    expect(first.statusCode).toBe(200);
    // The first e-mail left before the retry (the answer was lost, not the message).
    await runOnce(worker);
    const again = await call("POST", `/api/structures/${structureA}/users`, demo.manager, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().userId).toBe(first.json().userId);
    // Twice at once, too.
    const twice = await Promise.all([
      call("POST", `/api/structures/${structureA}/users`, demo.manager, {
        ...body,
        email: "en.meme.temps@demo.passerelle.fr",
      }),
      call("POST", `/api/structures/${structureA}/users`, demo.manager, {
        ...body,
        email: "en.meme.temps@demo.passerelle.fr",
      }),
    ]);
    expect(twice.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(twice[1]?.json().userId).toBe(twice[0]?.json().userId);
    t.clock.advance(3_600_000);
    try {
      await runOnce(worker);
    } finally {
      t.clock.advance(-3_600_000);
    }
    for (const address of [body.email, "en.meme.temps@demo.passerelle.fr"]) {
      const mails = smtp.mails.filter((m) => m.to === address);
      expect(mails.map((m) => m.subject)).toEqual(["Passerelle : activez votre compte"]);
      const rows = await t.handle.db.select().from(notification).where(eq(notification.recipient, address));
      expect(rows).toHaveLength(1);
    }
    expect(await journalOf(first.json().userId, "membership.granted")).toHaveLength(1);
    expect(await journalOf(twice[0]?.json().userId, "membership.granted")).toHaveLength(1);
    const token = smtp.mails
      .find((m) => m.to === body.email)
      ?.text.match(/\/activation#([A-Za-z0-9_-]+)/)?.[1];
    const activated = await t.app.inject({
      method: "POST",
      url: "/api/auth/activate",
      payload: { token, password: "une phrase de passe assez longue" },
    });
    expect(activated.statusCode).toBe(200);
  });

  it("an activation link expires after 72 hours", async () => {
    const added = await call("POST", `/api/structures/${structureA}/users`, demo.manager, {
      email: "tardif@demo.passerelle.fr",
      displayName: "Agent Tardif",
      roles: ["counselor"],
      serviceId: null,
    });
    expect(added.statusCode).toBe(200);
    await runOnce(worker);
    const mail = smtp.mails.find((m) => m.to === "tardif@demo.passerelle.fr");
    const token = mail?.text.match(/\/activation#([A-Za-z0-9_-]+)/)?.[1] ?? "";
    expect(token).toHaveLength(43);
    t.clock.advance(73 * 3_600_000);
    try {
      const late = await t.app.inject({
        method: "POST",
        url: "/api/auth/activate",
        payload: { token, password: "une phrase de passe assez longue" },
      });
      expect(late.json().code).toBe("auth.invalidActivation");
    } finally {
      t.clock.advance(-73 * 3_600_000);
    }
  });
});

describe("the direction of A acts on the memberships of A only", () => {
  it("cannot end, change or re-activate the membership of an agent of B only (404), who keeps B", async () => {
    const agentB = await anAgent(t.handle.db, { structureId: structureB, roles: ["counselor"] });
    const base = `/api/structures/${structureA}/users/${agentB.id}`;
    for (const [method, url, payload] of [
      ["POST", `${base}/disable`, {}],
      ["POST", `${base}/enable`, {}],
      ["PUT", base, { roles: ["counselor"], serviceId: null }],
    ] as const) {
      const refused = await call(method, url, demo.manager, payload);
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json().code).toBe("user.notFound");
    }
    expect((await membershipRows(agentB.id)).map((m) => [m.structureId, m.endedAt])).toEqual([
      [structureB, null],
    ]);
    // Nor through B's path: A's direction has no right in B.
    const viaB = await call("POST", `/api/structures/${structureB}/users/${agentB.id}/disable`, demo.manager);
    expect(viaB.statusCode).toBe(403);
  });

  it("ending a membership of A takes A from the agent's open session at the next request, not B", async () => {
    const agent = await anAgent(t.handle.db, { structureId: structureB, roles: ["counselor"] });
    await t.handle.db
      .insert(membership)
      .values({ userId: agent.id, structureId: structureA, role: "counselor" });
    const agentHeaders = await t.sessionFor(agent.email);
    const stats = (structureId: string) =>
      t.app.inject({ method: "GET", url: `/api/structures/${structureId}/stats`, headers: agentHeaders });
    expect((await stats(structureA)).statusCode).toBe(200);

    const ended = await call("POST", `/api/structures/${structureA}/users/${agent.id}/disable`, demo.manager);
    expect(ended.statusCode).toBe(200);
    // No longer read: as any structure the agent may not read, existing or not (no existence leak).
    expect((await stats(structureA)).statusCode).toBe(404);
    expect((await stats(structureB)).statusCode).toBe(200);
    const listed = (await usersOf(structureA, demo.manager)).find((u) => u.id === agent.id);
    expect(listed).toMatchObject({ activeInStructure: false, accountDisabled: false, roles: ["counselor"] });
    expect((await usersOf(structureB, managerB)).find((u) => u.id === agent.id)?.activeInStructure).toBe(
      true,
    );
    expect(await journalOf(agent.id, "membership.ended")).toHaveLength(1);

    const back = await call("POST", `/api/structures/${structureA}/users/${agent.id}/enable`, demo.manager);
    expect(back.statusCode).toBe(200);
    expect((await stats(structureA)).statusCode).toBe(200);
  });

  it("changes the roles in A only; cannot grant admin; nobody changes their own access", async () => {
    const agent = await anAgent(t.handle.db, { structureId: structureB, roles: ["counselor"] });
    await t.handle.db
      .insert(membership)
      .values({ userId: agent.id, structureId: structureA, role: "counselor" });
    const url = `/api/structures/${structureA}/users/${agent.id}`;
    const changed = await call("PUT", url, demo.manager, { roles: ["probation_officer"], serviceId: null });
    expect(changed.statusCode).toBe(200);
    const rows = await membershipRows(agent.id);
    const current = rows.filter((m) => m.endedAt === null).map((m) => [m.structureId, m.role]);
    expect(current.sort()).toEqual(
      [
        [structureA, "probation_officer"],
        [structureB, "counselor"],
      ].sort(),
    );
    const admin = await call("PUT", url, demo.manager, { roles: ["admin"], serviceId: null });
    expect(admin.statusCode).toBe(403);
    expect(admin.json().code).toBe("user.roleNotGrantable");
    const self = await t.userId(demo.manager);
    const own = await call("POST", `/api/structures/${structureA}/users/${self}/disable`, demo.manager);
    expect(own.statusCode).toBe(409);
    expect(own.json().code).toBe("user.cannotChangeSelf");
  });

  it("cannot touch an administrator's account (404 as for a non-member, journaled, nothing written)", async () => {
    const adminId = await t.userId(demo.admin);
    const before = await membershipRows(adminId);
    for (const [method, url, payload] of [
      ["POST", `/api/structures/${structureA}/users/${adminId}/disable`, {}],
      ["PUT", `/api/structures/${structureA}/users/${adminId}`, { roles: ["counselor"], serviceId: null }],
    ] as const) {
      const refused = await call(method, url, demo.manager, payload);
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe("user.notFound");
    }
    expect(await membershipRows(adminId)).toEqual(before);
    const denied = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, adminId), eq(auditEvent.outcome, "denied")));
    expect(denied.map((e) => e.action).sort()).toEqual(["membership.changed", "membership.ended"]);
  });
});

describe("only a platform administrator disables an account", () => {
  it("a direction cannot (403, journaled); the admin can, all sessions close, and no direction re-enables it", async () => {
    const agent = await anAgent(t.handle.db, { structureId: structureB, roles: ["counselor"] });
    await t.handle.db
      .insert(membership)
      .values({ userId: agent.id, structureId: structureA, role: "counselor" });
    const byDirection = await call("POST", `/api/admin/users/${agent.id}/disable`, demo.manager);
    expect(byDirection.statusCode).toBe(403);
    expect((await journalOf(agent.id, "account.disabled")).map((e) => e.outcome)).toEqual(["denied"]);

    const opened = await login(agent.email);
    expect(opened.statusCode).toBe(200);
    const disabled = await call("POST", `/api/admin/users/${agent.id}/disable`, demo.admin);
    expect(disabled.statusCode).toBe(200);
    expect(await t.handle.db.select().from(session).where(eq(session.userId, agent.id))).toEqual([]);
    expect(
      (
        await t.app.inject({
          method: "GET",
          url: "/api/auth/session",
          headers: { cookie: sessionCookieOf(opened) },
        })
      ).json(),
    ).toEqual({ authenticated: false });

    // B's direction ends then re-activates the membership of B: the account stays disabled.
    await call("POST", `/api/structures/${structureB}/users/${agent.id}/disable`, managerB);
    const reactivated = await call(
      "POST",
      `/api/structures/${structureB}/users/${agent.id}/enable`,
      managerB,
    );
    expect(reactivated.statusCode).toBe(200);
    expect((await login(agent.email)).statusCode).toBe(401);
    expect((await usersOf(structureA, demo.manager)).find((u) => u.id === agent.id)?.accountDisabled).toBe(
      true,
    );

    const self = await t.userId(demo.admin);
    expect((await call("POST", `/api/admin/users/${self}/disable`, demo.admin)).statusCode).toBe(409);
    expect((await call("POST", `/api/admin/users/${agent.id}/enable`, demo.admin)).statusCode).toBe(200);
    expect((await login(agent.email)).statusCode).toBe(200);
  });
});
