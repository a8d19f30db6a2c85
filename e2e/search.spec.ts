import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, expectAccessible, launchBrowser, logIn, navigate, newPage } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

const searchBox = (page: Page) => page.getByRole("searchbox", { name: "Rechercher une personne" });
const results = (page: Page) => page.getByRole("table", { name: "Personnes suivies" });
const count = (page: Page) => page.getByRole("status").filter({ hasText: /personne/ });

/** Types as an agent does, key by key, without Entrée: the list must follow. */
async function typeSearch(page: Page, text: string): Promise<void> {
  await searchBox(page).fill("");
  await searchBox(page).pressSequentially(text, { delay: 40 });
}

describe("finding people", () => {
  it("finds people as the agent types: accents, name order, a phone in any format; filters stay in the address", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "conseiller@demo.passerelle.fr");
    await navigate(page, "Personnes suivies");
    await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
    await count(page).waitFor();

    await typeSearch(page, "regine");
    await results(page).getByRole("link", { name: "CHÉRIF Régine" }).waitFor();
    await page.waitForURL(/search=regine/);
    // Still typing in the box: results came without leaving it.
    expect(await searchBox(page).evaluate((input) => input === document.activeElement)).toBe(true);
    await expectAccessible(page);

    await typeSearch(page, "karim benali");
    await page.waitForURL(/search=karim\+benali/);
    await count(page)
      .filter({ hasText: /(^|\D)1 personne\b/ })
      .waitFor();
    expect(await results(page).getByRole("link").allTextContents()).toEqual(["BENALI Karim"]);

    await typeSearch(page, "06 12 34 56 78");
    await page.waitForURL(/search=06\+12\+34\+56\+78/);
    await count(page)
      .filter({ hasText: /(^|\D)1 personne\b/ })
      .waitFor();
    expect(await results(page).getByRole("link").allTextContents()).toEqual(["BENALI Karim"]);

    // A filter, then a sort: both in the address, both kept after a reload.
    await searchBox(page).fill("");
    await page.waitForURL((url) => !url.search.includes("search="));
    await page.getByLabel("Situation").selectOption({ label: "Probation" });
    await page.waitForURL(/status=probation/);
    await results(page).getByRole("button", { name: "Date de naissance" }).click();
    await page.waitForURL(/sort=birthDate/);
    await page.reload();
    await count(page)
      .filter({ hasText: /personne/ })
      .waitFor();
    await expect.poll(() => page.getByLabel("Situation").inputValue()).toBe("probation");
    const header = page.getByRole("columnheader", { name: /Date de naissance/ });
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    const situations = await results(page).locator("tbody tr td:nth-child(3)").allTextContents();
    expect(situations.length).toBeGreaterThan(0);
    expect(new Set(situations)).toEqual(new Set(["Probation"]));
    await expectAccessible(page);

    // Back leaves the sort, then the filter; Réinitialiser clears everything.
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes("sort="));
    await page.getByRole("button", { name: "Réinitialiser", exact: true }).click();
    await page.waitForURL((url) => url.search === "");
    await expect.poll(() => page.getByLabel("Situation").inputValue()).toBe("");

    // Pages of 50: the DSFR pagination moves through the address too.
    await count(page).filter({ hasText: "page 1 sur" }).waitFor();
    await page
      .getByRole("navigation", { name: "Pagination" })
      .getByRole("link", { name: "2", exact: true })
      .click();
    await page.waitForURL(/page=2/);
    await count(page).filter({ hasText: "page 2 sur" }).waitFor();

    // At 390 px the table scrolls inside a region the keyboard reaches.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl()}/personnes?search=benali`);
    const region = page.getByRole("region", { name: /Personnes suivies \(tableau défilant\)/ });
    await region.waitFor();
    expect(await region.getAttribute("tabindex")).toBe("0");
    // The rows stack there, the header row hidden: the sort is a select above them.
    await page.getByLabel("Trier par").selectOption({ label: "Date de naissance (décroissant)" });
    await page.waitForURL(/sort=birthDate/);
    await page.waitForURL(/order=desc/);
    // The router commits the new address in a transition: the page may render it a moment later.
    await expect
      .poll(() => page.getByRole("columnheader", { name: /Date de naissance/ }).getAttribute("aria-sort"))
      .toBe("descending");
    await expect.poll(() => page.getByLabel("Trier par").inputValue()).toBe("birthDate:desc");
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  it("a counselor finds only the people convoked in the structure; the CPIP finds the others too", async () => {
    // Océane Perrin was never convoked (demoNamedVisits): her CPIP finds her, the counselor does not.
    const counselor = await newPage(browser);
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await counselor.page.getByRole("heading", { name: "Bonjour Inès Moreau" }).waitFor();
    await counselor.page.goto(`${baseUrl()}/personnes?search=perrin`);
    await count(counselor.page).filter({ hasText: "Aucune personne" }).waitFor();
    await counselor.page
      .getByText("Aucune personne ne correspond à cette recherche ou à ces filtres.")
      .waitFor();
    // A name misspelt finds nobody but offers the close names (those the counselor sees), said
    // with the count.
    await counselor.page.goto(`${baseUrl()}/personnes?search=benalli`);
    const close = counselor.page.getByRole("region", { name: "Noms proches de votre recherche" });
    await close.getByRole("link", { name: "BENALI Karim" }).waitFor();
    await count(counselor.page)
      .filter({ hasText: /^Aucune personne · \d+ noms? proches?$/ })
      .waitFor();
    await expectAccessible(counselor.page);
    // Nor on any page of the list (the list page's own request), where Karim, convoked, is.
    const listed: string[] = [];
    for (let pageNo = 1; ; pageNo += 1) {
      const response = await counselor.page.request.get(`${baseUrl()}/api/people?page=${pageNo}`);
      expect(response.status()).toBe(200);
      const body = (await response.json()) as {
        people: { firstName: string; lastName: string }[];
        total: number;
        pageSize: number;
      };
      listed.push(...body.people.map((p) => `${p.lastName.toUpperCase()} ${p.firstName}`));
      if (pageNo * body.pageSize >= body.total) break;
    }
    expect(listed).toContain("BENALI Karim");
    expect(listed).not.toContain("PERRIN Océane");
    expect(counselor.problems).toEqual([]);

    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await cpip.page.getByRole("heading", { name: /^Bonjour/ }).waitFor();
    await navigate(cpip.page, "Personnes suivies");
    await typeSearch(cpip.page, "perrin");
    await count(cpip.page)
      .filter({ hasText: /(^|\D)1 personne\b/ })
      .waitFor();
    expect(await results(cpip.page).getByRole("link").allTextContents()).toEqual(["PERRIN Océane"]);
    expect(cpip.problems).toEqual([]);
  });
});

