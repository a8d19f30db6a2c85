import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, authAttempt, notification, session, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { newTotpSecret } from "../domains/identity/totp";
import { RECOVERY_ANSWER_FLOOR_MS } from "../domains/identity/use-cases/RequestPasswordRecovery";
import { logSmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { anAgent } from "../testing/builders";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";
import { PUBLIC_URL, sessionCookieOf, startTestApp, type TestApp } from "../testing/testApp";

// "Mot de passe oublié": a one-time link by e-mail, through the outbox, the same answer for all.
let t: TestApp;
let smtp: SmtpSink;
let worker: WorkerDeps;
const logLines: string[] = [];
let ipCounter = 0;
/** Each test its own address: the per-IP limits of one do not meet another's. */
const freshIp = (): string => `198.51.100.${++ipCounter}`;

beforeAll(async () => {
  t = await startTestApp({ logger: { level: "info", stream: { write: (line) => logLines.push(line) } } });
  smtp = await startSmtpSink();
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email: smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"),
    sms: logSmsSender((line) => logLines.push(line)),
    publicUrl: PUBLIC_URL,
    smsWebhookToken: null,
    log: (line) => logLines.push(line),
  };
});
afterAll(async () => {
  worker.email.close();
  await smtp.close();
  await t.close();
});

const ask = (body: unknown, ip: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/auth/password-recovery",
    remoteAddress: ip,
    payload: body as object,
  });
const recover = (token: string, ip: string, password = "une toute nouvelle phrase de passe") =>
  t.app.inject({
    method: "POST",
    url: "/api/auth/recover-password",
    remoteAddress: ip,
    payload: { token, password },
  });
const login = (email: string, password: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/auth/login",
    remoteAddress: freshIp(),
    payload: { email, password },
  });
const mailsTo = (address: string) => smtp.mails.filter((m) => m.to === address);
const tokenIn = (text: string): string => {
  const found = /\/nouveau-mot-de-passe#([A-Za-z0-9_-]{20,})/.exec(text)?.[1];
  if (!found) throw new Error(`no recovery link in: ${text}`);
  return found;
};
const outboxRows = async () => (await t.handle.db.select({ id: notification.id }).from(notification)).length;
const anAccount = () => anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
/** Asks for a link, lets the worker send it, and returns the token of the mail received. */
const linkFor = async (address: string, ip = freshIp()): Promise<string> => {
  expect((await ask({ email: address }, ip)).statusCode).toBe(200);
  await runOnce(worker);
  const mails = mailsTo(address);
  return tokenIn(mails[mails.length - 1]?.text ?? "");
};

describe("POST /api/auth/password-recovery", () => {
  it("400 on bad input (every issue listed) and writes nothing", async () => {
    const before = await outboxRows();
    const attempts = (await t.handle.db.select().from(authAttempt)).length;
    for (const body of [{}, { email: "pas-une-adresse" }, { email: "a@b.fr", extra: 1 }, { email: 42 }]) {
      const response = await ask(body, freshIp());
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().code).toBe("request.invalid");
    }
    expect(await outboxRows()).toBe(before);
    expect((await t.handle.db.select().from(authAttempt)).length).toBe(attempts);
  });

  it("answers the same for an unknown address, and sends nothing", async () => {
    const agent = await anAccount();
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await ask({ email }, freshIp());
      return { response, ms: performance.now() - started };
    };
    const { response: known, ms: knownMs } = await timed(agent.email);
    const { response: unknown, ms: unknownMs } = await timed("personne.inconnue@demo.passerelle.fr");
    // Both wait for the same floor, above the few milliseconds that queuing an e-mail takes.
    expect(knownMs).toBeGreaterThanOrEqual(RECOVERY_ANSWER_FLOOR_MS - 1);
    expect(unknownMs).toBeGreaterThanOrEqual(RECOVERY_ANSWER_FLOOR_MS - 1);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);
    expect(unknown.json()).toEqual({ ok: true });
    await runOnce(worker);
    expect(mailsTo("personne.inconnue@demo.passerelle.fr")).toEqual([]);
    expect(mailsTo(agent.email)).toHaveLength(1);
  });

  it("a disabled account, or one never activated, gets nothing (same answer)", async () => {
    const disabled = await anAccount();
    await t.handle.db.update(user).set({ disabledAt: t.clock.now() }).where(eq(user.id, disabled.id));
    const pending = await anAccount();
    await t.handle.db
      .update(user)
      .set({ activationTokenHash: "x".repeat(64) })
      .where(eq(user.id, pending.id));
    for (const who of [disabled, pending])
      expect((await ask({ email: who.email }, freshIp())).json()).toEqual({ ok: true });
    // Disabled after asking: the worker sends nothing either.
    const late = await anAccount();
    await ask({ email: late.email }, freshIp());
    await t.handle.db.update(user).set({ disabledAt: t.clock.now() }).where(eq(user.id, late.id));
    await runOnce(worker);
    for (const who of [disabled, pending, late]) expect(mailsTo(who.email)).toEqual([]);
  });

  it("is limited per account (same answer, no more mails) and per IP (429, whatever the address)", async () => {
    const agent = await anAccount();
    for (let i = 0; i < 5; i++)
      expect((await ask({ email: agent.email }, freshIp())).json()).toEqual({ ok: true });
    await runOnce(worker);
    expect(mailsTo(agent.email)).toHaveLength(3);
    const refused = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, agent.id));
    expect(refused.filter((e) => e.reason === "rate_limited_account")).toHaveLength(2);

    const ip = freshIp();
    for (let i = 0; i < 10; i++)
      expect((await ask({ email: `inconnu-${i}@demo.passerelle.fr` }, ip)).statusCode).toBe(200);
    const limited = await ask({ email: (await anAccount()).email }, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe("auth.tooManyAttempts");
    t.clock.advance(61 * 60_000);
    expect((await ask({ email: "inconnu@demo.passerelle.fr" }, ip)).statusCode).toBe(200);
  });
});

