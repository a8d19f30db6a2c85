import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baseUrl,
  expectAccessible,
  launchBrowser,
  logIn,
  logInWithSecondFactor,
  navigate,
  newPage,
} from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/** Budgets of the first visit to the login page (empty cache) and of a later visit (same browser). */
const FIRST_VISIT_BYTES = 450_000;
const REPEAT_VISIT_BYTES = 30_000;
/** DESIGN §6: the JavaScript the first page needs, gzipped. */
const INITIAL_JS_GZIP_BYTES = 250_000;

describe("network budget of the login page", () => {
  it("stays under 450 kB on a first visit and 30 kB on a repeat visit", async () => {
    const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris" });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    let transferred = 0;
    const scripts = new Set<string>();
    cdp.on("Network.loadingFinished", (event) => {
      transferred += event.encodedDataLength;
    });
    cdp.on("Network.responseReceived", (event) => {
      if (event.type === "Script") scripts.add(event.response.url);
    });
    const visit = async () => {
      transferred = 0;
      await page.goto(`${baseUrl()}/connexion`, { waitUntil: "networkidle" });
      await page.getByRole("heading", { name: "Connexion à Passerelle" }).waitFor();
      await page.evaluate(() => document.fonts.ready);
      return transferred;
    };
    const first = await visit();
    const initialScripts = [...scripts];
    const repeat = await visit();
    let initialJsGzip = 0;
    for (const url of initialScripts) {
      const response = await fetch(url, { headers: { "accept-encoding": "gzip" } });
      initialJsGzip += Number(
        response.headers.get("content-length") ?? (await response.arrayBuffer()).byteLength,
      );
    }
    console.log(
      `login page: first visit ${(first / 1000).toFixed(1)} kB, repeat visit ${(repeat / 1000).toFixed(1)} kB, ` +
        `initial JS ${(initialJsGzip / 1000).toFixed(1)} kB gzipped in ${initialScripts.length} files`,
    );
    expect(first).toBeLessThan(FIRST_VISIT_BYTES);
    expect(repeat).toBeLessThan(REPEAT_VISIT_BYTES);
    expect(initialJsGzip).toBeLessThan(INITIAL_JS_GZIP_BYTES);
    await context.close();
  });
});

