import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, expectAccessible, launchBrowser, logIn, navigate, newPage, verticalGaps } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

describe("convocation", () => {
  it("a CPIP convokes a person they refer; the counselor finds it in the agenda", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("link", { name: "GIRARD Laurent" }).first().click();
    await page.getByRole("link", { name: "Convoquer à une permanence" }).click();
    await page
      .getByRole("heading", { name: "Convoquer GIRARD Laurent à une permanence France services" })
      .waitFor();
    await page.getByLabel("Lieu").selectOption({ label: "Meaux" });
    const firstSlot = page.getByRole("button", { name: /· Meaux/ }).first();
    await firstSlot.click();
    await page.getByText("Créneau choisi").waitFor();
    await expectAccessible(page);
    await page.getByText("Accès aux droits, papiers d'identité").click();
    await page.getByRole("button", { name: "Convoquer" }).click();
    // Without an explicit choice about SMS and email, nothing is booked.
    await page.getByText("Choisissez d'envoyer ou non un SMS.", { exact: true }).waitFor();
    // The number the SMS would go to, as people read it (stored +336…).
    await page.getByText(/^Au 06(\s\d\d){4}$/).waitFor();
    await page
      .getByRole("group", { name: "Envoyer la convocation par SMS ?" })
      .getByText("Non", { exact: true })
      .click();
    await page
      .getByRole("group", { name: "Envoyer la convocation par courriel ?" })
      .getByText("Non", { exact: true })
      .click();
    await page.getByRole("button", { name: "Convoquer" }).click();
    await page.getByRole("heading", { name: "Convocation enregistrée" }).waitFor();
    await expectAccessible(page);
    const letterHref = await page
      .getByRole("link", { name: "Imprimer la lettre de convocation" })
      .getAttribute("href");
    const letter = await page.request.get(`${baseUrl()}${letterHref}`);
    expect(letter.headers()["content-type"]).toBe("application/pdf");
    expect((await letter.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await page.getByRole("link", { name: "Retour au dossier" }).click();
    await page.getByRole("table", { name: "Convocations de la personne" }).getByText("Meaux").waitFor();
    // Reschedule it to another slot: the old one is cancelled, the new one planned.
    await page.getByRole("link", { name: "Reporter" }).click();
    await page.getByRole("heading", { name: "Reporter une convocation" }).waitFor();
    await page.getByLabel("Lieu").selectOption({ label: "Meaux" });
    await page
      .getByRole("button", { name: /· Meaux/ })
      .nth(1)
      .click();
    await page
      .getByRole("group", { name: "Envoyer la convocation par SMS ?" })
      .getByText("Non", { exact: true })
      .click();
    await page
      .getByRole("group", { name: "Envoyer la convocation par courriel ?" })
      .getByText("Non", { exact: true })
      .click();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Reporter" }).click();
    await page.getByRole("heading", { name: "Convocation reportée" }).waitFor();
    await page.getByRole("link", { name: "Retour au dossier" }).click();
    const table = page.getByRole("table", { name: "Convocations de la personne" });
    await table.locator(".fr-badge", { hasText: "Annulée par le service" }).waitFor();
    await table.locator(".fr-badge", { hasText: "Prévue" }).waitFor();
    expect(problems).toEqual([]);

    const counselor = await newPage(browser);
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await navigate(counselor.page, "Convocations");
    // One list by day: each convocation once.
    await counselor.page.getByRole("row").filter({ hasText: "GIRARD Laurent" }).first().waitFor();
    await expectAccessible(counselor.page);
    // Only the past convocations to fill in: none (as on the home page below); the empty state
    // stands apart from the checkbox.
    const onlyToFillIn = counselor.page.getByText(/^Seulement les convocations passées à renseigner/);
    await onlyToFillIn.click();
    const nothingToFillIn = counselor.page.getByText(
      "Rien à renseigner : toutes les convocations passées ont un statut.",
    );
    await nothingToFillIn.waitFor();
    for (const gap of await verticalGaps(counselor.page, onlyToFillIn, nothingToFillIn))
      expect(gap).toBeGreaterThanOrEqual(16);
    await onlyToFillIn.click();
    await counselor.page.getByRole("row").filter({ hasText: "GIRARD Laurent" }).first().waitFor();
    // The week calendar (loaded on demand): no second list view (the page's list is the list).
    await counselor.page.getByText("Calendrier de la semaine").click();
    await counselor.page.getByRole("button", { name: "Aujourd'hui" }).waitFor();
    await expectAccessible(counselor.page);
    expect(await counselor.page.locator(".rbc-toolbar").getByRole("button", { name: "Liste" }).count()).toBe(
      0,
    );
    // The week's appointments are drawn as events, each with its person and place on their own lines.
    await counselor.page.waitForLoadState("networkidle");
    for (const event of await counselor.page.locator(".rbc-event").all())
      expect((await event.innerText()).split("\n").length).toBeGreaterThanOrEqual(2);
    await expectAccessible(counselor.page);
    await counselor.page.goto(`${baseUrl()}/`);
    await counselor.page.getByText("Aucune convocation passée à renseigner.").waitFor();
    expect(counselor.problems).toEqual([]);
  });

  it("a CPIP adds a new person, is warned about a duplicate, then books them", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await navigate(page, "Personnes suivies");
    await page.getByRole("link", { name: "Ajouter une personne" }).click();
    await page.getByRole("heading", { name: "Ajouter une personne suivie" }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("Nom", { exact: true }).fill("Benali");
    await page.getByLabel("Prénom", { exact: true }).fill("Karim");
    await page.getByLabel("Date de naissance").fill("1988-03-14");
    await page.getByLabel("Début de la mesure").fill("2026-01-01");
    await page.getByLabel("Fin de la mesure").fill("2027-12-31");
    await page.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await page.getByText("Cette personne existe peut-être déjà").waitFor();
    await page.getByRole("link", { name: "BENALI Karim" }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("Prénom", { exact: true }).fill("Awa");
    await page.getByLabel("Nom", { exact: true }).fill("Diallo");
    await page.getByLabel("Date de naissance").fill("1999-09-09");
    await page.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await page
      .getByRole("heading", { name: "Convoquer DIALLO Awa à une permanence France services" })
      .waitFor();
    expect(problems).toEqual([]);
  });
});
