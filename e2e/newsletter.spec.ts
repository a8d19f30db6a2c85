import nodemailer from "nodemailer";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ReceivedMail } from "../src/server/testing/smtpSink";
import {
  baseUrl,
  expectAccessible,
  fakes,
  launchBrowser,
  logIn,
  logInWithSecondFactor,
  navigate,
  newPage,
  waitForMessage,
} from "./support";

// Issue 15, the partners' newsletter (ADR 0032): the direction composes an issue with a text, the
// demo's upcoming forum and its new convention, previews it and sends it; the e-mails reach the
// SMTP server; one partner contact unsubscribes through their link; the counts show it; the partner
// referent reads the issue in the archive from their home. Issue 15: one address bounces later (a
// delivery status notification to the message's own envelope sender): the count shows the failure,
// and the directory shows the contact's address refused.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

const DIRECTION = { email: "direction@demo.passerelle.fr", name: "Hélène Bernard" };
const TITLE = "Forum emploi et nouvelle convention CAF";
/** The demo's subscribed partner contacts (demoNewsletter.ts, then demoDirectory.ts). */
const SUBSCRIBED = [
  "claire.martin@caf77.invalid",
  "sophie.garnier@caf77.exemple.invalid",
  "nadia.ferreira@cpam77.exemple.invalid",
  "thomas.lambert@francetravail.exemple.invalid",
  "lea.fontaine@pimms77.exemple.invalid",
  "samia.benkirane@brie-interim.exemple.invalid",
  "julien.petit@caf77.invalid",
  "sarah.benali@mission-locale77.invalid",
  "nadia.rousseau@tremplin77.invalid",
];

/** A delivery status notification (RFC 3464) reporting `about` as a mailbox that does not exist. */
function aHardBounce(about: string): string {
  return [
    "From: Mail Delivery System <MAILER-DAEMON@mx.francetravail.exemple.invalid>",
    "Subject: Undelivered Mail Returned to Sender",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"',
    "",
    "--dsn",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.francetravail.exemple.invalid",
    "",
    `Final-Recipient: rfc822; ${about}`,
    "Action: failed",
    "Status: 5.1.1",
    "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
    "",
    "--dsn--",
    "",
  ].join("\r\n");
}

