import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directoryContact, notification } from "../db/schema";
import { type BounceListener, startBounceListener } from "../domains/notifications/bounces/listener";
import { logSmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { UNCERTAIN_WAIT_MS } from "../domains/notifications/rules";
import { runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { aForumAndAConvention, someContacts } from "../testing/newsletterFixtures";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";
import { demo, PUBLIC_URL, startTestApp, type TestApp } from "../testing/testApp";

// Issue 15: asynchronous bounces (DSN, RFC 3464) come back to a per-message VERP address.
const BOUNCE_ADDRESS = "bounces@passerelle.test";
const MAX_BYTES = 64 * 1024;
let t: TestApp;
let smtp: SmtpSink;
let worker: WorkerDeps;
let listener: BounceListener;
let client: ReturnType<typeof nodemailer.createTransport>;
let contacts: { id: string; email: string }[];
let issueId: string;
const logged: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpSink();
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email: smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>", {
      connections: 2,
      bounceAddress: BOUNCE_ADDRESS,
    }),
    sms: logSmsSender(() => {}),
    publicUrl: PUBLIC_URL,
    smsWebhookToken: null,
    log: () => {},
    concurrency: 2,
  };
  listener = await startBounceListener(
    { db: t.handle.db, clock: t.clock, bounceAddress: BOUNCE_ADDRESS, log: (line) => logged.push(line) },
    { port: 0, host: "127.0.0.1", maxBytes: MAX_BYTES },
  );
  // A real SMTP client, as the mail exchanger forwarding the bounces would be.
  client = nodemailer.createTransport({ host: "127.0.0.1", port: listener.port, ignoreTLS: true });
  await t.handle.db.update(directoryContact).set({ newsletterSubscribed: false });
  contacts = (await someContacts(t.handle.db, t.demoStructureId, 4)).contacts;
  await aForumAndAConvention(t.handle.db, t.demoStructureId, t.clock.now());
  const headers = await t.sessionFor(demo.manager);
  const created = await t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}/newsletters`,
    headers,
    payload: { title: "Lettre de juillet", blocks: [{ type: "text", markdown: "Bonjour" }] },
  });
  issueId = created.json().id;
  const sent = await t.app.inject({
    method: "POST",
    url: `/api/newsletters/${issueId}/send`,
    headers,
    payload: { recipients: 4 },
  });
  expect(sent.statusCode, sent.body).toBe(200);
  while ((await runOnce(worker)) > 0) {}
});
afterAll(async () => {
  client.close();
  worker.email.close();
  await listener.close();
  await smtp.close();
  await t.close();
});

const rowFor = async (email: string) =>
  (await t.handle.db.select().from(notification).where(eq(notification.recipient, email)))[0]!;
const contactOf = async (id: string) =>
  (await t.handle.db.select().from(directoryContact).where(eq(directoryContact.id, id)))[0]!;
const counts = async () =>
  (
    await t.app.inject({
      method: "GET",
      url: `/api/newsletters/${issueId}`,
      headers: await t.sessionFor(demo.manager),
    })
  ).json().counts;
const subscribers = async () =>
  (
    await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/newsletters`,
      headers: await t.sessionFor(demo.manager),
    })
  ).json().subscribers;

/** A delivery status notification as a mail server writes it (RFC 3464). */
function aDsn(about: string, report: { action: string; status: string }): string {
  return [
    "From: Mail Delivery System <MAILER-DAEMON@mx.partenaire.invalid>",
    `To: ${BOUNCE_ADDRESS}`,
    "Subject: Undelivered Mail Returned to Sender",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"',
    "",
    "--dsn-boundary",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "Your message could not be delivered to one or more recipients.",
    "",
    "--dsn-boundary",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.partenaire.invalid",
    "Arrival-Date: Mon, 1 Jun 2026 11:00:00 +0200",
    "",
    `Final-Recipient: rfc822; ${about}`,
    `Action: ${report.action}`,
    `Status: ${report.status}`,
    `Diagnostic-Code: smtp; 550 ${report.status} <${about}>: Recipient address`,
    "  rejected: User unknown in virtual mailbox table",
    "",
    "--dsn-boundary",
    "Content-Type: text/rfc822-headers",
    "",
    "Subject: Lettre de juillet",
    "",
    "--dsn-boundary--",
    "",
  ].join("\r\n");
}

const deliver = (to: string, raw: string) => client.sendMail({ envelope: { from: "", to }, raw });

describe("the envelope sender of newsletters (VERP)", () => {
  it("is bounces+<token>: one random token per message, stored on its outbox row, no personal data", async () => {
    const mails = smtp.mails.filter((m) => m.subject.includes("Lettre de juillet"));
    expect(mails).toHaveLength(4);
    const tokens = new Set<string>();
    for (const mail of mails) {
      const token = /^bounces\+([0-9a-f]{32})@passerelle\.test$/.exec(mail.from)?.[1];
      expect(token, mail.from).toBeDefined();
      expect((await rowFor(mail.to)).bounceToken).toBe(token);
      expect(mail.from).not.toContain(mail.to.split("@")[0]);
      tokens.add(token!);
    }
    expect(tokens.size).toBe(4);
    // The visible sender stays the structure's.
    expect(mails[0]!.headers.from).toContain("ne-pas-repondre@test.invalid");
  });
});