describe("POST /api/auth/recover-password", () => {
  it("400 on bad input or an unknown link, and changes nothing", async () => {
    const agent = await anAccount();
    const before = (await t.handle.db.select().from(user).where(eq(user.id, agent.id)))[0]!;
    for (const body of [
      {},
      { token: "court", password: "x" },
      { token: "x".repeat(43) },
      { token: "x".repeat(43), password: "une longue phrase de passe", email: agent.email },
    ]) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/auth/recover-password",
        remoteAddress: freshIp(),
        payload: body,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("request.invalid");
    }
    const unknown = await recover("y".repeat(43), freshIp());
    expect(unknown.json().code).toBe("auth.invalidRecovery");
    const token = await linkFor(agent.email);
    const weak = await recover(token, freshIp(), "court");
    expect(weak.json().code).toBe("auth.weakPassword");
    const after = (await t.handle.db.select().from(user).where(eq(user.id, agent.id)))[0]!;
    expect(after.passwordHash).toBe(before.passwordHash);
  });

  it("works once: sessions closed, temporary password replaced, second factor still asked", async () => {
    const agent = await anAccount();
    await t.handle.db
      .update(user)
      .set({ totpSecret: newTotpSecret(), mustChangePassword: true })
      .where(eq(user.id, agent.id));
    const old = sessionCookieOf(await login(agent.email, DEMO_PASSWORD));
    expect(old).toBeTruthy();
    const token = await linkFor(agent.email);
    const mail = mailsTo(agent.email)[0]!;
    expect(mail.subject).toBe("Passerelle : choisir un nouveau mot de passe");
    expect(mail.text).toContain("valable 1 heure");

    const done = await recover(token, freshIp());
    expect(done.statusCode, done.body).toBe(200);
    expect(await t.handle.db.select().from(session).where(eq(session.userId, agent.id))).toEqual([]);
    expect((await recover(token, freshIp())).json().code).toBe("auth.invalidRecovery");
    expect((await login(agent.email, DEMO_PASSWORD)).statusCode).toBe(401);
    const fresh = await login(agent.email, "une toute nouvelle phrase de passe");
    expect(fresh.json()).toEqual({ stage: "totp_pending" });
    const [row] = await t.handle.db.select().from(user).where(eq(user.id, agent.id));
    expect(row?.mustChangePassword).toBe(false);
    const journal = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, agent.id));
    expect(journal.map((e) => e.action)).toEqual(
      expect.arrayContaining(["account.password_reset_requested", "account.password_recovered"]),
    );
  });

  it("expires after 1 hour; a newer link replaces the older one; a disabled account cannot use its link", async () => {
    const agent = await anAccount();
    const expiring = await linkFor(agent.email);
    t.clock.advance(60 * 60_000 + 1000);
    expect((await recover(expiring, freshIp())).json().code).toBe("auth.invalidRecovery");
    const first = await linkFor(agent.email);
    const second = await linkFor(agent.email);
    expect((await recover(first, freshIp())).json().code).toBe("auth.invalidRecovery");
    await t.handle.db.update(user).set({ disabledAt: t.clock.now() }).where(eq(user.id, agent.id));
    expect((await recover(second, freshIp())).json().code).toBe("auth.invalidRecovery");
  });

  it("is limited per IP: past 10 wrong links, 429 even with a good one", async () => {
    const agent = await anAccount();
    const token = await linkFor(agent.email);
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect((await recover(`${"z".repeat(40)}${i}00`, ip)).statusCode).toBe(400);
    expect((await recover(token, ip)).statusCode).toBe(429);
    expect((await recover(token, freshIp())).statusCode).toBe(200);
  });

  it("the token is never in the logs, the journal or the outbox", async () => {
    const agent = await anAccount();
    const token = await linkFor(agent.email);
    await recover(token, freshIp());
    expect(logLines.join("\n")).not.toContain(token);
    const journal = JSON.stringify(await t.handle.db.select().from(auditEvent));
    expect(journal).not.toContain(token);
    const outbox = JSON.stringify(await t.handle.db.select().from(notification));
    expect(outbox).not.toContain(token);
    expect(outbox).toContain("[lien de nouveau mot de passe, créé à l'envoi]");
  });
});