describe("finding partners in the directory", () => {
  it("keeps the search in the address: back from an organisation finds the list as it was", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "conseiller@demo.passerelle.fr");
    // Signed in (the home page shown) before leaving: a page opened sooner would cut the login short.
    await page.getByRole("heading", { name: /^Bonjour/ }).waitFor();
    await page.goto(`${baseUrl()}/annuaire`);
    await page.getByRole("heading", { name: "Annuaire des partenaires", level: 1 }).waitFor();
    const type = page.getByLabel("Type d'organisation");
    await type.selectOption({ label: "Employeur IAE" });
    await page.waitForURL(/type=iae_employer/);
    await page.getByLabel("Territoire (commune, département)").fill("lagny");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.waitForURL(/territoire=lagny/);
    const envie = page.getByRole("link", { name: "Envie Seine-et-Marne" });
    await envie.waitFor();
    await expect.poll(() => page.getByRole("link", { name: "GEIQ BTP 77" }).count()).toBe(0);
    await envie.click();
    await page.getByRole("heading", { name: "Envie Seine-et-Marne", level: 1 }).waitFor();
    await page.goBack();
    await envie.waitFor();
    expect(await page.getByLabel("Territoire (commune, département)").inputValue()).toBe("lagny");
    expect(await type.inputValue()).toBe("iae_employer");
    expect(await page.getByRole("link", { name: "GEIQ BTP 77" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