describe("the partners' newsletter", () => {
  it("is composed, previewed, sent, unsubscribed from, counted and archived", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    await navigate(page, "Partenariat", "Lettre d'information");
    await page.getByRole("heading", { name: "Lettre d'information aux partenaires", level: 1 }).waitFor();
    await page.getByText("Lancement de la structure France services").waitFor();
    await expectAccessible(page);

    await page.getByRole("link", { name: "Nouvelle lettre" }).click();
    await page.getByRole("heading", { name: "Nouvelle lettre d'information", level: 1 }).waitFor();
    // On a phone, a block's buttons (up, down, remove) share one row.
    await page.setViewportSize({ width: 390, height: 844 });
    const tops = await Promise.all(
      ["Monter le bloc 2", "Descendre le bloc 2", "Retirer le bloc 2"].map(
        async (name) => (await page.getByRole("button", { name }).boundingBox())?.y,
      ),
    );
    expect(new Set(tops).size).toBe(1);
    await page.setViewportSize({ width: 1280, height: 720 });
    // "Retirer" takes the block out and leaves a notice at its place, focused; "Annuler" puts the
    // block back where it stood, the focus on its own "Retirer" button.
    const blockLegends = () => page.locator(".newsletter-block legend").allTextContents();
    const composed = await blockLegends();
    await page.getByRole("button", { name: "Retirer le bloc 2" }).click();
    const notice = page.getByText("Bloc 2 (Actions collectives à venir) retiré.");
    await notice.waitFor();
    expect(await blockLegends()).toEqual([
      "Bloc 1 : Texte libre",
      "Bloc 2 : Conventions signées ou renouvelées",
    ]);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toMatch(/^Bloc 2 \(Actions collectives à venir\) retiré\./);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Annuler le retrait du bloc 2" }).click();
    await notice.waitFor({ state: "detached" });
    expect(await blockLegends()).toEqual(composed);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe("Retirer le bloc 2");
    // Saved empty: the errors say what is missing, nothing is written.
    await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await page.getByText("Donnez un titre à la lettre.").first().waitFor();
    await expectAccessible(page);
    await page.getByLabel("Titre de la lettre").fill(TITLE);
    await page
      .getByRole("textbox", { name: /^Texte/ })
      .fill(
        "Bonjour à toutes et à tous,\n\nRetrouvez **le forum emploi** de Meaux. <script>alert(1)</script>",
      );
    // The live preview shows the typed HTML as text.
    await page.getByText("<script>alert(1)</script>").last().waitFor();
    await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await page.getByRole("heading", { name: new RegExp(`^Lettre n° \\d+ — ${TITLE}`), level: 1 }).waitFor();

    // The preview: the upcoming forum and the convention signed since the last issue.
    await page.getByText("Forum emploi IAE de Meaux").first().waitFor();
    await page.getByText("Convention d'accès aux droits CAF – SPIP 77").first().waitFor();
    await expectAccessible(page);
    await page.getByRole("tab", { name: "Courriel HTML" }).click();
    const frame = page.frameLocator('iframe[title="Aperçu du courriel"]');
    await frame.getByText("Forum emploi IAE de Meaux").waitFor();
    await frame.getByText("Se désabonner").waitFor();

    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    // A change not saved yet would not leave with the letter: the send says so and sends nothing.
    const text = page.getByRole("textbox", { name: /^Texte/ });
    const savedText = await text.inputValue();
    await text.fill(`${savedText} Une phrase ajoutée après l'enregistrement.`);
    await page.getByRole("button", { name: "Envoyer la lettre…" }).click();
    await page
      .getByRole("heading", { name: "Vos dernières modifications ne sont pas enregistrées" })
      .waitFor();
    expect(await page.getByRole("button", { name: /^Confirmer l'envoi/ }).count()).toBe(0);
    await expect.poll(focused).toBe("Revenir à la lettre");
    await page.getByRole("button", { name: "Revenir à la lettre" }).click();
    await expect.poll(focused).toBe("Envoyer la lettre…");
    await text.fill(savedText);

    await page.getByRole("button", { name: "Envoyer la lettre…" }).click();
    await page
      .getByRole("heading", { name: `Envoyer la lettre à ${SUBSCRIBED.length} contacts abonnés ?` })
      .waitFor();
    // The question replaced the button: the focus is on its first answer, not lost on the page.
    await expect.poll(focused).toBe(`Confirmer l'envoi à ${SUBSCRIBED.length} contacts`);
    await expectAccessible(page);
    await page.getByRole("button", { name: `Confirmer l'envoi à ${SUBSCRIBED.length} contacts` }).click();
    await page.getByText(/^Envoyée le /).waitFor();
    await expect.poll(focused).toMatch(/^Envoyée le /);

    const mails: ReceivedMail[] = [];
    for (const to of SUBSCRIBED)
      mails.push(
        await waitForMessage<ReceivedMail>("mails", (m) => m.to === to && m.subject.includes(TITLE)),
      );
    const everything = await fakes<ReceivedMail>("mails");
    expect(everything.filter((m) => m.subject.includes(TITLE))).toHaveLength(SUBSCRIBED.length);
    for (const mail of mails) {
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(mail.html).toContain("Forum emploi IAE de Meaux");
      expect(mail.html).not.toContain("<script>alert");
    }

    // Claire leaves through her own link: the page asks first, then confirms.
    const link = /(https?:\/\/\S+\/desabonnement\/[A-Za-z0-9_-]{43})/.exec(mails[0]!.text)?.[1];
    expect(link).toBeDefined();
    const visitor = await newPage(browser);
    await visitor.page.goto(link!.replace(/^https?:\/\/[^/]+/, baseUrl()));
    await visitor.page.getByRole("heading", { name: "Se désabonner de la lettre d'information" }).waitFor();
    await visitor.page.getByText("c•••@caf77.invalid").first().waitFor();
    await expectAccessible(visitor.page);
    await visitor.page.getByRole("button", { name: "Je ne veux plus recevoir la lettre" }).click();
    await visitor.page.getByText("C'est noté : vous ne recevrez plus la lettre d'information.").waitFor();
    await expectAccessible(visitor.page);
    await visitor.page.reload();
    await visitor.page.getByText("Vous êtes déjà désabonné").waitFor();
    // A link cut short by a mail client says so under the page's own title, not as a second page.
    await visitor.page.goto(link!.replace(/^https?:\/\/[^/]+/, baseUrl()).slice(0, -5));
    await visitor.page.getByText("Ce lien de désabonnement n'est pas valable").waitFor();
    expect(await visitor.page.locator("h1").allTextContents()).toEqual([
      "Se désabonner de la lettre d'information",
    ]);
    expect(visitor.problems).toEqual([]);

    // Thomas's mailbox is gone: his server's report comes back, later, to his message's own
    // envelope sender (bounces+<token>@…), through the real SMTP listener of the server.
    const bounced = mails.find((m) => m.to === "thomas.lambert@francetravail.exemple.invalid")!;
    expect(bounced.from).toMatch(/^bounces\+[0-9a-f]{32}@passerelle\.e2e\.test$/);
    const mx = nodemailer.createTransport({
      host: "127.0.0.1",
      port: inject("bounceSmtpPort"),
      ignoreTLS: true,
    });
    await mx.sendMail({ envelope: { from: "", to: bounced.from }, raw: aHardBounce(bounced.to) });
    mx.close();

    // The worker records each send just after the SMTP server took it: refresh until all are counted.
    const counted = page.getByText(
      `${SUBSCRIBED.length - 1} envoyés sur ${SUBSCRIBED.length}, 1 en échec, 1 désabonnement`,
    );
    for (let i = 0; i < 20 && !(await counted.isVisible()); i += 1) {
      await page.getByRole("button", { name: "Actualiser les comptes" }).click();
      await page.waitForTimeout(500);
    }
    await counted.waitFor();
    await expectAccessible(page);

    // The directory says why Thomas gets no more issues.
    await navigate(page, "Partenariat", "Annuaire");
    await page.getByRole("heading", { name: "Annuaire des partenaires", level: 1 }).waitFor();
    await page.getByRole("link", { name: "France Travail – agence de Meaux" }).first().click();
    await page.getByText(/^Abonné, adresse refusée le .+ : plus d'envoi$/).waitFor();
    await expectAccessible(page);
    expect(problems).toEqual([]);

    // The partner referent's home lists the issue; the archive shows it as sent.
    const partner = await newPage(browser);
    await logIn(partner.page, "partenaire@demo.passerelle.fr");
    await partner.page.getByRole("heading", { name: "Lettres d'information de la structure" }).waitFor();
    await partner.page.getByRole("link", { name: new RegExp(TITLE) }).click();
    await partner.page.getByRole("heading", { name: new RegExp(TITLE), level: 1 }).waitFor();
    await partner.page.getByText("Forum emploi IAE de Meaux").first().waitFor();
    await expectAccessible(partner.page);
    expect(partner.problems).toEqual([]);
    // Long: three users, a send through the outbox, a bounce, the directory (2 cores shared).
  }, 150_000);
});
