import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, expectAccessible, launchBrowser, logIn, navigate, newPage } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");
const summary = (page: Page) => page.getByRole("alert").filter({ hasText: /Le formulaire contient/ });

async function openKarim(page: Page): Promise<void> {
  await navigate(page, "Personnes suivies");
  await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
  await page.getByRole("table").getByRole("link", { name: "BENALI Karim" }).click();
  await page.getByRole("heading", { name: "BENALI Karim", level: 1 }).waitFor();
}

/** Whether leaving the page now would ask the browser's confirmation (a `beforeunload` prevented). */
function leaveAsks(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

describe("forms that say what is wrong", () => {
  it("the login form flags a malformed e-mail under the field, in French, without asking the server", async () => {
    const { page, problems } = await newPage(browser);
    const logins: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/auth/login")) logins.push(request.url());
    });
    await page.goto(`${baseUrl()}/connexion`);
    const emailField = page.getByLabel("Adresse électronique professionnelle");
    for (const typed of ["jean@", "abc"]) {
      await emailField.fill(typed);
      await page.getByLabel("Mot de passe", { exact: true }).fill("Passerelle77-demo");
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page
        .getByText("Saisissez une adresse électronique valide, par exemple nom@exemple.fr.")
        .last()
        .waitFor();
      expect(await emailField.getAttribute("aria-invalid")).toBe("true");
      expect(await focusedId(page)).toBe("login-email");
      // The DSFR error state of the field's group, its message tied to the input.
      await page.locator(".fr-input-group--error #login-email").waitFor();
      expect(await emailField.getAttribute("aria-describedby")).toContain("login-email");
    }
    expect(logins).toEqual([]);
    await expectAccessible(page);
    // A well-formed address goes to the server as before.
    await emailField.fill("cpip@demo.passerelle.fr");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("heading", { name: /Bonjour/ }).waitFor();
    expect(logins).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("the new-person form refuses « 12345 !!! » born in 2031 and a bad e-mail field by field, then saves once corrected", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("link", { name: "Personnes suivies" }).first().waitFor();
    await page.goto(page.url().replace(/\/[^/]*$/, "/personnes/nouvelle"));
    const form = page.getByRole("form", { name: "Nouvelle personne" });
    await form.getByLabel("Nom", { exact: true }).fill("12345 !!!");
    await form.getByLabel("Prénom").fill("Sami");
    // Typed, not saved: leaving (a reload, a closed tab) asks first.
    expect(await leaveAsks(page)).toBe(true);
    await form.getByLabel("Date de naissance").fill("2031-01-01");
    await form.getByLabel("Adresse électronique (facultatif)").fill("pas-un-courriel");
    await form.getByLabel("Début de la mesure").fill("2026-05-01");
    await form.getByLabel("Fin de la mesure").fill("2027-05-01");
    await form.getByRole("button", { name: "Enregistrer et convoquer" }).click();

    await summary(page).waitFor();
    expect(await summary(page).getByRole("link").allTextContents()).toEqual([
      "Nom : Lettres seulement, avec espaces, apostrophes ou traits d'union (pas de chiffres ni de symboles).",
      "Date de naissance : La date de naissance est dans le futur : vérifiez l'année.",
      "Adresse électronique : Saisissez une adresse électronique valide, par exemple nom@exemple.fr.",
    ]);
    expect(await focusedId(page)).toBe("new-person-lastName");
    await form
      .getByText("La date de naissance est dans le futur : vérifiez l'année.", { exact: true })
      .waitFor();
    await form
      .getByText("Saisissez une adresse électronique valide, par exemple nom@exemple.fr.", { exact: true })
      .waitFor();
    expect(await form.getByLabel("Nom", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await summary(page)
      .getByRole("link", { name: /^Adresse électronique/ })
      .click();
    expect(await focusedId(page)).toBe("new-person-email");
    await expectAccessible(page);

    // Correct two of three: only the remaining one is listed, and it has the focus.
    await form.getByLabel("Nom", { exact: true }).fill("Nouveau-Formulaire");
    await form.getByLabel("Adresse électronique (facultatif)").fill("sami.nouveau@exemple.fr");
    await form.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await page.getByText("Le formulaire contient une erreur").waitFor();
    expect(await summary(page).getByRole("link").allTextContents()).toEqual([
      "Date de naissance : La date de naissance est dans le futur : vérifiez l'année.",
    ]);
    expect(await focusedId(page)).toBe("new-person-birthDate");
    expect(await form.getByText("Lettres seulement").count()).toBe(0);

    // A day the calendar does not have (the browser gives it as empty): said so, not « Saisissez… ».
    // (The field's order of day and month follows the browser's language: both are tried.)
    const birth = form.getByLabel("Date de naissance");
    for (const typed of ["02311990", "31021990"]) {
      await birth.fill("");
      await birth.focus();
      await page.keyboard.type(typed);
      if (await birth.evaluate((e) => (e as HTMLInputElement).validity.badInput)) break;
    }
    await form.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await summary(page)
      .getByRole("link", { name: /Date invalide : ce jour n'existe pas/ })
      .waitFor();
    expect(await form.getByText("Saisissez la date de naissance.").count()).toBe(0);

    await form.getByLabel("Date de naissance").fill("1991-04-12");
    await form.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await page.waitForURL(/\/personnes\/[0-9a-f-]{36}\/convoquer$/);
    // Saved, and nothing chosen yet on the booking form: leaving asks nothing.
    await page.getByRole("heading", { level: 1, name: /^Convoquer / }).waitFor();
    expect(await leaveAsks(page)).toBe(false);
    expect(problems).toEqual([]);
  });

  it("the consent block says what is missing under its fields, « Dans quel but » full width", async () => {
    const { page } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("link", { name: "Personnes suivies" }).first().waitFor();
    await page.goto(page.url().replace(/\/[^/]*$/, "/personnes/nouvelle"));
    const form = page.getByRole("form", { name: "Nouvelle personne" });
    await form.getByText("La personne accepte que des informations soient partagées").click();
    const purpose = form.getByLabel("Dans quel but");
    const formWidth = (await form.boundingBox())?.width ?? 0;
    expect((await purpose.boundingBox())?.width ?? 0).toBeGreaterThan(formWidth * 0.9);
    await form.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await summary(page).waitFor();
    await form.getByText("Choisissez avec qui les informations sont partagées.", { exact: true }).waitFor();
    await form
      .getByText("Indiquez dans quel but la personne partage ces informations.", { exact: true })
      .waitFor();
    expect(await purpose.getAttribute("aria-invalid")).toBe("true");
  });

  it("at 390 px, the orientation form (a DSFR accordion) lists its problems, fits the screen and resets once sent", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await openKarim(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Orienter la personne ou solliciter un partenaire" }).click();
    const form = page.getByRole("form", { name: "Nouvelle orientation" });
    // Karim has recorded no consent (said above the form): from the start, nothing can be sent now.
    const sendNow = form.getByRole("checkbox", { name: /Envoyer maintenant/ });
    await expect.poll(() => sendNow.isDisabled()).toBe(true);
    expect(await sendNow.isChecked()).toBe(false);
    await form.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await summary(page).waitFor();
    expect(await summary(page).getByRole("link").allTextContents()).toEqual([
      "Organisation destinataire : Choisissez l'organisation destinataire.",
      "Ce qui est demandé : Expliquez en une phrase ce qui est demandé (10 caractères au moins).",
    ]);
    expect(await focusedId(page)).toBe("orientation-partnerId");
    // At 390 px the file's in-page navigation (three lines of tags) does not follow the scroll: it
    // takes no room over the form and its errors.
    const navBottom = await page
      .getByRole("navigation", { name: "Rubriques du dossier" })
      .evaluate((nav) => nav.getBoundingClientRect().bottom);
    expect(navBottom).toBeLessThanOrEqual(0);
    for (const select of await form.locator("select").all()) {
      const box = await select.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: "/tmp/forms-e2e-orientation-390.png", fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
    // Read from the top: scrolled to wherever the resize left it, the file's sticky in-page navigation
    // may sit over the next section's first field, which axe then reads as obscured (target-size).
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectAccessible(page);

    // An IAE orientation is addressed to an IAE employer of the catalogue only, and an IAE employer
    // receives nothing else (ADR 0030, addendum).
    const recipients = form.getByLabel("Organisation destinataire");
    const options = () => recipients.locator("option").allTextContents();
    expect(await options()).not.toContain("Les Jardins de la Brie (ACI)");
    // Karim has recorded no consent: said once above the list, with the way to the consent panel, and
    // no option carries it.
    await form
      .getByText(/La personne n'a encore donné aucun consentement au partage d'informations/)
      .waitFor();
    expect((await options()).join()).not.toContain("consentement");
    await form.getByRole("button", { name: "Aller au consentement de la personne" }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe("Enregistrer son consentement");
    await recipients.selectOption({ index: 1 });
    await form.getByLabel("Vers").selectOption("iae_employer");
    expect(await options()).toEqual(["Choisir", "Les Jardins de la Brie (ACI)"]);
    expect(await recipients.inputValue()).toBe("");
    await form.getByLabel("Vers").selectOption("partner_back_office");
    await recipients.selectOption({ label: "CPAM (Assurance maladie)" });
    // A pasted text longer than the field takes is cut there, and the field says so.
    await form.getByLabel("Ce qui est demandé").fill("Droits. ".repeat(150));
    expect((await form.getByLabel("Ce qui est demandé").inputValue()).length).toBe(1000);
    await form.getByText("Limite de 1000 caractères atteinte : un texte plus long est coupé.").waitFor();
    await form.getByLabel("Ce qui est demandé").fill("Ouvrir les droits au RSA après la sortie.");
    expect(await form.getByText(/Limite de 1000 caractères/).count()).toBe(0);
    // Karim has not agreed to share with the CPAM: said before sending, under the organisation, and
    // only a draft is offered.
    await form.getByText(/La personne n'a pas consenti au partage d'informations avec CPAM/).waitFor();
    await form.getByRole("button", { name: "Enregistrer le brouillon" }).waitFor();
    // The mediation may be sent without it, but could only refuse: a draft is proposed first.
    await form.getByLabel("Vers").selectOption("mediation");
    await form.getByRole("button", { name: "Enregistrer le brouillon" }).waitFor();
    await form.locator("label", { hasText: "Envoyer maintenant" }).click();
    await form.getByRole("button", { name: "Orienter la personne" }).click();
    await form.getByText("Orientation envoyée.").waitFor();
    expect(await form.getByLabel("Vers").inputValue()).toBe("partner_back_office");
    expect(await form.getByLabel("Ce qui est demandé").inputValue()).toBe("");
    expect(await form.getByLabel("Organisation destinataire").inputValue()).toBe("");
    expect(await summary(page).count()).toBe(0);
    // Cancelled once confirmed: its button is gone, a notice in the row says so and takes the focus.
    await page.getByRole("button", { name: /^Annuler l'orientation vers Service de médiation/ }).click();
    const cancelDialog = page.getByRole("dialog", { name: "Annuler l'orientation ?" });
    await cancelDialog.getByRole("button", { name: "Annuler l'orientation" }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe("Orientation annulée.");
    expect(problems).toEqual([]);
  });

  it("at 390 px, the start-a-démarche form is stacked, says what to choose, and the update form sits above the table", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "conseiller@demo.passerelle.fr");
    await openKarim(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Commencer une démarche" }).click();
    const form = page.getByRole("form", { name: "Commencer une démarche" });
    await form.getByRole("button", { name: "Enregistrer la démarche" }).click();
    await summary(page).waitFor();
    expect(await focusedId(page)).toBe("start-demarche-demarcheTypeId");
    await form.getByText("Choisissez la démarche.", { exact: true }).waitFor();
    const boxes = await Promise.all(
      ["Démarche", "Niveau d'aide", "Statut"].map((label) =>
        form.getByLabel(label, { exact: true }).boundingBox(),
      ),
    );
    for (const box of boxes) expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    // Stacked: each select below the previous one.
    expect(boxes[1]?.y ?? 0).toBeGreaterThan((boxes[0]?.y ?? 0) + (boxes[0]?.height ?? 0));
    expect(boxes[2]?.y ?? 0).toBeGreaterThan((boxes[1]?.y ?? 0) + (boxes[1]?.height ?? 0));
    await page.screenshot({ path: "/tmp/forms-e2e-demarche-390.png", fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
    // As above: from 48 em the in-page navigation is sticky again and may sit, wherever the resize
    // left the scroll, over a row of the démarches (a document's link once documents.spec ran).
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });
});
