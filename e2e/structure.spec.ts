import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, logInWithSecondFactor, navigate, newPage, shoot } from "./support";

// The structure's details and sites, edited by the direction after `npm run setup` (ADR 0037).
// The journey adds its own site, edits it and archives it: the demo sites other journeys read stay
// as they are.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

describe("structure and sites", () => {
  it("the direction adds a site, corrects its address (field error first), sees it, then archives it", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, "direction@demo.passerelle.fr", "Hélène Bernard");
    await navigate(page, "Administration", "Structure et lieux");
    await page.getByRole("heading", { name: "Structure et lieux", level: 1 }).waitFor();
    await page.getByText("Numéro de label France services").waitFor();
    await shoot(page, "structure-page");
    await expectAccessible(page);
    // The structure's own form, opened then left unchanged (other journeys read its name).
    await page.getByRole("button", { name: "Modifier la structure" }).click();
    await page.getByRole("form", { name: "Modifier la structure" }).getByLabel("Département").waitFor();
    await shoot(page, "structure-details-form");
    await expectAccessible(page);
    // The button is replaced by the form: the focus goes to its first field, and back once cancelled.
    await page.waitForFunction(
      () => document.activeElement?.closest("form")?.ariaLabel === "Modifier la structure",
    );
    await page
      .getByRole("form", { name: "Modifier la structure" })
      .getByRole("button", { name: "Annuler" })
      .click();
    await page.waitForFunction(() => document.activeElement?.textContent === "Modifier la structure");

    await page.getByRole("button", { name: "Ajouter un lieu" }).click();
    const form = page.getByRole("form", { name: "Ajouter un lieu" });
    await form.getByLabel("Nom du lieu").fill("Permanence de Lagny");
    await form.getByLabel("Type de lieu").selectOption("mobile");
    await form.getByLabel("Adresse").fill("Mairie, 2 place de l'Hôtel de Ville, 77400 Lagny");
    await form.getByRole("button", { name: "Ajouter le lieu" }).click();
    await page.getByText("Le lieu « Permanence de Lagny » est ajouté.").waitFor();
    const card = page.locator(".fr-card", {
      has: page.getByRole("heading", { name: "Permanence de Lagny" }),
    });
    await card.getByText("Mairie, 2 place de l'Hôtel de Ville, 77400 Lagny").waitFor();

    await card.getByRole("button", { name: "Modifier le lieu Permanence de Lagny" }).click();
    const edit = page.getByRole("form", { name: "Modifier le lieu Permanence de Lagny" });
    await edit.getByLabel("Adresse").fill(" ");
    await edit.getByLabel("Téléphone").fill("12");
    await edit.getByRole("button", { name: "Enregistrer le lieu" }).click();
    await edit.getByText("Saisissez l'adresse du lieu.").first().waitFor();
    await shoot(page, "structure-site-errors");
    await expectAccessible(page);
    await edit.getByLabel("Adresse").fill("Centre social, 10 rue Saint-Denis, 77400 Lagny-sur-Marne");
    await edit.getByLabel("Téléphone").fill("01 60 07 00 00");
    await edit.getByRole("button", { name: "Enregistrer le lieu" }).click();
    await page.getByText("Le lieu « Permanence de Lagny » est enregistré.").waitFor();
    // The form is gone: the notice, at the top of the page, takes the focus (and is announced).
    await page.waitForFunction(() => document.activeElement?.textContent?.includes("est enregistré."));
    await card.getByText("Centre social, 10 rue Saint-Denis, 77400 Lagny-sur-Marne").waitFor();
    await card.getByText("Téléphone : 01 60 07 00 00").waitFor();

    // A site holding permanences is refused with what blocks it; this one has none.
    await card.getByRole("button", { name: "Archiver le lieu Permanence de Lagny" }).click();
    await card.getByText("Archiver « Permanence de Lagny » ?").waitFor();
    await shoot(page, "structure-site-archive");
    await card.getByRole("button", { name: "Confirmer l'archivage" }).click();
    await page.getByText("Le lieu « Permanence de Lagny » est archivé").waitFor();
    expect(await page.getByRole("heading", { name: "Permanence de Lagny" }).count()).toBe(0);

    const meaux = page.locator(".fr-card", {
      has: page.getByRole("heading", { name: "Meaux", exact: true }),
    });
    if ((await meaux.count()) > 0) {
      await meaux.getByRole("button", { name: "Archiver le lieu Meaux" }).click();
      await meaux.getByRole("button", { name: "Confirmer l'archivage" }).click();
      await meaux.getByText(/ne peut pas être archivé/).waitFor();
      await shoot(page, "structure-site-archive-refused");
      await meaux.getByRole("button", { name: "Fermer" }).click();
    }
    expect(problems).toEqual([]);
  });
});
