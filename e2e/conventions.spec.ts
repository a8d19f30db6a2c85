import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAccessible,
  launchBrowser,
  logIn,
  logInWithSecondFactor,
  navigate,
  newPage,
  verticalGaps,
  waitForMessage,
} from "./support";

// Issue 15, directory and conventions: the direction adds an organisation with a contact, records a
// convention ending in 60 days with its signed PDF, sees the renewal alert on its home and in its
// mailbox, renews it; a CPIP addresses an orientation to the new contact.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

const ENTRY = "France Travail – agence de Coulommiers";
const TITLE = `Convention France Travail Coulommiers ${Date.now().toString(36)}`;
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
);

function inDays(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe("partners' directory and conventions", () => {
  it("the direction records a convention with its PDF, sees its renewal alert and renews it; a CPIP picks the contact", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, "direction@demo.passerelle.fr", "Hélène Bernard");

    // The directory: a new organisation and its contact.
    await navigate(page, "Partenariat", "Annuaire");
    await page.getByRole("heading", { name: "Annuaire des partenaires", level: 1 }).waitFor();
    await page.getByRole("table").getByRole("link", { name: "CAF de Seine-et-Marne" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("link", { name: "Ajouter une organisation" }).click();
    const entry = page.getByRole("form", { name: "Nouvelle organisation" });
    await entry.getByLabel("Nom de l'organisation").fill(ENTRY);
    await entry.getByLabel("Type", { exact: true }).selectOption({ label: "Correspondant local" });
    await entry.getByLabel("Opérateur du catalogue").selectOption({ label: "France Travail" });
    await entry.getByLabel("Territoire couvert").fill("Coulommiers, pays de Coulommiers");
    await entry.getByLabel("Téléphone").fill("12");
    await entry.getByRole("button", { name: "Ajouter l'organisation" }).click();
    await entry
      .getByText(/Saisissez un numéro de téléphone valide/)
      .first()
      .waitFor();
    await expectAccessible(page);
    await entry.getByLabel("Téléphone").fill("01 64 00 00 77");
    await entry.getByText("Emploi", { exact: true }).click();
    await entry.getByRole("button", { name: "Ajouter l'organisation" }).click();
    await page.getByRole("heading", { name: ENTRY, level: 1 }).waitFor();
    await page.getByRole("button", { name: "Ajouter un contact" }).click();
    const contact = page.getByRole("form", { name: "Nouveau contact" });
    await contact.getByLabel("Prénom et nom").fill("Camille Roussel");
    await contact.getByLabel("Fonction").fill("Conseillère référente justice");
    await contact.getByLabel("Adresse électronique professionnelle").fill("camille.roussel@exemple.invalid");
    await contact.getByLabel("Téléphone professionnel").fill("06 11 22 33 44");
    await contact.getByRole("button", { name: "Ajouter le contact" }).click();
    await page
      .getByRole("table", { name: `Contacts de ${ENTRY}` })
      .getByText("Camille Roussel", { exact: true })
      .waitFor();
    await expectAccessible(page);
    // On a phone, each contact is a card: the e-mail and telephone are read without scrolling sideways.
    await page.setViewportSize({ width: 390, height: 900 });
    const contactsRegion = page.getByRole("region", { name: `Contacts de ${ENTRY}` });
    expect(await contactsRegion.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 720 });

    // The register: a convention ending in 60 days; an end before the start is refused first.
    await navigate(page, "Partenariat", "Conventions");
    await page.getByRole("heading", { name: "Conventions", level: 1 }).waitFor();
    await expectAccessible(page);
    // The filters are in the address: back from a convention finds the list as it was.
    const status = page.getByLabel("Statut", { exact: true });
    await status.selectOption({ label: "Brouillon" });
    await page.waitForURL(/statut=draft/);
    const register = page.getByRole("table", { name: /^\d+ conventions?$/ });
    const draft = register.getByRole("link").first();
    const draftTitle = (await draft.textContent()) ?? "";
    await draft.click();
    await page.getByRole("heading", { name: draftTitle, level: 1 }).waitFor();
    await page.goBack();
    await register.getByRole("link", { name: draftTitle }).waitFor();
    expect(await status.inputValue()).toBe("draft");
    // The list's count stands apart from the filters above it (it was pressed against them).
    const theme = page.getByLabel("Thématique", { exact: true });
    const listCaption = register.locator("caption");
    for (const gap of await verticalGaps(page, theme, listCaption)) expect(gap).toBeGreaterThanOrEqual(24);
    await page.getByRole("link", { name: "Enregistrer une convention" }).click();
    const form = page.getByRole("form", { name: "Nouvelle convention" });
    await form.getByLabel("Intitulé").fill(TITLE);
    await form.getByLabel("Niveau").selectOption({ label: "Locale" });
    await form.getByLabel("Champ").selectOption({ label: "Milieu ouvert" });
    await form.getByLabel("Statut").selectOption({ label: "Signée" });
    await form.locator("#convention-signedOn").fill(inDays(-300));
    await form.locator("#convention-startsOn").fill(inDays(-300));
    await form.locator("#convention-endsOn").fill(inDays(-301));
    await form.getByLabel("Partie 1 : organisation de l'annuaire").selectOption({ label: ENTRY });
    await form.getByRole("button", { name: "Ajouter une partie" }).click();
    // A party's name too short is said under that party's own field, named in the summary.
    await form.getByLabel("Partie 2 : nom").fill("S");
    await form.getByText("Emploi", { exact: true }).click();
    await form.getByRole("button", { name: "Enregistrer la convention" }).click();
    await form
      .getByText("La date de fin doit être postérieure ou égale à la date de début.")
      .first()
      .waitFor();
    await form
      .getByRole("link", {
        name: "Partie 2 : nom : Saisissez le nom de la partie ou choisissez-la dans l'annuaire.",
      })
      .waitFor();
    expect(await form.getByLabel("Partie 2 : nom").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page);
    await form.getByLabel("Partie 2 : nom").fill("SPIP de Seine-et-Marne");
    await form.locator("#convention-endsOn").fill(inDays(60));
    await form.getByRole("button", { name: "Enregistrer la convention" }).click();
    await page.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
    await page.locator(".fr-badge", { hasText: "À renouveler" }).waitFor();
    await page.locator("#convention-file-file").setInputFiles({
      name: "convention-signée.pdf",
      mimeType: "application/pdf",
      buffer: PDF,
    });
    await page.getByRole("button", { name: "Envoyer le PDF" }).click();
    await page.getByText("Convention signée jointe.").waitFor();
    await page.getByRole("link", { name: /Télécharger convention-signee\.pdf/ }).waitFor();
    await expectAccessible(page);

    // The alert: on the direction's home, and by e-mail through the outbox.
    await navigate(page, "Accueil");
    const alert = page.locator(".fr-alert", { hasText: "à renouveler" });
    await alert.getByRole("link", { name: TITLE }).waitFor();
    expect(await alert.innerText()).toMatch(/dans \d+ jours/);
    await expectAccessible(page);
    const mail = await waitForMessage<{ to: string; subject: string; text: string }>(
      "mails",
      (m) => m.to === "direction@demo.passerelle.fr" && m.subject.includes(TITLE),
    );
    expect(mail.subject).toBe(`Passerelle : convention à renouveler — ${TITLE}`);

    // The renewal.
    await alert.getByRole("link", { name: TITLE }).click();
    await page.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
    await page.getByLabel("Nouvelle date de fin").fill(inDays(60 + 3 * 365));
    // A renewal dated the day after tomorrow has not happened: refused under its field, nothing renewed.
    const renewedOn = page.getByLabel("Date du renouvellement");
    const today = await renewedOn.inputValue();
    await renewedOn.fill(inDays(2));
    await page.getByRole("button", { name: "Renouveler la convention" }).click();
    await page
      .getByText("Date du renouvellement dans le futur : saisissez une date jusqu'à aujourd'hui.")
      .first()
      .waitFor();
    await page.locator(".fr-badge", { hasText: "À renouveler" }).waitFor();
    await renewedOn.fill(today);
    await page.getByRole("button", { name: "Renouveler la convention" }).click();
    await page.getByText("Convention renouvelée.").waitFor();
    await page.locator(".fr-badge", { hasText: "Signée" }).waitFor();
    // The form that had the focus is gone: the notice takes it, and is read out.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ""))
      .toContain("Convention renouvelée.");
    await expectAccessible(page);
    // Editing can be left without saving; the focus goes into the form, then back to its button.
    await page.getByRole("button", { name: "Modifier la convention" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("convention-title");
    await page.getByLabel("Intitulé").fill("Un intitulé abandonné");
    await page.getByRole("button", { name: "Annuler les modifications" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("convention-edit");
    await page.getByRole("heading", { name: TITLE, level: 1 }).waitFor();

    // A CPIP addresses an orientation to the new contact.
    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await navigate(cpip.page, "Personnes suivies");
    await cpip.page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
    await cpip.page.getByRole("table").getByRole("link", { name: "FONTAINE Aurélie" }).click();
    await cpip.page.getByRole("heading", { name: "FONTAINE Aurélie", level: 1 }).waitFor();
    await cpip.page.getByRole("button", { name: "Orienter la personne ou solliciter un partenaire" }).click();
    const orientation = cpip.page.getByRole("form", { name: "Nouvelle orientation" });
    // Her consent does not name France Travail yet: the list says so, and only a draft is possible.
    await orientation.getByLabel("Organisation destinataire").selectOption({ label: "France Travail" });
    const contactChoice = orientation.getByLabel("Contact chez le partenaire (facultatif)");
    await contactChoice.selectOption({ label: `Camille Roussel, Conseillère référente justice — ${ENTRY}` });
    await orientation
      .getByLabel("Ce qui est demandé")
      .fill("Inscription et accompagnement vers l'emploi à Coulommiers.");
    expect(await orientation.getByRole("checkbox", { name: /Envoyer maintenant/ }).isChecked()).toBe(false);
    await expectAccessible(cpip.page);
    await orientation.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await cpip.page
      .getByRole("table", { name: "Orientations de la personne" })
      .getByText("À l'attention de Camille Roussel, Conseillère référente justice")
      .waitFor();
    expect([...problems, ...cpip.problems]).toEqual([]);
  });

  it("the direction sees the fundings received per year (the préfecture's 40 000 €), records the mairie's, then removes it", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, "direction@demo.passerelle.fr", "Hélène Bernard");
    await navigate(page, "Partenariat", "Conventions");
    const section = page.getByRole("region", { name: "Financements reçus", exact: true });
    const year = String(new Date().getFullYear());
    const perYear = section.getByRole("table", { name: "Financements reçus par année" });
    await perYear.getByRole("row", { name: new RegExp(`^${year}`) }).waitFor();
    const ofYear = section.getByRole("table", { name: `Financements de ${year}` });
    const mediator = ofYear.getByRole("row", { name: /Recrutement d'un médiateur France services/ });
    expect((await mediator.innerText()).replace(/\s/g, " ")).toContain("40 000 €");
    expect(await mediator.innerText()).toContain("Préfecture / services de l'État");
    // The year's table stands apart from the year's select above it (its caption touched the select).
    const yearShown = section.getByLabel("Année affichée");
    for (const gap of await verticalGaps(page, yearShown, ofYear.locator("caption")))
      expect(gap).toBeGreaterThanOrEqual(24);
    await expectAccessible(page);

    // A new funding: an amount with cents is refused under its field, then recorded.
    const purpose = `Stage de sécurité routière ${Date.now().toString(36)}`;
    await section.getByRole("button", { name: "Enregistrer un financement" }).click();
    const form = page.getByRole("form", { name: "Nouveau financement" });
    await form
      .getByLabel("Financeur")
      .selectOption({ label: "Mairie de Meaux (Collectivité territoriale (mairie, département))" });
    await form.getByLabel("Montant (euros)").fill("1 200,50");
    await form.getByLabel("Objet").fill(purpose);
    await form.getByRole("button", { name: "Enregistrer le financement" }).click();
    await form.getByText("Saisissez un montant en euros entiers, sans centimes.").first().waitFor();
    await expectAccessible(page);
    await form.getByLabel("Montant (euros)").fill("1 200");
    await form.getByRole("button", { name: "Enregistrer le financement" }).click();
    await page.getByText("Financement enregistré.").waitFor();
    const added = ofYear.getByRole("row", { name: new RegExp(purpose) });
    expect((await added.innerText()).replace(/\s/g, " ")).toContain("1 200 €");

    // Removed as recorded by mistake: the question says which funding and what it changes; Escape
    // keeps it, the focus back on « Supprimer ».
    await added.getByRole("button", { name: `Supprimer le financement « ${purpose} »` }).click();
    const question = added.getByText(`Supprimer le financement « ${purpose} » ?`);
    expect((await question.innerText()).replace(/\s/g, " ")).toContain(
      `Ses 1 200 € ne compteront plus dans les financements reçus en ${year}.`,
    );
    await page.keyboard.press("Escape");
    await page.waitForFunction(() =>
      document.activeElement?.textContent?.startsWith("Supprimer le financement"),
    );
    await added.getByRole("button", { name: `Supprimer le financement « ${purpose} »` }).click();
    await added.getByRole("button", { name: "Confirmer la suppression" }).click();
    await page.getByText("Financement supprimé.").waitFor();
    await expect.poll(() => added.count()).toBe(0);

    // The convention's page lists what it brings.
    await page
      .getByRole("link", { name: "Convention attributive de subvention – médiateur France services" })
      .first()
      .click();
    await page
      .getByRole("heading", {
        name: "Convention attributive de subvention – médiateur France services",
        level: 1,
      })
      .waitFor();
    const brought = page.getByRole("region", { name: "Financements", exact: true });
    await brought
      .getByText(/Préfecture de Seine-et-Marne : 40\s000\s€ \(Recrutement d'un médiateur/)
      .waitFor();
    await page.getByText("Préfecture de Seine-et-Marne — Préfecture / services de l'État").waitFor();
    expect(problems).toEqual([]);
  });
});
