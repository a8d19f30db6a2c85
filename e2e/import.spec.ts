import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedCaseload } from "../src/server/testing/importFiles";
import { expectAccessible, launchBrowser, logIn, navigate, newPage } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/** 200 rows: 197 new people, one who is already followed (BENALI Karim of the demo), two bad rows. */
function caseloadFile(): string {
  const generated = generatedCaseload(197, "E2E").trimEnd().split("\r\n");
  const lines = [
    ...generated,
    "E2E-DUP;BENALI;Karim;14/03/1988;06 55 44 33 22;LC;01/02/2026;01/02/2027;",
    "E2E-BAD1;;Sans nom;01/01/1980;;;;;",
    "E2E-BAD2;DATE;Impossible;31/02/1980;;;;;",
  ];
  const file = path.join(mkdtempSync(path.join(tmpdir(), "passerelle-import-")), "export-spip.csv");
  writeFileSync(file, `${lines.join("\r\n")}\r\n`);
  return file;
}

describe("caseload import", () => {
  it("a CPIP imports a 200-row CSV: columns, preview with errors and duplicates, progress, summary", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await navigate(page, "Personnes suivies");
    await page.getByRole("link", { name: "Importer des dossiers" }).click();
    await page.getByRole("heading", { name: "Importer des dossiers", level: 1 }).waitFor();

    // Without a file: the field says what to do.
    await page.getByRole("button", { name: "Lire le fichier" }).click();
    await page.getByText("Choisissez un fichier CSV ou XLSX à importer.").first().waitFor();
    // Over 10 MB: refused in the browser, before anything is sent.
    await page.getByLabel("Fichier à importer").setInputFiles({
      name: "trop-gros.csv",
      mimeType: "text/csv",
      buffer: Buffer.alloc(11 * 1024 * 1024, "a"),
    });
    await page.getByRole("button", { name: "Lire le fichier" }).click();
    await page
      .getByText(/^Le fichier dépasse 10 Mo/)
      .first()
      .waitFor();
    await page.getByLabel("Fichier à importer").setInputFiles(caseloadFile());
    await page.getByRole("button", { name: "Lire le fichier" }).click();

    await page.getByText("« export-spip.csv » : 200 lignes.").waitFor();
    expect(await page.getByLabel("Nom *", { exact: true }).inputValue()).toBe("NOM");
    expect(
      await page.getByLabel("Numéro de dossier (application d'origine) *", { exact: true }).inputValue(),
    ).toBe("N° dossier");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Vérifier les lignes" }).click();

    await page.getByText(/200 lignes lues · 198 à importer · 0 déjà importée/).waitFor();
    const errorsTable = page.getByRole("table", { name: /Lignes en erreur/ });
    expect(await errorsTable.locator("tbody tr").allInnerTexts()).toEqual([
      expect.stringMatching(/^200\s+Nom\s+Saisissez le nom\.$/),
      expect.stringMatching(
        /^201\s+Date de naissance\s+Saisissez une date réelle, au format jj\/mm\/aaaa\.$/,
      ),
    ]);
    await page
      .getByText(
        /^Ligne 199 : BENALI Karim, né\(e\) le 14\smars\s1988\. Dossier existant : BENALI Karim \(n° \d+\)\.$/,
      )
      .waitFor();
    await page.getByLabel("Ligne 199 : que faire ?").selectOption({ label: "Compléter le dossier existant" });
    await expectAccessible(page);
    // Asked first (nothing is written yet), with what will be done; Échap cancels, the focus comes back.
    const importButton = page.getByRole("button", { name: "Importer 198 lignes" });
    await importButton.click();
    const dialog = page.getByRole("dialog", { name: "Importer 198 lignes ?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(
      /197 dossiers seront créés ;\s+1 dossier existant sera complété \(fusion avec un doublon\) ;\s+0 doublon sera ignoré\.\s+Les dossiers créés ou complétés ne peuvent pas être retirés depuis l'application/,
    );
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await page.waitForFunction(() => document.activeElement?.textContent === "Importer 198 lignes");
    await importButton.click();
    await dialog.getByRole("button", { name: "Lancer l'import" }).click();

    await page.getByRole("heading", { name: "Import terminé" }).waitFor({ timeout: 30_000 });
    expect(await page.locator("#import-progress").getAttribute("value")).toBe("200");
    await page.getByText("200 lignes traitées sur 200").waitFor();
    const summary = page.getByRole("alert").filter({ hasText: "Import terminé" });
    for (const text of [
      "197 dossiers créés",
      "1 dossier existant complété",
      "0 ligne ignorée",
      "2 en erreur",
    ])
      await summary.getByText(text).waitFor();
    await page
      .getByRole("table", { name: "Lignes non importées" })
      .getByText(/^Nom : Saisissez le nom\.$/)
      .waitFor();
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Télécharger le bilan ligne par ligne (CSV)" }).click();
    expect((await download).suggestedFilename()).toMatch(/^bilan-import-\d{4}-\d{2}-\d{2}\.csv$/);
    await expectAccessible(page);

    await page.getByRole("link", { name: "Voir les personnes suivies" }).click();
    await page.getByRole("searchbox").first().fill("Mathéo");
    await page
      .getByRole("table")
      .getByRole("link", { name: /^[A-Z'-]+ Mathéo/ })
      .first()
      .waitFor();
    expect(problems).toEqual([]);
  });
});
