import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, logIn, navigate, newPage, openMyPerson } from "./support";

// Issue 12: the association's mediation answers the reorientations of complex files (ADR 0020).
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/**
 * The first orientation offering `button` whose card name ("Orientation : NAME") is the only one of
 * its kind: the demo data may hold two orientations of one person, which a name would not tell apart.
 */
async function uniqueArticleWith(page: Page, button: string): Promise<Locator> {
  const names = await page
    .locator("article")
    .evaluateAll((all) => all.map((a) => a.getAttribute("aria-label") ?? ""));
  const offering = await page
    .locator("article")
    .filter({ has: page.getByRole("button", { name: button }) })
    .evaluateAll((all) => all.map((a) => a.getAttribute("aria-label") ?? ""));
  const name = offering.find((n) => names.filter((other) => other === n).length === 1);
  if (!name) throw new Error(`no orientation with a name of its own offers "${button}"`);
  return page.getByRole("article", { name, exact: true });
}

/**
 * As the CPIP, on `page`: GIRARD Laurent, whom they refer, oriented to the mediation with this
 * request, sent although his consent does not name the association (the form warns first).
 */
async function orientGirardToMediation(page: Page, request: string): Promise<void> {
  await logIn(page, "cpip@demo.passerelle.fr");
  await openMyPerson(page, "GIRARD Laurent");
  await page.getByRole("heading", { name: "GIRARD Laurent", level: 1 }).waitFor();
  await page.getByRole("button", { name: "Orienter la personne ou solliciter un partenaire" }).click();
  const form = page.getByRole("form", { name: "Nouvelle orientation" });
  await form.getByLabel("Vers").selectOption("mediation");
  // GIRARD's consent does not name the association: the form says so and proposes a draft
  // (« Envoyer maintenant » unticked); sent anyway, the mediation can only refuse it.
  await form.getByText(/la médiation ne\s+verra pas son identité/).waitFor();
  const sendNow = form.getByRole("checkbox", { name: /Envoyer maintenant/ });
  expect(await sendNow.isChecked()).toBe(false);
  await form.locator("label", { hasText: "Envoyer maintenant" }).click();
  await expect.poll(() => sendNow.isChecked()).toBe(true);
  await form.getByLabel("Ce qui est demandé").fill(request);
  await form.getByRole("button", { name: "Orienter la personne" }).click();
  await form.getByText("Orientation envoyée.").waitFor();
}

