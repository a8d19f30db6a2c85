import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReceivedMail } from "../src/server/testing/smtpSink";
import {
  baseUrl,
  control,
  expectAccessible,
  fakes,
  launchBrowser,
  logIn,
  logInWithSecondFactor,
  navigate,
  newPage,
  waitForMessage,
} from "./support";

// Issue 15, collective actions: the direction organises a forum emploi, invites two IAE employers
// (the ICS e-mail reaches the SMTP server, one answers yes by link), three agents convoke their
// people, the counselor records attendance and outcomes, the dashboard shows the action's figures.
// A working group gets its members and plans its next meeting; an archived contact is not offered.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());
afterEach(() => control("clock", { now: null }));

const DIRECTION = { email: "direction@demo.passerelle.fr", name: "Hélène Bernard" };
const TITLE = `Forum emploi IAE ${Date.now().toString(36)}`;
const parisDay = (at: Date): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(at);

/** Convokes the first person offered; returns the name shown in the list ("BENALI Karim"). */
async function convokeOne(page: Page, actionUrl: string): Promise<string> {
  await page.goto(actionUrl);
  await page.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
  const select = page.getByLabel("Personne à convoquer");
  await select.locator("option").nth(1).waitFor({ state: "attached" });
  const value = await select.locator("option").nth(1).getAttribute("value");
  const name = (await select.locator("option").nth(1).textContent()) ?? "";
  // Nobody chosen: the button says why under the list instead of staying greyed out.
  await page.getByRole("button", { name: "Convoquer à l'action" }).click();
  await page.getByText("Choisissez la personne à convoquer.").first().waitFor();
  expect(await select.getAttribute("aria-invalid")).toBe("true");
  await select.selectOption(value ?? "");
  await page.getByRole("button", { name: "Convoquer à l'action" }).click();
  await page.getByText(/est convoqué·e\./).waitFor();
  return name.trim();
}

