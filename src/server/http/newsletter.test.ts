import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvent,
  directoryContact,
  newsletterDelivery,
  newsletterIssue,
  notification,
} from "../db/schema";
import { logSmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { anAgent, aStructure } from "../testing/builders";
import { aForumAndAConvention, someContacts } from "../testing/newsletterFixtures";
import { expectSafeRetries } from "../testing/retriedCreations";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";
import { demo, PUBLIC_URL, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let smtp: SmtpSink;
let worker: WorkerDeps;
let structureId: string;
let otherManager: string;
let otherStructureId: string;
let subscribed: { id: string; email: string }[];
let otherStructureContacts: { id: string; email: string }[];

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
  structureId = t.demoStructureId;
  // The demo directory's own subscribers are not this test's: it counts the contacts it makes.
  await t.handle.db.update(directoryContact).set({ newsletterSubscribed: false });
  subscribed = (await someContacts(t.handle.db, structureId, 4, { unsubscribed: 2, notSubscribed: 1 }))
    .contacts;
  await aForumAndAConvention(t.handle.db, structureId, t.clock.now());
  const other = await aStructure(t.handle.db);
  otherStructureId = other.structure.id;
  otherStructureContacts = (await someContacts(t.handle.db, other.structure.id, 3)).contacts;
  otherManager = (await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] }))
    .email;
});
afterAll(async () => {
  worker.email.close();
  await smtp.close();
  await t.close();
});

type Method = "GET" | "POST" | "PUT" | "DELETE";
const call = async (method: Method, url: string, email: string | null, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: email ? await t.sessionFor(email) : {},
    ...(payload ? { payload } : {}),
  });

const issue = {
  title: "Lettre de juin",
  blocks: [
    {
      type: "text",
      markdown:
        "Bonjour à tous <script>alert(1)</script> [piège](javascript:alert(1)) ![Affiche du forum](https://pixel.example/p.gif)",
    },
    { type: "upcoming_actions", weeks: 4 },
    { type: "conventions", since: null },
    { type: "key_figures", quarter: "2026-Q1" },
  ],
};

async function aDraft(): Promise<string> {
  const created = await call("POST", `/api/structures/${structureId}/newsletters`, demo.manager, issue);
  expect(created.statusCode, created.body).toBe(200);
  return created.json().id;
}

