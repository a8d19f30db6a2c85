import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chooseMonth,
  expectAccessible,
  launchBrowser,
  logInWithSecondFactor,
  navigate,
  newPage,
  verticalGaps,
} from "./support";

// Issue 13, retention: the direction sees what the next purge archives and erases in the aged demo
// files, simulates it, runs it, and the dashboard's past months read the same figures afterwards.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/** "YYYY-MM" of the month `back` months before this one. */
function monthsAgo(back: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 15)).toISOString().slice(0, 7);
}

/** The direction's exact figures and month-by-month table for the aged files' months. */
async function pastFigures(page: Page): Promise<string[]> {
  await navigate(page, "Pilotage");
  await chooseMonth(page, "Du mois", monthsAgo(36));
  await chooseMonth(page, "Au mois", monthsAgo(13));
  await page.getByRole("button", { name: "Afficher" }).click();
  const trend = page.getByRole("table", { name: "Évolution mois par mois (données du graphique)" });
  await expect.poll(() => trend.getByRole("row").count()).toBeGreaterThan(20);
  // The sections beside the dashboard (milieu fermé, transfers, collective actions) load on their own.
  const sections = page.locator("[data-section]");
  await expect.poll(() => sections.count()).toBeGreaterThan(0);
  await expect.poll(() => sections.filter({ hasText: "Chargement…" }).count()).toBe(0);
  return [...(await page.locator("[data-figure]").allTextContents()), await trend.innerText()];
}

/** The number in the heading matching `pattern` (waits for it). */
async function countOf(page: Page, pattern: RegExp): Promise<number> {
  const heading = page.getByRole("heading", { name: pattern });
  await heading.waitFor();
  return Number(pattern.exec((await heading.innerText()).trim())?.[1]);
}

describe("retention and purge (direction)", () => {
  it("previews, simulates and runs the purge; the past dashboard figures are unchanged", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, "direction@demo.passerelle.fr", "Hélène Bernard");
    const before = await pastFigures(page);
    expect(before.some((text) => /[1-9]/.test(text))).toBe(true);

    await navigate(page, "Administration", "Conservation");
    await page.getByRole("heading", { name: "Conservation des données", level: 1 }).waitFor();
    // The aged demo files (5 to archive, 3 archived long enough to erase), plus any file another
    // journey left aged (the journeys share one database): the counts are read, then checked.
    const toArchive = await countOf(page, /^Dossiers à archiver \((\d+)\)$/);
    const archived = await countOf(page, /^Dossiers archivés \((\d+)\)$/);
    expect(toArchive).toBeGreaterThanOrEqual(5);
    expect(archived).toBeGreaterThanOrEqual(3);
    // The save button of the durations stands apart from the last field above it.
    const lastDuration = page.getByLabel(/^Conserver le contenu des SMS et courriels/);
    const saveDurations = page.getByRole("button", { name: "Enregistrer les durées" });
    for (const gap of await verticalGaps(page, lastDuration, saveDurations))
      expect(gap).toBeGreaterThanOrEqual(16);
    const outcome = new RegExp(`${toArchive} dossiers archivés · ${archived} dossiers effacés`);
    await expectAccessible(page);

    await page.getByRole("button", { name: "Simulation" }).click();
    const simulated = page.getByText("Simulation : rien n'a été modifié");
    await simulated.waitFor();
    await page.getByText(outcome).waitFor();
    // The button, disabled while it ran, dropped the focus: the result has it.
    await page.waitForFunction(() =>
      document.activeElement?.textContent?.startsWith("Simulation : rien n'a été modifié"),
    );
    await page.getByRole("heading", { name: `Dossiers archivés (${archived})` }).waitFor();

    // Asked, then not wanted: the focus comes back to the button that asked, not to the page's top.
    await page.getByRole("button", { name: "Lancer maintenant" }).click();
    const dialog = page.getByRole("dialog", { name: "Lancer la purge maintenant ?" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Annuler" }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === "Lancer maintenant");
    await page.getByRole("button", { name: "Lancer maintenant" }).click();
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Lancer la purge" }).click();
    await page.getByText("Purge effectuée").waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent?.startsWith("Purge effectuée"));
    await page.getByText(outcome).waitFor();
    await page.getByRole("heading", { name: "Dossiers à archiver (0)" }).waitFor();
    await page.getByRole("heading", { name: `Dossiers archivés (${toArchive})` }).waitFor();
    await expectAccessible(page);

    // A shorter duration is confirmed first (it erases sooner, for good); a longer one is saved at once,
    // and the form says so.
    const durations = page.getByRole("form", { name: "Durées de conservation" });
    const messages = durations.getByLabel(/^Conserver le contenu des SMS et courriels/);
    await messages.fill("2");
    await durations.getByRole("button", { name: "Enregistrer les durées" }).click();
    await durations
      .getByText(/^Vous raccourcissez la conservation du contenu des SMS et courriels \(3 → 2 mois\)/)
      .waitFor();
    await page.waitForFunction(
      () => document.activeElement?.textContent === "Confirmer les nouvelles durées",
    );
    await durations.getByRole("button", { name: "Revenir" }).click();
    await messages.fill("4");
    await durations.getByRole("button", { name: "Enregistrer les durées" }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === "Durées enregistrées.");
    await messages.fill("3");
    await durations.getByRole("button", { name: "Enregistrer les durées" }).click();
    await durations.getByRole("button", { name: "Confirmer les nouvelles durées" }).click();
    await durations.getByText("Durées enregistrées.").waitFor();

    expect(await pastFigures(page)).toEqual(before);
    expect(problems).toEqual([]);
  });
});