describe("a forum emploi, from its organisation to the dashboard", () => {
  it("is organised, answered by link, convoked to, recorded and counted", async () => {
    const day = parisDay(new Date(Date.now() + 3 * 86_400_000));
    // The direction organises the forum.
    const direction = await newPage(browser);
    await logInWithSecondFactor(direction.page, DIRECTION.email, DIRECTION.name);
    await navigate(direction.page, "Partenariat", "Actions collectives");
    await direction.page.getByRole("heading", { name: "Actions collectives", level: 1 }).waitFor();
    await direction.page.getByText("Forum emploi IAE de Meaux").first().waitFor();
    await expectAccessible(direction.page);
    // The list's filters are in the address: back from a past action finds the past actions, a reload too.
    await direction.page.getByText("Passées", { exact: true }).click();
    const pastCaption = direction.page.getByText("Actions collectives passées", { exact: true });
    await pastCaption.waitFor();
    const pastLink = direction.page.getByRole("link", { name: "Comité de pilotage France services SPIP 77" });
    await pastLink.first().click();
    await direction.page
      .getByRole("heading", { name: "Comité de pilotage France services SPIP 77", level: 1 })
      .waitFor();
    await direction.page.goBack();
    await pastCaption.waitFor();
    expect(direction.page.url()).toContain("periode=passees");
    await direction.page.reload();
    await pastCaption.waitFor();
    expect(await direction.page.getByRole("radio", { name: "Passées" }).isChecked()).toBe(true);
    await direction.page.getByText("À venir", { exact: true }).click();
    await direction.page.getByText("Forum emploi IAE de Meaux").first().waitFor();
    await direction.page.getByRole("link", { name: "Organiser une action" }).click();
    await direction.page.getByRole("heading", { name: "Organiser une action collective" }).waitFor();
    await direction.page.getByRole("button", { name: "Créer l'action" }).click();
    await direction.page.getByText("Saisissez l'intitulé de l'action.").first().waitFor();
    await expectAccessible(direction.page);
    await direction.page.getByLabel("Type d'action").selectOption({ label: "Forum emploi" });
    await direction.page.getByLabel("Intitulé").fill(TITLE);
    // A public holiday or a weekend day is said under the date, and still allowed.
    await direction.page.getByLabel(/^Date\s?Format attendu : JJ\/MM\/AAAA$/).fill("2027-12-25");
    await direction.page.getByText("Ce jour est férié (Noël).").waitFor();
    await direction.page.getByLabel(/^Date\s?Format attendu : JJ\/MM\/AAAA$/).fill("2027-12-04");
    await direction.page.getByText("Ce jour est un samedi.").waitFor();
    await direction.page.getByLabel(/^Date\s?Format attendu : JJ\/MM\/AAAA$/).fill(day);
    await direction.page.getByLabel("Heure de début").fill("12:30");
    await direction.page.getByLabel("Heure de fin").fill("09:30");
    await direction.page.getByRole("combobox", { name: /^Lieu de la structure/ }).selectOption({ index: 3 });
    await direction.page.getByLabel(/^Capacité/).fill("10");
    await direction.page.getByRole("button", { name: "Créer l'action" }).click();
    await direction.page.getByText("L'heure de fin doit être après l'heure de début.").first().waitFor();
    await direction.page.getByLabel("Heure de début").fill("09:30");
    await direction.page.getByLabel("Heure de fin").fill("12:30");
    await direction.page.getByRole("button", { name: "Créer l'action" }).click();
    await direction.page.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
    const actionUrl = direction.page.url();
    await expectAccessible(direction.page);

    // Nobody chosen: said under the directory's list too, not only in the summary.
    await direction.page.getByRole("button", { name: "Envoyer les invitations" }).click();
    await direction.page
      .getByRole("group", { name: /^Contacts de l'annuaire/ })
      .getByText("Choisissez au moins une personne à inviter.")
      .waitFor();
    // Two IAE employers of the directory are invited.
    await direction.page.getByText("Claire Dubois — Les Jardins du Cœur de Brie").click();
    await direction.page.getByText("Mehdi Ouali — Envie Seine-et-Marne").click();
    await direction.page.getByRole("button", { name: "Envoyer les invitations" }).click();
    await direction.page.getByText("2 invitations envoyées.").waitFor();
    // The button was disabled while sending: the notice has the focus, not the page's body.
    await expect
      .poll(() => direction.page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe("2 invitations envoyées.");
    // The organiser reads, once above the list, where « Pas de réponse » comes from.
    await direction.page.getByText("Pas de réponse").first().waitFor();
    expect(
      await direction.page
        .getByText(/Chaque invité répond, sans compte, par le lien de l'invitation/)
        .count(),
    ).toBe(1);
    // A document is joined to the action: a missing or refused file is said under the file field,
    // and the field is emptied once the file is joined.
    const join = direction.page.getByRole("button", { name: "Joindre", exact: true });
    const fileField = direction.page.getByLabel(/^Joindre un document\s?PDF/);
    await join.click();
    await direction.page.getByText("Choisissez le fichier à joindre (PDF, PNG ou JPEG).").first().waitFor();
    expect(await fileField.getAttribute("aria-invalid")).toBe("true");
    await fileField.setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("notes"),
    });
    await join.click();
    await direction.page
      .getByText("Seuls les fichiers PDF, PNG ou JPEG de 10 Mo au plus peuvent être joints.")
      .first()
      .waitFor();
    expect(await fileField.getAttribute("aria-invalid")).toBe("true");
    await fileField.setInputFiles({
      name: "programme.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n%%EOF\n"),
    });
    await join.click();
    await direction.page.getByText("Document « programme.pdf » joint.").waitFor();
    await direction.page.getByRole("link", { name: "programme.pdf" }).waitFor();
    expect(await direction.page.getByLabel(/^Joindre un document\s?PDF/).inputValue()).toBe("");
    const invitation = await waitForMessage<ReceivedMail>(
      "mails",
      (m) => m.to === "claire.dubois@jardins-brie.exemple.invalid" && m.subject.includes(TITLE),
    );
    await waitForMessage<ReceivedMail>(
      "mails",
      (m) => m.to === "m.ouali@envie77.exemple.invalid" && m.subject.includes(TITLE),
    );
    const ics = invitation.attachments.find((a) => a.contentType.startsWith("text/calendar"));
    expect(ics?.content).toContain("METHOD:REQUEST");
    expect(ics?.content).toContain(`SUMMARY:${TITLE}`);

    // Claire answers yes by the link, without an account; a forged link is refused in French.
    const link = invitation.text.match(/(\/invitation\/[A-Za-z0-9_-]{43})\?reponse=oui/)?.[1] ?? "";
    expect(link).not.toBe("");
    const partner = await newPage(browser);
    await partner.page.goto(`${baseUrl()}${link}?reponse=oui`);
    await partner.page.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
    await expectAccessible(partner.page);
    await partner.page.getByRole("button", { name: "Je participe" }).click();
    await partner.page.getByText("Votre réponse : je participe").waitFor();
    // The button clicked is now disabled: the focus is on the answer recorded.
    await expect
      .poll(() => partner.page.evaluate(() => document.activeElement?.textContent ?? ""))
      .toContain("Votre réponse : je participe");
    await expectAccessible(partner.page);
    await partner.page.goto(`${baseUrl()}/invitation/${"x".repeat(43)}`);
    await partner.page.getByRole("heading", { name: "Invitation introuvable" }).waitFor();
    await expectAccessible(partner.page);
    // A link cut short (not a token's shape) reads the same, with the same explanation.
    await partner.page.goto(`${baseUrl()}/invitation/${"x".repeat(12)}`);
    await partner.page.getByRole("heading", { name: "Invitation introuvable" }).waitFor();
    await partner.page.getByText("Ce lien ne correspond à aucune invitation").waitFor();
    expect(partner.problems.filter((p) => !p.includes("404"))).toEqual([]);

    await direction.page.reload();
    await direction.page.getByText(/^Participe \(/).waitFor();

    // Three agents convoke their people: the two CPIP, and the direction acting as CPIP.
    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await cpip.page.getByRole("heading", { name: "Bonjour Camille Martin" }).waitFor();
    await convokeOne(cpip.page, actionUrl);
    await expectAccessible(cpip.page);
    const cpip2 = await newPage(browser);
    await logIn(cpip2.page, "cpip2@demo.passerelle.fr");
    await cpip2.page.getByRole("heading", { name: "Bonjour Nicolas Petit" }).waitFor();
    const nicolasPerson = await convokeOne(cpip2.page, actionUrl);
    await convokeOne(direction.page, actionUrl);
    // Camille sees only her own people among those convoked, not Nicolas's.
    await cpip.page.reload();
    await cpip.page.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
    const seenByCamille = cpip.page.getByRole("table", { name: "Personnes convoquées à l'action" });
    await seenByCamille.locator("tbody tr").first().waitFor();
    expect(await seenByCamille.textContent()).not.toContain(nicolasPerson);
    expect(await seenByCamille.locator("tbody tr").count()).toBeLessThan(3);

    // On the day, the counselor records attendance and the outcomes.
    const [y, m, d] = day.split("-").map(Number) as [number, number, number];
    const during = new Date(Date.UTC(y, m - 1, d, 10, 45));
    await control("clock", { now: during.toISOString() });
    const counselor = await newPage(browser);
    await counselor.page.clock.install({ time: during });
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await counselor.page.getByRole("heading", { name: "Bonjour Inès Moreau" }).waitFor();
    await counselor.page.goto(actionUrl);
    const convoked = counselor.page.getByRole("table", { name: "Personnes convoquées à l'action" });
    await convoked.locator("tbody tr").nth(2).waitFor();
    expect(await convoked.locator("tbody tr").count()).toBe(3);
    const honour = convoked.getByRole("button", { name: "Honorée" });
    for (const left of [2, 1]) {
      await honour.first().click();
      await expect.poll(() => honour.count(), { timeout: 10_000 }).toBe(left);
    }
    await convoked.getByRole("button", { name: "Absence" }).first().click();
    await expect
      .poll(() => convoked.getByRole("button", { name: "Absence" }).count(), { timeout: 10_000 })
      .toBe(0);
    await counselor.page.getByText("Claire Dubois — Les Jardins du Cœur de Brie").click();
    await counselor.page.getByLabel("Entretiens tenus").fill("5");
    await counselor.page.getByLabel("Embauches").fill("2");
    await counselor.page.getByLabel("Orientations vers l'IAE").fill("3");
    await counselor.page.getByRole("button", { name: "Enregistrer le bilan" }).click();
    await counselor.page.getByText("Bilan enregistré.").waitFor();
    await expectAccessible(counselor.page);
    await control("clock", { now: null });

    // The dashboard shows the action's figures (exact for the direction).
    await direction.page.goto(`${baseUrl()}/pilotage`);
    const section = direction.page.locator('[data-section="actions"]');
    await section.getByRole("heading", { name: "Actions collectives" }).waitFor();
    const shown = (key: string) => section.locator(`[data-figure="actions.${key}"]`).textContent();
    await expect.poll(() => shown("interviews")).toBe("5");
    expect(await shown("peoplePresent")).toBe("2");
    expect(await shown("hires")).toBe("2");
    expect(await shown("partnersPresent")).toBe("1");
    await expectAccessible(direction.page);
    expect(direction.problems).toEqual([]);
  }, 120_000);
});

describe("the partner referent's home", () => {
  it("lists the actions their organisation is invited to", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "partenaire@demo.passerelle.fr");
    await page
      .getByRole("heading", { name: "Actions collectives où votre organisation est invitée" })
      .waitFor();
    await page.getByText("Forum emploi IAE de Meaux").waitFor();
    expect(await page.getByText("Claire Dubois").count()).toBe(0);
    // « Pas de réponse » says how the answer is given: through the link of the e-mailed invitation.
    await page
      .getByText(/Chaque invité répond, sans compte, par le lien de l'invitation reçue par courriel/)
      .waitFor();
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });
});

describe("a working group", () => {
  it("gets its members, plans its next meeting with the members invited, and leaves out an archived contact", async () => {
    const group = `Groupe de travail logement ${Date.now().toString(36)}`;
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    await page.goto(`${baseUrl()}/actions/nouvelle`);
    await page.getByRole("heading", { name: "Organiser une action collective" }).waitFor();
    await page.getByLabel("Type d'action").selectOption({ label: "Groupe de travail" });
    await page.getByLabel("Intitulé").fill(group);
    await page
      .getByLabel(/^Date\s?Format attendu : JJ\/MM\/AAAA$/)
      .fill(parisDay(new Date(Date.now() + 5 * 86_400_000)));
    await page.getByLabel("Heure de début").fill("14:00");
    await page.getByLabel("Heure de fin").fill("16:00");
    await page.getByRole("combobox", { name: /^Lieu de la structure/ }).selectOption({ index: 1 });
    await page.getByRole("button", { name: "Créer l'action" }).click();
    await page.getByRole("heading", { name: group, level: 1 }).waitFor();
    await page.getByText("Aucun membre pour l'instant.").waitFor();
    // Only what applies to a working group: no one-off partner invitation, nobody convoked.
    await page.getByRole("heading", { name: "Membres invités à cette réunion" }).waitFor();
    expect(await page.getByRole("heading", { name: "Inviter des partenaires" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Personnes convoquées" }).count()).toBe(0);

    // Members: nothing chosen is a French field error; then a contact of the directory and an agent.
    await page.getByRole("button", { name: "Ajouter au groupe" }).click();
    await page
      .getByText("Choisissez un agent de la structure ou un contact de l'annuaire.")
      .first()
      .waitFor();
    const member = page.getByLabel("Membre à ajouter");
    await member.selectOption({ label: "Sandrine Leroy — GEIQ BTP 77" });
    await page.getByRole("button", { name: "Ajouter au groupe" }).click();
    await page.getByText(/Sandrine Leroy fait partie du groupe/).waitFor();
    await member.selectOption({ label: "Camille Martin" });
    await page.getByRole("button", { name: "Ajouter au groupe" }).click();
    const members = page.getByRole("table", { name: "Agents et partenaires membres du groupe" });
    await members.getByRole("cell", { name: /^Camille Martin/ }).waitFor();
    await expectAccessible(page);

    // With members, the group may no longer become another kind of action: French error under the kind.
    const groupUrl = page.url();
    await page.getByRole("link", { name: "Modifier" }).click();
    await page.getByRole("heading", { name: "Modifier l'action collective" }).waitFor();
    const kind = page.getByLabel("Type d'action");
    await expect.poll(() => kind.inputValue()).toBe("working_group");
    await kind.selectOption({ label: "Forum emploi" });
    await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
    await page
      .locator(".fr-select-group--error", { hasText: "il ne peut plus changer de type" })
      .getByLabel("Type d'action")
      .waitFor();
    await page.getByRole("link", { name: /^Type d'action : Ce groupe de travail a des membres/ }).waitFor();
    expect(await kind.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page);
    await page.goto(groupUrl);
    await page.getByRole("heading", { name: group, level: 1 }).waitFor();

    // The next meeting: before the first one is refused; then both members are invited with the ICS.
    await page.getByLabel("Date de la réunion").fill(parisDay(new Date(Date.now() + 2 * 86_400_000)));
    await page.getByRole("button", { name: "Planifier et inviter les membres" }).click();
    await page
      .getByText(/après la dernière réunion de la série/)
      .first()
      .waitFor();
    await page.getByLabel("Date de la réunion").fill(parisDay(new Date(Date.now() + 40 * 86_400_000)));
    await page.getByRole("button", { name: "Planifier et inviter les membres" }).click();
    await page.getByText("Réunion planifiée : 2 membres invités.").waitFor();
    const mail = await waitForMessage<ReceivedMail>(
      "mails",
      (m) => m.to === "s.leroy@geiq-btp77.exemple.invalid" && m.subject.includes(group),
    );
    expect(mail.attachments.some((a) => a.contentType.startsWith("text/calendar"))).toBe(true);
    await page.getByRole("link", { name: "Ouvrir la réunion" }).click();
    await page.getByText(/\(cette réunion\)/).waitFor();
    const nextMeetingUrl = page.url();
    await page.getByRole("heading", { name: "À venir" }).waitFor();
    expect(await page.getByRole("heading", { name: "À venir" }).count()).toBe(1);
    await members.getByRole("cell", { name: /^Sandrine Leroy/ }).waitFor();
    await expectAccessible(page);

    // A member leaves, after a confirmation that says her two invitations to come will be cancelled;
    // she receives one cancellation per meeting (ICS CANCEL), and is no longer among the invitees.
    const invitees = page.getByRole("table", { name: "Membres invités à cette réunion et leurs réponses" });
    await invitees.getByRole("cell", { name: /^Camille Martin/ }).waitFor();
    await page.getByRole("button", { name: "Retirer Camille Martin" }).click();
    await page.getByRole("heading", { name: "Retirer Camille Martin du groupe ?" }).waitFor();
    await page.getByText("Ses 2 invitations aux réunions à venir seront annulées").waitFor();
    await expectAccessible(page);
    // The question, under the table, takes the focus; Escape leaves it, the focus back on the row's
    // « Retirer » that asked it, which opens it again.
    await page.waitForFunction(() => document.activeElement?.textContent === "Confirmer le retrait");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => document.activeElement?.textContent === "Retirer Camille Martin");
    expect(await page.getByRole("heading", { name: "Retirer Camille Martin du groupe ?" }).count()).toBe(0);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.textContent === "Confirmer le retrait");
    await page.getByRole("button", { name: "Confirmer le retrait" }).click();
    await page.getByText("Camille Martin ne fait plus partie du groupe. 2 invitations annulées.").waitFor();
    await expect.poll(() => members.getByRole("cell", { name: /^Camille Martin/ }).count()).toBe(0);
    await expect.poll(() => invitees.getByRole("cell", { name: /^Camille Martin/ }).count()).toBe(0);
    const cancellation = (m: ReceivedMail) =>
      m.to === "cpip@demo.passerelle.fr" &&
      m.subject.startsWith("Annulation de votre invitation") &&
      m.subject.includes(group);
    const cancelled = await waitForMessage<ReceivedMail>("mails", cancellation);
    expect(cancelled.text).toContain("vous ne faites plus partie des membres invités à cette réunion");
    const cancelIcs = cancelled.attachments.find((a) => a.contentType.startsWith("text/calendar"));
    expect(cancelIcs?.content).toContain("METHOD:CANCEL");
    await expect
      .poll(async () => (await fakes<ReceivedMail>("mails")).filter(cancellation).length, { timeout: 10_000 })
      .toBe(2);

    // The direction archives a contact of the directory: no longer offered to the group.
    await page.goto(`${baseUrl()}/annuaire`);
    await page.getByRole("link", { name: "Envie Seine-et-Marne" }).first().click();
    await page.getByRole("heading", { name: "Envie Seine-et-Marne", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Archiver le contact Mehdi Ouali" }).click();
    await page.getByRole("heading", { name: "Archiver le contact Mehdi Ouali ?" }).waitFor();
    // The button gave way to the question: the focus is on its first answer, not on the page's top.
    await page.waitForFunction(() => document.activeElement?.textContent === "Confirmer l'archivage");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Confirmer l'archivage" }).click();
    await page.getByText("Le contact Mehdi Ouali est archivé.").waitFor();
    await page.getByText(/^Archivé le /).waitFor();
    await page.goto(nextMeetingUrl);
    await page.getByRole("heading", { name: group, level: 1 }).waitFor();
    // The form appears once the choices are loaded: the archived contact is not among them.
    await member.waitFor();
    expect(await member.locator("option", { hasText: "Mehdi Ouali" }).count()).toBe(0);
    // Restored, he comes back (the demo stays as it was for the other journeys).
    await page.goto(`${baseUrl()}/annuaire`);
    await page.getByRole("link", { name: "Envie Seine-et-Marne" }).first().click();
    await page.getByRole("heading", { name: "Envie Seine-et-Marne", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Restaurer le contact Mehdi Ouali" }).click();
    await page.getByText("Le contact Mehdi Ouali est restauré.").waitFor();
    expect(problems).toEqual([]);
  }, 120_000);
});