describe("composing (direction only)", () => {
  it("answers 401, 403 and 400 before anything", async () => {
    const url = `/api/structures/${structureId}/newsletters`;
    expect((await call("GET", url, null)).statusCode).toBe(401);
    for (const who of [demo.cpip, demo.partner, demo.steering, demo.admin, otherManager])
      expect((await call("GET", url, who)).statusCode).toBe(403);
    const bad = await call("POST", url, demo.manager, {
      title: "",
      blocks: [{ type: "text", markdown: "" }, { type: "upcoming_actions", weeks: 99 }, { type: "video" }],
    });
    expect(bad.statusCode).toBe(400);
    // Keys left out say what each field asks for, as empty values do.
    const empty = await call("POST", url, demo.manager, { blocks: [{ type: "text" }] });
    const absent = await call("POST", url, demo.manager, {});
    expect([...empty.json().issues, ...absent.json().issues]).toEqual([
      { path: "body.title", message: "Donnez un titre à la lettre." },
      { path: "body.blocks.0.markdown", message: "Écrivez le texte du bloc, ou retirez le bloc." },
      { path: "body.title", message: "Donnez un titre à la lettre." },
      { path: "body.blocks", message: "Ajoutez au moins un bloc à la lettre." },
    ]);
    const paths = bad.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "body.title",
        "body.blocks.0.markdown",
        "body.blocks.1.weeks",
        "body.blocks.2.type",
      ]),
    );
    // Impossible days and years are refused at the draft, not left to fail its preview and sending.
    const dates = await call("POST", url, demo.manager, {
      title: "Dates",
      blocks: [
        { type: "conventions", since: "2026-02-30" },
        { type: "conventions", since: "9999-99-99" },
        { type: "key_figures", quarter: "0000-Q1" },
      ],
    });
    expect(dates.statusCode).toBe(400);
    expect(dates.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.blocks.0.since",
      "body.blocks.1.since",
      "body.blocks.2.quarter",
    ]);
  });

  it("creates, numbers and updates a draft; another structure's direction gets 404", async () => {
    const id = await aDraft();
    const read = await call("GET", `/api/newsletters/${id}`, demo.manager);
    expect(read.json()).toMatchObject({
      status: "draft",
      title: "Lettre de juin",
      subscribers: 4,
      counts: null,
    });
    expect((await call("GET", `/api/newsletters/${id}`, otherManager)).statusCode).toBe(404);
    expect((await call("GET", `/api/newsletters/${id}`, demo.partner)).statusCode).toBe(403);
    const changed = await call("PUT", `/api/newsletters/${id}`, demo.manager, {
      ...issue,
      title: "Lettre de juillet",
    });
    expect(changed.json().title).toBe("Lettre de juillet");
    const second = await aDraft();
    const numbers = (await call("GET", `/api/structures/${structureId}/newsletters`, demo.manager))
      .json()
      .issues.filter((i: { id: string }) => [id, second].includes(i.id))
      .map((i: { number: number }) => i.number);
    expect(numbers[0]).toBe(numbers[1] + 1);
    expect((await call("DELETE", `/api/newsletters/${second}`, demo.manager)).statusCode).toBe(200);
    expect((await call("GET", `/api/newsletters/${second}`, demo.manager)).statusCode).toBe(404);
  });

  it("previews the blocks filled from the data: the forum, the convention, protected figures, neutralised HTML", async () => {
    const id = await aDraft();
    const preview = await call("GET", `/api/newsletters/${id}/preview`, demo.manager);
    expect(preview.statusCode, preview.body).toBe(200);
    const { content, text } = preview.json();
    expect(content.blocks[0].html).toContain("&lt;script&gt;");
    expect(content.blocks[0].html).not.toContain("<script");
    expect(content.blocks[0].html).not.toContain('href="javascript');
    // An image is its alternative text: nothing is loaded from elsewhere, in the preview and the e-mail.
    expect(content.blocks[0].html).toContain("Affiche du forum");
    expect(content.blocks[0].html).not.toContain("pixel.example");
    expect(content.blocks[1].actions.map((a: { title: string }) => a.title)).toEqual([
      "Forum emploi de Meaux",
    ]);
    expect(content.blocks[2].conventions[0]).toMatchObject({
      title: "Convention CAF – SPIP 77",
      event: "signed",
    });
    expect(content.blocks[2].conventions[0].parties).toEqual([
      "CAF de Seine-et-Marne",
      "SPIP de Seine-et-Marne",
    ]);
    const figures = content.blocks[3].figures as { label: string; value: string }[];
    expect(figures.map((f) => f.label)).toContain("Personnes accompagnées");
    // Protected as for steering: never an exact count between 1 and 4.
    for (const f of figures) expect(f.value).not.toMatch(/^[1-4]$/);
    expect(text).toContain("Forum emploi de Meaux");
    // Each recipient gets their own unsubscribe link: the preview says so, never a placeholder address.
    expect(text).toContain("(lien de désabonnement propre à chaque destinataire)");
    expect(text).not.toContain("placeholder");
    const email = await call("GET", `/api/newsletters/${id}/email.html`, demo.manager);
    expect(email.statusCode).toBe(200);
    expect(email.headers["content-type"]).toContain("text/html");
    expect(String(email.headers["content-security-policy"])).toContain("default-src 'none'");
    expect(email.body).toContain("Forum emploi de Meaux");
    expect(email.body).not.toContain("<script");
    expect(email.body).toContain("Affiche du forum");
    expect(email.body).not.toContain("pixel.example");
    expect(email.body).not.toContain("placeholder");
  });
});

