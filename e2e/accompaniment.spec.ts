import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAccessible,
  launchBrowser,
  logIn,
  loseAnswers,
  navigate,
  newPage,
  UNAVAILABLE,
} from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

async function openKarim(page: Page): Promise<void> {
  await navigate(page, "Personnes suivies");
  // The list itself, not the home the click leaves (its alerts may name Karim too).
  await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
  await page.getByRole("table").getByRole("link", { name: "BENALI Karim" }).click();
  await page.getByRole("heading", { name: "BENALI Karim", level: 1 }).waitFor();
}

const notes = (page: Page) => page.getByRole("list", { name: "Notes de la personne" });

async function writeNote(
  page: Page,
  text: string,
  visibility: "Mon service seulement" | "Partagée si la personne y consent",
) {
  const form = page.getByRole("form", { name: "Nouvelle note" });
  await form.getByLabel("Nouvelle note").fill(text);
  await form.getByText(visibility).click();
  await form.getByRole("button", { name: "Enregistrer la note" }).click();
  await notes(page).getByText(text, { exact: true }).waitFor();
}

describe("secret partagé", () => {
  it("the CPIP records the person's consent; the counselor reads only shared notes, until the consent is withdrawn", async () => {
    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await openKarim(cpip.page);
    await cpip.page.getByText("La personne n'a pas donné son accord au partage").waitFor();
    const focused = () => cpip.page.evaluate(() => document.activeElement?.textContent?.trim());
    // From the keyboard: the form takes the focus, Escape gives it back to its button, kept.
    await cpip.page.getByRole("button", { name: "Enregistrer son consentement" }).focus();
    await cpip.page.keyboard.press("Enter");
    const form = cpip.page.getByRole("form", { name: "Consentement au partage d'informations" });
    await expect
      .poll(() => form.evaluate((f) => f.contains(document.activeElement) && document.activeElement?.tagName))
      .toBe("INPUT");
    await cpip.page.keyboard.press("Escape");
    await expect.poll(focused).toBe("Enregistrer son consentement");
    await cpip.page.keyboard.press("Enter");
    await form.getByText("Les notes marquées « partagées »").click();
    await form.getByText("l'association (conseillers France services)").click();
    await form.getByLabel("Dans quel but").fill("Coordonner l'accès aux droits");
    await expectAccessible(cpip.page);
    await form.getByRole("button", { name: "Enregistrer le consentement" }).click();
    await cpip.page
      .getByText(/La personne accepte de partager les notes partagées avec l'association/)
      .waitFor();
    // Said, and the focus on it (the form that had it is gone).
    await cpip.page.getByRole("status").filter({ hasText: "Consentement enregistré." }).waitFor();
    expect(await cpip.page.evaluate(() => document.activeElement?.textContent)).toBe(
      "Consentement enregistré.",
    );
    await writeNote(cpip.page, "Préfère être appelé le matin.", "Partagée si la personne y consent");
    await writeNote(cpip.page, "Point interne au SPIP.", "Mon service seulement");
    await expectAccessible(cpip.page);

    const counselor = await newPage(browser);
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await openKarim(counselor.page);
    await notes(counselor.page).getByText("Préfère être appelé le matin.").waitFor();
    expect(await notes(counselor.page).getByText("Point interne au SPIP.").count()).toBe(0);
    await writeNote(counselor.page, "Point interne à l'association.", "Mon service seulement");
    await expectAccessible(counselor.page);

    await cpip.page.reload();
    await notes(cpip.page).getByText("Préfère être appelé le matin.").waitFor();
    expect(await notes(cpip.page).getByText("Point interne à l'association.").count()).toBe(0);
    // Withdrawing asks first; the question can be left ("Ne pas retirer", Escape), the focus kept.
    await cpip.page.getByRole("button", { name: "Retirer le consentement" }).focus();
    await cpip.page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Confirmer le retrait : plus rien ne sera partagé");
    await cpip.page.keyboard.press("Escape");
    await expect.poll(focused).toBe("Retirer le consentement");
    await cpip.page.keyboard.press("Enter");
    await cpip.page.getByRole("button", { name: "Ne pas retirer" }).click();
    await expect.poll(focused).toBe("Retirer le consentement");
    await cpip.page.getByRole("button", { name: "Retirer le consentement" }).click();
    await cpip.page.getByRole("button", { name: /Confirmer le retrait/ }).click();
    // Said withdrawn, with its day, not as if none had ever been given; so does the orientation form.
    await cpip.page.getByText(/Le consentement de la personne a été retiré le \d\d\/\d\d\/\d{4} :/).waitFor();
    await cpip.page.getByRole("button", { name: "Orienter la personne ou solliciter un partenaire" }).click();
    await cpip.page
      .getByRole("form", { name: "Nouvelle orientation" })
      .getByText(
        /Le consentement de la personne au partage d'informations a été retiré le \d\d\/\d\d\/\d{4} : /,
      )
      .waitFor();

    await counselor.page.reload();
    await notes(counselor.page).getByText("Point interne à l'association.").waitFor();
    expect(await notes(counselor.page).getByText("Préfère être appelé le matin.").count()).toBe(0);
    expect([...cpip.problems, ...counselor.problems]).toEqual([]);
  });

  it("the counselor escalates a file to the CAF with the person's consent; the CAF referent accepts it; the CPIP sees the answer", async () => {
    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await openKarim(cpip.page);
    await cpip.page.getByRole("button", { name: "Enregistrer son consentement" }).click();
    const consent = cpip.page.getByRole("form", { name: "Consentement au partage d'informations" });
    await consent.getByText("Le détail des démarches (au-delà de leur statut)").click();
    await consent.getByText("Accès aux droits, papiers d'identité").click();
    await consent.getByText("l'association (conseillers France services)").click();
    await consent.getByText("CAF (Caisse d'allocations familiales)").click();
    await consent.getByLabel("Dans quel but").fill("Débloquer le dossier RSA");
    await consent.getByRole("button", { name: "Enregistrer le consentement" }).click();
    await cpip.page.getByText(/avec l'association \(conseillers France services\) et CAF/).waitFor();

    const counselor = await newPage(browser);
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await openKarim(counselor.page);
    await counselor.page.getByText("Orienter la personne ou solliciter un partenaire").click();
    const form = counselor.page.getByRole("form", { name: "Nouvelle orientation" });
    // The organisations the consent names come first; the others are grouped once as drafts only,
    // never suffixed one by one.
    const recipients = form.getByLabel("Organisation destinataire");
    await recipients.locator("optgroup").first().waitFor({ state: "attached" });
    expect(
      await recipients
        .locator("optgroup")
        .evaluateAll((groups) => groups.map((g) => g.getAttribute("label"))),
    ).toEqual(["Nommées dans son consentement", "Sans son consentement : brouillon seulement"]);
    expect(await recipients.locator("optgroup").first().locator("option").allTextContents()).toEqual([
      "CAF (Caisse d'allocations familiales)",
    ]);
    expect((await recipients.locator("option").allTextContents()).join()).not.toContain("sans consentement");
    // A partner the consent does not name: said before sending, and only a draft is possible.
    await recipients.selectOption({ label: "CPAM (Assurance maladie)" });
    await form.getByText(/La personne n'a pas consenti au partage d'informations avec CPAM/).waitFor();
    expect(await form.getByRole("checkbox", { name: /Envoyer maintenant/ }).isDisabled()).toBe(true);
    await form
      .getByLabel("Organisation destinataire")
      .selectOption({ label: "CAF (Caisse d'allocations familiales)" });
    expect(await form.getByRole("checkbox", { name: /Envoyer maintenant/ }).isDisabled()).toBe(false);
    await form
      .getByLabel("Ce qui est demandé")
      .fill("Dossier RSA bloqué depuis trois mois, merci de le débloquer.");
    await expectAccessible(counselor.page);
    // The answer is lost (ADR 0036): the server records the orientation, the counselor reads a 503
    // and, as told, sends again; one orientation reaches the CAF (its inbox below holds one).
    const lost = await loseAnswers(counselor.page, "**/api/people/*/orientations");
    await form.getByRole("button", { name: "Orienter la personne" }).click();
    await form.getByText(UNAVAILABLE).first().waitFor();
    await lost.stop();
    expect(lost.reached).toEqual([200]);
    await form.getByRole("button", { name: "Orienter la personne" }).click();
    const table = counselor.page.getByRole("table", { name: "Orientations de la personne" });
    await table.locator(".fr-badge", { hasText: "Envoyée, sans réponse" }).waitFor();
    // Said in the form, which keeps the focus on it (the button, disabled while sending, lost it).
    await form.getByRole("status").filter({ hasText: "Orientation envoyée." }).waitFor();
    expect(await counselor.page.evaluate(() => document.activeElement?.textContent)).toBe(
      "Orientation envoyée.",
    );

    const caf = await newPage(browser);
    await logIn(caf.page, "partenaire@demo.passerelle.fr");
    // One article: a second one (the retried orientation recorded twice) would fail this locator.
    const item = caf.page.getByRole("article", { name: "Orientation : BENALI Karim" });
    await item.getByText("Dossier RSA bloqué depuis trois mois, merci de le débloquer.").waitFor();
    await item.getByText("Besoins partagés : Accès aux droits, papiers d'identité").waitFor();
    await expectAccessible(caf.page);
    await item.getByRole("button", { name: "Accepter" }).click();
    await item.getByRole("button", { name: "Confirmer l'acceptation" }).click();
    await item.locator(".fr-badge", { hasText: "Acceptée" }).waitFor();

    await cpip.page.reload();
    await cpip.page
      .getByRole("table", { name: "Orientations de la personne" })
      .locator(".fr-badge", { hasText: "Acceptée" })
      .waitFor();
    expect([...cpip.problems, ...counselor.problems, ...caf.problems]).toEqual([]);
  }, 120_000);
});