describe("the bounce listener", () => {
  it("records a DSN hard bounce on its row: failed, counted, the contact skipped by the next issue", async () => {
    const bounced = contacts[0]!;
    const row = await rowFor(bounced.email);
    expect(row.status).toBe("sent");
    expect(await subscribers()).toBe(4);
    const answer = await deliver(
      `bounces+${row.bounceToken}@passerelle.test`,
      aDsn(bounced.email, { action: "failed", status: "5.1.1" }),
    );
    expect(answer.response).toMatch(/^250/);
    const after = await rowFor(bounced.email);
    expect(after).toMatchObject({ status: "failed" });
    expect(after.lastError).toContain("5.1.1");
    expect(after.failedAt).not.toBeNull();
    expect(await counts()).toMatchObject({ recipients: 4, sent: 3, failed: 1 });
    expect((await contactOf(bounced.id)).emailBouncedAt).not.toBeNull();
    expect(await subscribers()).toBe(3);
    // The same report twice changes nothing more.
    await deliver(
      `bounces+${row.bounceToken}@passerelle.test`,
      aDsn(bounced.email, { action: "failed", status: "5.1.1" }),
    );
    expect(await counts()).toMatchObject({ sent: 3, failed: 1 });
    expect(logged.filter((l) => l.includes("Avis de non-remise reçu"))).toHaveLength(1);
  });

  it("accepts and ignores an out-of-office, a delay (4.x.x), a success report and an unknown token", async () => {
    const other = contacts[1]!;
    const verp = `bounces+${(await rowFor(other.email)).bounceToken}@passerelle.test`;
    const outOfOffice = [
      `To: ${verp}`,
      "From: contact@partenaire.invalid",
      "Subject: Absence du bureau",
      "Auto-Submitted: auto-replied",
      "",
      "Je suis absente jusqu'au 15 juillet.",
      "",
    ].join("\r\n");
    for (const raw of [
      outOfOffice,
      aDsn(other.email, { action: "delayed", status: "4.4.7" }),
      aDsn(other.email, { action: "delivered", status: "2.0.0" }),
    ])
      expect((await deliver(verp, raw)).response).toMatch(/^250/);
    const unknown = `bounces+${"0".repeat(32)}@passerelle.test`;
    expect(
      (await deliver(unknown, aDsn(other.email, { action: "failed", status: "5.1.1" }))).response,
    ).toMatch(/^250/);
    expect((await rowFor(other.email)).status).toBe("sent");
    expect((await contactOf(other.id)).emailBouncedAt).toBeNull();
    expect(await counts()).toMatchObject({ sent: 3, failed: 1 });
  });

  it("refuses any other recipient and a message over the size limit, and survives garbage", async () => {
    const raw = aDsn("x@partenaire.invalid", { action: "failed", status: "5.1.1" });
    for (const to of ["postmaster@passerelle.test", "bounces@passerelle.test", "bounces+zz@passerelle.test"])
      await expect(deliver(to, raw)).rejects.toMatchObject({ responseCode: 550 });
    const verp = `bounces+${(await rowFor(contacts[2]!.email)).bounceToken}@passerelle.test`;
    const huge = `${aDsn(contacts[2]!.email, { action: "failed", status: "5.1.1" })}${"x".repeat(MAX_BYTES)}\r\n`;
    await expect(deliver(verp, huge)).rejects.toMatchObject({ responseCode: 552 });
    const garbage =
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\n\u0000\u00ff--';
    expect((await deliver(verp, garbage)).response).toMatch(/^250/);
    expect((await rowFor(contacts[2]!.email)).status).toBe("sent");
    // Still listening.
    expect(
      (await deliver(verp, aDsn(contacts[2]!.email, { action: "delayed", status: "4.2.2" }))).response,
    ).toMatch(/^250/);
  });

  it("settles an uncertain message: failed, never sent again", async () => {
    const contact = contacts[3]!;
    const row = await rowFor(contact.email);
    await t.handle.db
      .update(notification)
      .set({
        status: "uncertain",
        uncertainSends: 1,
        notBefore: new Date(t.clock.now().getTime() + UNCERTAIN_WAIT_MS),
      })
      .where(eq(notification.id, row.id));
    await deliver(
      `bounces+${row.bounceToken}@passerelle.test`,
      aDsn(contact.email, { action: "failed", status: "5.2.1" }),
    );
    expect((await rowFor(contact.email)).status).toBe("failed");
    const before = smtp.mails.length;
    t.clock.set(new Date(t.clock.now().getTime() + UNCERTAIN_WAIT_MS + 60_000));
    while ((await runOnce(worker)) > 0) {}
    expect(smtp.mails).toHaveLength(before);
  });
});

describe("the undeliverable contact in the directory", () => {
  it("shows when its address bounced; a corrected address is tried again, the same one is not", async () => {
    const contact = contacts[0]!;
    const headers = await t.sessionFor(demo.manager);
    const update = (email: string) =>
      t.app.inject({
        method: "PUT",
        url: `/api/directory/contacts/${contact.id}`,
        headers,
        payload: { name: "Contact corrigé", email, newsletterSubscribed: true },
      });
    const same = await update(contact.email);
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json().emailBouncedAt).not.toBeNull();
    const corrected = await update("nouvelle.adresse@partenaire.invalid");
    expect(corrected.json().emailBouncedAt).toBeNull();
    // Subscribed again; the contact whose uncertain message bounced above is still left out.
    expect(await subscribers()).toBe(3);
  });
});