describe("sending", () => {
  let sentId: string;

  it("refuses a count the direction did not confirm, then queues one e-mail per subscribed contact", async () => {
    sentId = await aDraft();
    // Without the confirmed count, the send says what is missing, not « Renseignez ce champ. ».
    const unconfirmed = await call("POST", `/api/newsletters/${sentId}/send`, demo.manager, {});
    expect(unconfirmed.json().issues).toEqual([
      {
        path: "body.recipients",
        message: "Confirmez le nombre de destinataires de la lettre avant de l'envoyer.",
      },
    ]);
    const wrong = await call("POST", `/api/newsletters/${sentId}/send`, demo.manager, { recipients: 9 });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe("newsletter.recipientsChanged");
    expect(
      await t.handle.db.select().from(newsletterDelivery).where(eq(newsletterDelivery.issueId, sentId)),
    ).toEqual([]);
    const sent = await call("POST", `/api/newsletters/${sentId}/send`, demo.manager, { recipients: 4 });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ status: "sent", counts: { recipients: 4, pending: 4, sent: 0 } });
    const queued = await t.handle.db.select().from(notification).where(eq(notification.kind, "newsletter"));
    const to = queued.map((n) => n.recipient).sort();
    expect(to).toEqual(subscribed.map((c) => c.email).sort());
    for (const c of otherStructureContacts) expect(to).not.toContain(c.email);
    const [journaled] = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, sentId));
    expect(journaled).toBeDefined();
  });

  it("refuses a second send with a French 409, and any change to a sent issue", async () => {
    const again = await call("POST", `/api/newsletters/${sentId}/send`, demo.manager, { recipients: 4 });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain("déjà été envoyée");
    expect((await call("PUT", `/api/newsletters/${sentId}`, demo.manager, issue)).statusCode).toBe(409);
    expect((await call("DELETE", `/api/newsletters/${sentId}`, demo.manager)).statusCode).toBe(409);
    expect(
      (await t.handle.db.select().from(notification).where(eq(notification.kind, "newsletter"))).length,
    ).toBe(4);
  });

  it("sends through SMTP with the HTML, the text and the List-Unsubscribe headers; a 5xx is a bounce", async () => {
    smtp.rejectRecipients.add(subscribed[3]!.email);
    while ((await runOnce(worker)) > 0) {}
    const mails = smtp.mails.filter((m) => m.subject.includes("Lettre de juin"));
    expect(mails).toHaveLength(3);
    for (const mail of mails) {
      const link = /\/desabonnement\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[0];
      expect(link).toBeDefined();
      expect(mail.headers["list-unsubscribe"]).toBe(`<${PUBLIC_URL}${link}>`);
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(mail.html).toContain(`${PUBLIC_URL}${link}`);
      expect(mail.html).toContain("Forum emploi de Meaux");
      expect(mail.html).toContain("Affiche du forum");
      expect(`${mail.html}${mail.text}`).not.toContain("pixel.example");
    }
    const links = mails.map((m) => /\/desabonnement\/([A-Za-z0-9_-]{43})/.exec(m.text)?.[1]);
    expect(new Set(links).size).toBe(3);
    const read = await call("GET", `/api/newsletters/${sentId}`, demo.manager);
    expect(read.json().counts).toEqual({ recipients: 4, sent: 3, failed: 1, pending: 0, unsubscribed: 0 });
    // The refused address is marked undeliverable: the next issue skips it.
    const [bounced] = await t.handle.db
      .select()
      .from(directoryContact)
      .where(eq(directoryContact.id, subscribed[3]!.id));
    expect(bounced!.emailBouncedAt).not.toBeNull();
    const [sentTo] = await t.handle.db
      .select()
      .from(directoryContact)
      .where(eq(directoryContact.id, subscribed[0]!.id));
    expect(sentTo!.emailBouncedAt).toBeNull();
  });

  it("unsubscribes only the link's own contact: confirm page info on GET, POST, one-click POST, reuse, forgery", async () => {
    const mails = smtp.mails.filter((m) => m.subject.includes("Lettre de juin"));
    const tokenOf = (email: string) =>
      /\/desabonnement\/([A-Za-z0-9_-]{43})/.exec(mails.find((m) => m.to === email)!.text)![1]!;
    const [first, second] = [subscribed[0]!, subscribed[1]!];
    const info = await call("GET", `/api/newsletter/unsubscribe/${tokenOf(first.email)}`, null);
    expect(info.json()).toMatchObject({
      alreadyUnsubscribed: false,
      email: `c•••@${first.email.split("@")[1]}`,
    });
    // A GET changes nothing (mail scanners follow links).
    const [still] = await t.handle.db
      .select()
      .from(directoryContact)
      .where(eq(directoryContact.id, first.id));
    expect(still!.newsletterSubscribed).toBe(true);

    const done = await call("POST", `/api/newsletter/unsubscribe/${tokenOf(first.email)}`, null);
    expect(done.json()).toEqual({ alreadyUnsubscribed: false });
    const again = await call("POST", `/api/newsletter/unsubscribe/${tokenOf(first.email)}`, null);
    expect(again.json()).toEqual({ alreadyUnsubscribed: true });
    const contacts = await t.handle.db.select().from(directoryContact);
    const byId = (id: string) => contacts.find((c) => c.id === id)!;
    expect(byId(first.id)).toMatchObject({ newsletterSubscribed: false });
    expect(byId(first.id).unsubscribedAt).not.toBeNull();
    expect(byId(second.id)).toMatchObject({ newsletterSubscribed: true, unsubscribedAt: null });

    // RFC 8058: the mail client's POST to the header's link, a form body, no session.
    const oneClick = await t.app.inject({
      method: "POST",
      url: `/desabonnement/${tokenOf(second.email)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.statusCode).toBe(200);
    const [secondNow] = await t.handle.db
      .select()
      .from(directoryContact)
      .where(eq(directoryContact.id, second.id));
    expect(secondNow!.newsletterSubscribed).toBe(false);

    const forged = await call("POST", `/api/newsletter/unsubscribe/${"A".repeat(43)}`, null);
    expect(forged.statusCode).toBe(404);
    expect(forged.json().message).toContain("n'est pas valable");
    expect((await call("POST", "/api/newsletter/unsubscribe/court", null)).statusCode).toBe(400);
    const forgedOneClick = await t.app.inject({ method: "POST", url: `/desabonnement/${"B".repeat(43)}` });
    expect(forgedOneClick.statusCode).toBe(404);
    expect(forgedOneClick.json().message).toContain("n'est pas valable");
    // A link not even shaped like one (cut by the mail client, typed): the same French 404.
    const malformedOneClick = await t.app.inject({
      method: "POST",
      url: "/desabonnement/court",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(malformedOneClick.statusCode).toBe(404);
    expect(malformedOneClick.json()).toMatchObject({
      code: "newsletter.unknownLink",
      message:
        "Ce lien de désabonnement n'est pas valable : utilisez le lien reçu dans votre dernier courriel.",
    });

    const counts = (await call("GET", `/api/newsletters/${sentId}`, demo.manager)).json().counts;
    expect(counts.unsubscribed).toBe(2);
    // Two unsubscribed, one undeliverable (its address bounced): one left.
    expect(
      (await call("GET", `/api/structures/${structureId}/newsletters`, demo.manager)).json().subscribers,
    ).toBe(1);
    const journaled = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "newsletter.unsubscribe"));
    expect(journaled.map((j) => j.targetId).sort()).toEqual([first.id, second.id].sort());
  });

  it("the archive: sent issues for agents and partner referents, never a draft, nothing for steering", async () => {
    const draft = await aDraft();
    const url = `/api/structures/${structureId}/newsletter-archive`;
    for (const who of [demo.partner, demo.cpip, demo.counselor, demo.manager]) {
      const list = await call("GET", url, who);
      expect(list.statusCode).toBe(200);
      const ids = list.json().issues.map((i: { id: string }) => i.id);
      expect(ids).toContain(sentId);
      expect(ids).not.toContain(draft);
    }
    for (const who of [demo.steering, demo.admin, otherManager])
      expect((await call("GET", url, who)).statusCode).toBe(403);
    const read = await call("GET", `/api/newsletter-archive/${sentId}`, demo.partner);
    expect(read.statusCode).toBe(200);
    expect(read.json().content.title).toBe("Lettre de juin");
    expect((await call("GET", `/api/newsletter-archive/${draft}`, demo.partner)).statusCode).toBe(404);
    expect((await call("GET", `/api/newsletter-archive/${sentId}`, otherManager)).statusCode).toBe(404);
    expect((await call("GET", `/api/newsletter-archive/${sentId}`, demo.steering)).statusCode).toBe(403);
  });

  it("sends nothing when nobody is subscribed", async () => {
    const other = await aStructure(t.handle.db);
    const manager = (
      await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] })
    ).email;
    const created = await call("POST", `/api/structures/${other.structure.id}/newsletters`, manager, issue);
    const sent = await call("POST", `/api/newsletters/${created.json().id}/send`, manager, { recipients: 0 });
    expect(sent.statusCode).toBe(409);
    expect(sent.json().code).toBe("newsletter.noRecipients");
  });
});

describe("a draft sent again with the id its composer chose (an answer lost, ADR 0036)", () => {
  it("one draft and journal row, the same answer; someone else's id a 400; other values a 409; twice at once", async () => {
    const here = await anAgent(t.handle.db, { structureId, roles: ["service_manager"] });
    await expectSafeRetries(t, {
      url: `/api/structures/${structureId}/newsletters`,
      email: demo.manager,
      body: (id) => ({ id, ...issue }),
      changed: (body) => [
        { ...body, title: "Lettre de juillet" },
        { ...body, blocks: issue.blocks.slice(1) },
        { ...body, blocks: [{ type: "upcoming_actions", weeks: 6 }, ...issue.blocks.slice(1)] },
      ],
      code: "newsletter.retriedWithOtherValues",
      table: newsletterIssue,
      action: "newsletter.create",
      otherAgent: here.email,
      otherScope: { url: `/api/structures/${otherStructureId}/newsletters`, email: otherManager },
    });
  });
});

describe("several drafts created at once", () => {
  it("each gets its own number, none fails (the numbering waits for the structure's lock)", async () => {
    const url = `/api/structures/${otherStructureId}/newsletters`;
    const headers = await t.sessionFor(otherManager);
    for (let round = 0; round < 3; round += 1) {
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          t.app.inject({
            method: "POST",
            url,
            headers,
            payload: { id: crypto.randomUUID(), ...issue, title: `Lettre ${round}-${i}` },
          }),
        ),
      );
      expect(
        answers.map((a) => a.statusCode),
        answers.map((a) => a.body).join("\n"),
      ).toEqual([200, 200, 200, 200, 200]);
    }
    const numbers = (
      await t.handle.db
        .select({ n: newsletterIssue.number })
        .from(newsletterIssue)
        .where(eq(newsletterIssue.structureId, otherStructureId))
    )
      .map((r) => r.n)
      .sort((a, b) => a - b);
    expect(numbers.slice(-15)).toEqual(Array.from({ length: 15 }, (_, i) => numbers.at(-15)! + i));
  });
});