describe("page titles and focus", () => {
  it("names each page, moves the focus to its heading after a navigation, and announces it", async () => {
    const { page, problems } = await newPage(browser);
    await page.goto(`${baseUrl()}/connexion`);
    await expect.poll(() => page.title()).toBe("Connexion — Passerelle");
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("heading", { name: "Bonjour Camille Martin" }).waitFor();
    await expect.poll(() => page.title()).toBe("Accueil — Passerelle");

    await navigate(page, "Personnes suivies");
    await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
    await expect.poll(() => page.title()).toBe("Personnes suivies — Passerelle");
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Personnes suivies — Passerelle" }).count())
      .toBe(1);

    await page.getByRole("link", { name: "BENALI Karim" }).first().click();
    await page.getByRole("heading", { name: "BENALI Karim", level: 1 }).waitFor();
    await expect.poll(() => page.title()).toBe("Dossier de BENALI Karim — Passerelle");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe("BENALI Karim");
    expect(problems).toEqual([]);
  });

  it("leaves the focus alone on the first load of a page", async () => {
    const { page } = await newPage(browser);
    await page.goto(`${baseUrl()}/mentions-legales`);
    await page.getByRole("heading", { name: "Mentions légales", level: 1 }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("BODY");
  });
});

describe("403 page", () => {
  it("tells an agent whose role does not open a page what to do, distinct from the 404", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("heading", { name: "Bonjour Camille Martin" }).waitFor();
    await page.goto(`${baseUrl()}/journal`);
    await page.getByRole("heading", { name: "Accès refusé", level: 1 }).waitFor();
    await expect.poll(() => page.title()).toBe("Accès refusé — Passerelle");
    await page.getByText("Erreur 403").waitFor();
    // Who may open it: the role to ask for.
    await page.getByText("Cette page est réservée au rôle « Direction de service ».").waitFor();
    await page.getByText("demandez à la direction de votre structure").waitFor();
    await expectAccessible(page);

    await page.goto(`${baseUrl()}/page-qui-n-existe-pas`);
    await page.getByRole("heading", { name: "Page non trouvée", level: 1 }).waitFor();
    await expect.poll(() => page.title()).toBe("Page non trouvée — Passerelle");
    await expectAccessible(page);
    // A malformed id in a file's address is a page that does not exist, not "invalid data".
    await page.goto(`${baseUrl()}/personnes/abc`);
    await page.getByRole("heading", { name: "Page non trouvée", level: 1 }).waitFor();
    expect(await page.getByText("Identifiant invalide").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

describe("footer pages", () => {
  it("are reachable without signing in, from the footer of the login page", async () => {
    const { page, problems } = await newPage(browser);
    await page.goto(`${baseUrl()}/connexion`);
    const pages = [
      { link: "Mentions légales", heading: "Mentions légales", text: "Hébergement" },
      { link: "Données personnelles", heading: "Données personnelles", text: "Durées de conservation" },
      { link: "Accessibilité : non conforme", heading: "Déclaration d'accessibilité", text: "non conforme" },
    ];
    for (const { link, heading, text } of pages) {
      await page.getByRole("contentinfo").getByRole("link", { name: link }).click();
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await expect.poll(() => page.title()).toBe(`${heading} — Passerelle`);
      await page.getByText(text).first().waitFor();
      await expectAccessible(page);
    }
    expect(problems).toEqual([]);
  });
});

describe("main navigation", () => {
  it("groups the direction's entries on one line, opens a group with the keyboard and marks the current one", async () => {
    const { page, problems } = await newPage(browser);
    await page.setViewportSize({ width: 1366, height: 900 });
    await logInWithSecondFactor(page, "direction@demo.passerelle.fr", "Hélène Bernard");
    const menu = page.getByRole("navigation", { name: "Menu principal" });
    const headings = menu.locator(".fr-nav__list > .fr-nav__item");
    expect(await headings.allInnerTexts()).toEqual([
      "Accueil",
      "Personnes suivies",
      "Convocations",
      "Permanences",
      "Milieu fermé",
      "Partenariat",
      "Pilotage",
      "Administration",
    ]);
    // One line at 1366 px and at the DSFR's desktop breakpoint, and the page never scrolls sideways.
    for (const width of [1366, 992]) {
      await page.setViewportSize({ width, height: 900 });
      const tops = await headings.evaluateAll((items) => items.map((i) => i.getBoundingClientRect().top));
      expect(new Set(tops).size).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    }
    await page.setViewportSize({ width: 1366, height: 900 });

    // The keyboard: Enter opens a group, Escape closes it, Tab reaches its entries.
    const partners = menu.getByRole("button", { name: "Partenariat", exact: true });
    const pressOn = async (key: string, expanded: "true" | "false") => {
      await partners.focus();
      // The sub-menu opens and closes through a transition: a key goes to the settled menu.
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
      await page.keyboard.press(key);
      await expect.poll(() => partners.getAttribute("aria-expanded")).toBe(expanded);
      await menu
        .getByRole("link", { name: "Annuaire", exact: true })
        .waitFor({ state: expanded === "true" ? "visible" : "hidden" });
    };
    await pressOn("Enter", "true");
    await pressOn("Escape", "false");
    await pressOn("Enter", "true");
    // The open sub-menu, checked at 1366 px (the phone's menu is closed by the resize).
    await expectAccessible(page);
    await pressOn("Enter", "false");
    await pressOn("Enter", "true");
    // The DSFR handles a Tab in its next animation frame, and throws if the menu closed before it (a
    // link chosen in the same frame, which only a script types that fast): each key waits for the
    // frame after the previous one.
    const nextFrame = () =>
      page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.keyboard.press("Tab");
    await nextFrame();
    await page.keyboard.press("Tab");
    await nextFrame();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Conventions");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Conventions", level: 1 }).waitFor();
    // The group of the current page is marked, and the page within it; the sub-menu closed.
    await expect.poll(() => partners.getAttribute("aria-current")).toBe("true");
    await expect.poll(() => partners.getAttribute("aria-expanded")).toBe("false");
    expect(
      await menu.getByRole("link", { name: "Conventions", includeHidden: true }).getAttribute("aria-current"),
    ).toBe("page");
    expect(await menu.locator("[aria-current]").count()).toBe(2);
    expect(problems).toEqual([]);
  });

  it("opens a group of the burger menu on a phone and closes the menu on the chosen page", async () => {
    const { page, problems } = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("heading", { name: "Bonjour Camille Martin" }).waitFor();
    await page.getByRole("button", { name: "Menu" }).click();
    const menu = page.getByRole("navigation", { name: "Menu principal" });
    await menu.getByRole("button", { name: "Partenariat", exact: true }).click();
    await menu.getByRole("link", { name: "Lettres d'information", exact: true }).waitFor();
    await menu.getByRole("link", { name: "Annuaire", exact: true }).click();
    await page.getByRole("heading", { name: "Annuaire des partenaires", level: 1 }).waitFor();
    await expect.poll(() => menu.isVisible()).toBe(false);
    // The helper used by the journeys takes the same way.
    await navigate(page, "Milieu fermé", "Dossiers transmis");
    await page.getByRole("heading", { name: "Dossiers transmis", level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });
});

describe("lists on a phone", () => {
  it("stack the directory's rows under 768 px, each cell led by its column's name, and stay a table", async () => {
    const { page, problems } = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("heading", { name: "Bonjour Camille Martin" }).waitFor();
    await navigate(page, "Partenariat", "Annuaire");
    const table = page.getByRole("table", { name: /^\d+ organisations$/ });
    await table.waitFor();
    // Still a table for assistive technologies: its headers, and the row's five cells.
    expect(await table.getByRole("columnheader").allInnerTexts()).toHaveLength(5);
    const caf = table.getByRole("row", { name: /CAF de Seine-et-Marne/ });
    expect(await caf.getByRole("cell").count()).toBe(5);
    // The column's name is shown, not read: the cell is named by its value alone.
    const area = caf.getByRole("cell", { name: "Seine-et-Marne (77)", exact: true });
    const shownName = () => area.evaluate((cell) => getComputedStyle(cell, "::before").content);
    expect(await shownName()).toContain("Territoire");
    const name = caf.getByRole("cell").first();
    const [nameBox, areaBox] = [await name.boundingBox(), await area.boundingBox()];
    expect(areaBox?.y ?? 0).toBeGreaterThanOrEqual((nameBox?.y ?? 0) + (nameBox?.height ?? 0));
    expect((areaBox?.x ?? 0) + (areaBox?.width ?? 0)).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // No blank band over the first card: the DSFR table's top margin (not collapsed inside the scroll
    // region) is gone, and the first row starts under the table's top line, which the hidden header
    // row used to draw.
    const top = await table.evaluate((element) => {
      const wrapper = element.closest(".fr-table");
      const body = element.querySelector("tbody");
      const firstRow = element.querySelector("tbody tr");
      return {
        margin: wrapper ? getComputedStyle(wrapper).marginTop : "",
        firstRow: (firstRow?.getBoundingClientRect().top ?? 0) - (body?.getBoundingClientRect().top ?? 0),
        line: body ? getComputedStyle(body).borderTopWidth : "",
      };
    });
    expect(top).toEqual({ margin: "0px", firstRow: 1, line: "1px" });
    await page.screenshot({ path: "/tmp/polish-e2e-directory-390.png", fullPage: true });
    await expectAccessible(page);

    // On a desktop, the same row on one line and no column name in the cells.
    await page.setViewportSize({ width: 1366, height: 900 });
    await expect.poll(async () => (await area.boundingBox())?.y).toBe((await name.boundingBox())?.y);
    expect(await shownName()).toBe("none");
    expect(problems).toEqual([]);
  });
});
