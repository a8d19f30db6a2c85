import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, membership, notification, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { totpCode } from "../domains/identity/totp";
import { anAgent } from "../testing/builders";
import { type AuthHeaders, startTestApp, type TestApp } from "../testing/testApp";

/** Replacing a second factor, or its recovery codes, needs a proof of identity. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const post = (headers: AuthHeaders, url: string, payload: object = {}) =>
  t.app.inject({ method: "POST", url, headers, payload });
const secretOf = async (userId: string) =>
  (await t.handle.db.select().from(user).where(eq(user.id, userId)))[0];
const journalOf = (userId: string, action: string) =>
  t.handle.db
    .select({ outcome: auditEvent.outcome, reason: auditEvent.reason })
    .from(auditEvent)
    .where(and(eq(auditEvent.targetId, userId), eq(auditEvent.action, action)));
const noticesTo = (email: string) =>
  t.handle.db
    .select({ subject: notification.subject, body: notification.body, kind: notification.kind })
    .from(notification)
    .where(eq(notification.recipient, email));

/** An agent with a second factor already on (first enrolment needs no proof), and their session. */
async function anEnrolledAgent() {
  const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
  const headers = await t.sessionFor(agent.email);
  const { secret } = (await post(headers, "/api/account/totp/setup")).json();
  const first = await post(headers, "/api/account/totp/confirm", { code: totpCode(secret, t.clock.now()) });
  expect(first.statusCode).toBe(200);
  t.clock.advance(30_000);
  return { agent, headers, secret: secret as string, recoveryCodes: first.json().recoveryCodes as string[] };
}

describe("replacing the second factor", () => {
  it("needs the password or a current code: none or a wrong one is refused and changes nothing", async () => {
    const { agent, headers, secret } = await anEnrolledAgent();
    const next = (await post(headers, "/api/account/totp/setup")).json().secret as string;
    const code = totpCode(next, t.clock.now());

    const without = await post(headers, "/api/account/totp/confirm", { code });
    expect(without.statusCode).toBe(400);
    expect(without.json().code).toBe("auth.proofRequired");
    const wrong = await post(headers, "/api/account/totp/confirm", {
      code,
      proof: "pas le bon mot de passe",
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe("auth.wrongProof");
    expect((await secretOf(agent.id))?.totpSecret).toBe(secret);
    expect(await journalOf(agent.id, "account.totp_replaced")).toEqual([
      { outcome: "denied", reason: "preuve incorrecte" },
    ]);

    const replaced = await post(headers, "/api/account/totp/confirm", { code, proof: DEMO_PASSWORD });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().recoveryCodes).toHaveLength(10);
    expect((await secretOf(agent.id))?.totpSecret).toBe(next);
    expect((await journalOf(agent.id, "account.totp_replaced")).map((e) => e.outcome)).toEqual([
      "denied",
      "success",
    ]);
    const notices = await noticesTo(agent.email);
    const changed = notices.filter(
      (n) => n.subject === "Passerelle : votre double authentification a été modifiée",
    );
    expect(changed).toHaveLength(2); // first enrolment, then the replacement
    for (const notice of changed) {
      expect(notice.kind).toBe("account_notice");
      expect(notice.body).not.toContain(next);
      expect(notice.body).not.toContain(secret);
    }
  });

  it("accepts a current code of the old app as proof", async () => {
    const { agent, headers, secret } = await anEnrolledAgent();
    const next = (await post(headers, "/api/account/totp/setup")).json().secret as string;
    const replaced = await post(headers, "/api/account/totp/confirm", {
      code: totpCode(next, t.clock.now()),
      proof: totpCode(secret, t.clock.now()),
    });
    expect(replaced.statusCode).toBe(200);
    expect((await journalOf(agent.id, "account.totp_replaced"))[0]).toEqual({
      outcome: "success",
      reason: "totp",
    });
  });

  it("closes the session after 5 wrong proofs", async () => {
    const { headers } = await anEnrolledAgent();
    const next = (await post(headers, "/api/account/totp/setup")).json().secret as string;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const wrong = await post(headers, "/api/account/totp/confirm", {
        code: totpCode(next, t.clock.now()),
        proof: `mauvais mot de passe ${i}`,
      });
      statuses.push(wrong.statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    expect((await t.app.inject({ method: "GET", url: "/api/auth/session", headers })).json()).toEqual({
      authenticated: false,
    });
  });
});

describe("new recovery codes", () => {
  it("need a proof; a recovery code is one; the old codes stop working", async () => {
    const { agent, headers, recoveryCodes } = await anEnrolledAgent();
    const url = "/api/account/totp/recovery-codes";
    const without = await post(headers, url, {});
    expect(without.statusCode).toBe(400);
    expect(without.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.proof"]);
    const wrong = await post(headers, url, { proof: "ABCDE-FGHIJ" });
    expect(wrong.json().code).toBe("auth.wrongProof");
    const before = (await secretOf(agent.id))?.recoveryCodeHashes;

    const fresh = await post(headers, url, { proof: recoveryCodes[0] });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().recoveryCodes).toHaveLength(10);
    const after = (await secretOf(agent.id))?.recoveryCodeHashes ?? [];
    expect(after.some((h) => before?.includes(h))).toBe(false);
    const reuse = await post(headers, url, { proof: recoveryCodes[1] });
    expect(reuse.json().code).toBe("auth.wrongProof");
    expect(
      (await journalOf(agent.id, "account.recovery_codes_regenerated")).map((e) => e.outcome).sort(),
    ).toEqual(["denied", "denied", "success"]);
    const notices = await noticesTo(agent.email);
    expect(notices.filter((n) => n.body.includes("nouveaux codes de secours"))).toHaveLength(1);
    for (const code of fresh.json().recoveryCodes as string[]) {
      for (const n of notices) expect(n.body).not.toContain(code);
    }
  });

  it("an agent with no current membership is told of the change too", async () => {
    const { agent, headers } = await anEnrolledAgent();
    await t.handle.db
      .update(membership)
      .set({ endedAt: t.clock.now(), endedReason: "deactivated" })
      .where(eq(membership.userId, agent.id));
    const fresh = await post(headers, "/api/account/totp/recovery-codes", { proof: DEMO_PASSWORD });
    expect(fresh.statusCode).toBe(200);
    const notices = await noticesTo(agent.email);
    expect(notices.filter((n) => n.body.includes("nouveaux codes de secours"))).toHaveLength(1);
  });
});
