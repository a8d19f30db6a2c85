import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, logIn, navigate, newPage } from "./support";

// Issue 12: the association's mediation answers the reorientations of complex files (ADR 0020).
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

describe("the association's mediator", () => {
  it("opens 'Médiation', refuses with a reason, accepts one and reports its outcome", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "mediation@demo.passerelle.fr");
    await navigate(page, "Médiation");
    await page.getByRole("heading", { name: "Médiation", level: 1 }).waitFor();
    const toAnswer = page.getByRole("heading", { name: /^À traiter \(\d+\)$/ });
    await toAnswer.waitFor();
    const before = Number((await toAnswer.textContent())?.match(/\d+/)?.[0]);
    expect(before).toBeGreaterThanOrEqual(3);
    await expectAccessible(page);

    // A refusal needs its reason: said under the field.
    const first = page
      .locator("article")
      .filter({ has: page.getByRole("button", { name: "Refuser" }) })
      .first();
    await first.getByRole("button", { name: "Refuser" }).click();
    await expect.poll(() => first.getByText("Indiquez la raison du refus.").count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await first.getByLabel("Raison d'un refus").fill("Relève du service logement de la mairie");
    await first
      .getByRole("checkbox", { name: "La raison peut être dite à la personne" })
      .check({ force: true });
    await first.getByRole("button", { name: "Refuser" }).click();
    await expect.poll(async () => Number((await toAnswer.textContent())?.match(/\d+/)?.[0])).toBe(before - 1);

    // Accept the next one, then report its outcome.
    const next = page
      .locator("article")
      .filter({ has: page.getByRole("button", { name: "Accepter" }) })
      .first();
    const label = (await next.getAttribute("aria-label")) ?? "";
    await next.getByRole("button", { name: "Accepter" }).click();
    const accepted = page.getByRole("article", { name: label });
    await accepted.getByText("Acceptée").waitFor();
    await accepted.getByLabel("Résultat").fill("Dossier de surendettement déposé à la Banque de France");
    await accepted.getByRole("button", { name: "Indiquer le résultat" }).click();
    await page.getByText("Résultat : Dossier de surendettement déposé à la Banque de France").waitFor();
    await expectAccessible(page);
    expect(problems).toEqual([]);
  }, 180_000);
});
