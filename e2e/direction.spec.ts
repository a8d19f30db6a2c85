import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, logIn, newPage } from "./support";

// Issue 11, "direction and partners". The direction's own journeys (temporary password, rule change,
// journal by person) need its second factor, enrolled by whichever spec signs in first: they are
// covered by the HTTP tests until the journeys share an enrolment helper (ADR 0011).
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

describe("partner referent's inbox", () => {
  it("is headed with the partner's own name and files closed or withdrawn items under 'Clôturées'", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "partenaire@demo.passerelle.fr");
    await page.getByRole("heading", { name: "Bonjour Sophie Garnier" }).waitFor();
    await page.getByText("CAF (Caisse d'allocations familiales)").first().waitFor();
    expect(
      await page.getByText("France services SPIP 77 – PIMM'S Médiation 77", { exact: true }).count(),
    ).toBe(0);
    await page.getByRole("heading", { name: /^En cours/ }).waitFor();
    await page.getByRole("heading", { name: /^Clôturées/ }).waitFor();
    expect(await page.getByText("Consentement retiré", { exact: true }).count()).toBe(0);
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });
});