describe("the association's mediator", () => {
  it("opens 'Médiation', refuses with a reason, accepts one and reports its outcome", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "mediation@demo.passerelle.fr");
    // The home says what waits: reorientations to answer, accepted ones whose outcome is due.
    await page.getByRole("heading", { name: "Réorientations vers la médiation" }).waitFor();
    await page.getByText(/^\d+ réorientations? attendent? votre réponse, (la première )?avant le /).waitFor();
    await navigate(page, "Médiation");
    await page.getByRole("heading", { name: "Médiation", level: 1 }).waitFor();
    const toAnswer = page.getByRole("heading", { name: /^À traiter \(\d+\)$/ });
    await toAnswer.waitFor();
    const before = Number((await toAnswer.textContent())?.match(/\d+/)?.[0]);
    expect(before).toBeGreaterThanOrEqual(3);
    await expectAccessible(page);

    // A refusal needs its reason, of a few words: said under the field, with the real minimum.
    const refusing = await uniqueArticleWith(page, "Refuser");
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await refusing.getByRole("button", { name: "Refuser" }).click();
    // Each step replaces the buttons just used: the focus goes to the next step's first control.
    await page.waitForFunction(() => document.activeElement?.id.endsWith("-reason"));
    // Échap closes the step as a dialog: back to the choice, the focus on the button that opened it.
    await page.keyboard.press("Escape");
    await expect.poll(focused).toBe("Refuser");
    expect(await refusing.getByRole("form", { name: "Refuser l'orientation" }).count()).toBe(0);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id.endsWith("-reason"));
    await refusing.getByRole("button", { name: "Confirmer le refus" }).click();
    await expect.poll(() => refusing.getByText("Indiquez la raison du refus.").count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await refusing.getByLabel("Motif du refus").fill("non");
    // Once the reason is typed, its old message goes from under the field (the summary keeps its
    // line until the next check) and the typed text stays.
    await expect.poll(() => refusing.getByText("Indiquez la raison du refus.").count()).toBe(1);
    expect(await refusing.getByLabel("Motif du refus").inputValue()).toBe("non");
    await refusing.getByRole("button", { name: "Confirmer le refus" }).click();
    await expect
      .poll(() => refusing.getByText("La raison du refus doit compter 5 caractères au moins.").count())
      .toBeGreaterThan(0);
    await refusing.getByLabel("Motif du refus").fill("Relève du service logement de la mairie");
    await refusing
      .getByRole("checkbox", { name: "La raison peut être dite à la personne" })
      .check({ force: true });
    await refusing.getByRole("button", { name: "Confirmer le refus" }).click();
    await expect.poll(async () => Number((await toAnswer.textContent())?.match(/\d+/)?.[0])).toBe(before - 1);
    await page.waitForFunction(() => document.activeElement?.tagName === "ARTICLE");
    // The card, in its new place, says the answer was recorded (announced, the focus left on the card).
    await refusing.getByRole("status").filter({ hasText: "Réorientation refusée." }).waitFor();

    // Accept the next one, then report its outcome.
    const accepted = await uniqueArticleWith(page, "Accepter");
    await accepted.getByRole("button", { name: "Accepter" }).click();
    // Accepting is confirmed in place; going back leaves the orientation unanswered.
    await page.waitForFunction(() => document.activeElement?.textContent === "Confirmer l'acceptation");
    await accepted.getByRole("button", { name: "Revenir au choix" }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === "Accepter");
    await accepted.getByRole("button", { name: "Accepter" }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === "Confirmer l'acceptation");
    await page.keyboard.press("Escape");
    await expect.poll(focused).toBe("Accepter");
    await accepted.getByRole("button", { name: "Accepter" }).click();
    await expectAccessible(page);
    // Clicked twice before the page is drawn again: one answer is sent (a second one was refused,
    // the orientation being answered, and read as a late answer).
    const answers: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/answer")) answers.push(request.url());
    });
    await accepted
      .getByRole("button", { name: "Confirmer l'acceptation" })
      .evaluate((button: HTMLElement) => {
        button.click();
        button.click();
      });
    await accepted.getByText("Acceptée", { exact: true }).waitFor();
    expect(answers).toHaveLength(1);
    await page.waitForFunction(() => document.activeElement?.tagName === "TEXTAREA");
    await accepted.getByRole("status").filter({ hasText: "Réorientation acceptée." }).waitFor();
    expect(await page.getByText("Réorientation refusée.").count()).toBe(0);
    await accepted.getByLabel("Résultat").fill("Dossier de surendettement déposé à la Banque de France");
    await accepted.getByRole("button", { name: "Clôturer avec ce résultat" }).click();
    // The outcome closes it for good: said, and confirmed (Échap goes back to the outcome, kept).
    await page.waitForFunction(() => document.activeElement?.textContent === "Confirmer la clôture");
    await page.keyboard.press("Escape");
    await expect
      .poll(() => accepted.getByLabel("Résultat").inputValue())
      .toBe("Dossier de surendettement déposé à la Banque de France");
    await accepted.getByRole("button", { name: "Clôturer avec ce résultat" }).click();
    await accepted.getByRole("button", { name: "Confirmer la clôture" }).click();
    await page.getByText("Résultat : Dossier de surendettement déposé à la Banque de France").waitFor();
    // Said in the card, now under "Traitées" (the card left the list being worked on).
    await page.getByText("Résultat enregistré : l'orientation est clôturée.").waitFor();
    await expect.poll(() => page.getByText("Réorientation acceptée.").count()).toBe(0);
    // Closed, the card is drawn again under "Traitées": it takes the focus there, not the page's body.
    await page.waitForFunction(() =>
      document.activeElement?.textContent?.includes("Résultat : Dossier de surendettement déposé"),
    );
    await expectAccessible(page);
    expect(problems).toEqual([]);
  }, 180_000);

  it("without the person's consent: the sender is warned, the mediation refuses anonymously (no dead end)", async () => {
    const { page, problems } = await newPage(browser);
    await orientGirardToMediation(page, "Litige avec le fournisseur d'énergie, à reprendre");

    const mediator = await newPage(browser);
    await logIn(mediator.page, "mediation@demo.passerelle.fr");
    await navigate(mediator.page, "Médiation");
    const toAnswer = mediator.page.getByRole("heading", { name: /^À traiter \(\d+\)$/ });
    await toAnswer.waitFor();
    const before = Number((await toAnswer.textContent())?.match(/\d+/)?.[0]);
    const anonymous = mediator.page
      .getByRole("article", { name: "Orientation : Personne non communiquée" })
      .filter({ hasText: "Litige avec le fournisseur d'énergie" })
      .first();
    await anonymous.getByRole("button", { name: "Refuser" }).waitFor();
    expect(await anonymous.getByRole("button", { name: "Accepter" }).count()).toBe(0);
    await expectAccessible(mediator.page);
    await anonymous.getByRole("button", { name: "Refuser" }).click();
    await anonymous
      .getByLabel("Motif du refus")
      .fill("Consentement au partage avec l'association nécessaire");
    await anonymous.getByRole("button", { name: "Confirmer le refus" }).click();
    await expect.poll(async () => Number((await toAnswer.textContent())?.match(/\d+/)?.[0])).toBe(before - 1);
    expect([...problems, ...mediator.problems]).toEqual([]);
  }, 180_000);

  it("an answer given too late (answered meanwhile in another tab) shows the card as it is now, said in it", async () => {
    const { page, problems } = await newPage(browser);
    await orientGirardToMediation(page, "Dossier de retraite à reconstituer, réponse tardive");

    // The same mediator in two tabs: the first refuses, the second still shows it to answer.
    const tabs = [await newPage(browser), await newPage(browser)];
    const cards = [];
    for (const tab of tabs) {
      await logIn(tab.page, "mediation@demo.passerelle.fr");
      await navigate(tab.page, "Médiation");
      const card = tab.page
        .getByRole("article", { name: "Orientation : Personne non communiquée" })
        .filter({ hasText: "Dossier de retraite à reconstituer, réponse tardive" });
      await card.getByRole("button", { name: "Refuser" }).click();
      await card.getByLabel("Motif du refus").fill("Consentement au partage nécessaire");
      cards.push(card);
    }
    const [first, late] = cards as [Locator, Locator];
    const latePage = (tabs[1] as { page: Page }).page;
    await first.getByRole("button", { name: "Confirmer le refus" }).click();
    await first.getByText("Refusée", { exact: true }).waitFor();
    await late.getByRole("button", { name: "Confirmer le refus" }).click();
    // Not an error beside buttons that no longer apply: the card as it is now, with why, focused.
    await late
      .getByText(/^Votre réponse n'a pas été enregistrée : cette orientation a changé entre-temps/)
      .waitFor();
    await late.getByText("Refusée", { exact: true }).waitFor();
    expect(await late.getByRole("button", { name: "Confirmer le refus" }).count()).toBe(0);
    await latePage.waitForFunction(() =>
      document.activeElement?.textContent?.includes("Dossier de retraite à reconstituer, réponse tardive"),
    );
    await expectAccessible(latePage);
    expect([...problems, ...tabs.flatMap((tab) => tab.problems)]).toEqual([]);
  }, 180_000);
});
