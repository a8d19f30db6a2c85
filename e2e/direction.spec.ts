import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/server/db/seed/demo";
import type { ReceivedMail } from "../src/server/testing/smtpSink";
import {
  baseUrl,
  expectAccessible,
  launchBrowser,
  logIn,
  logInWithSecondFactor,
  navigate,
  newPage,
  waitForMessage,
} from "./support";

// Issue 11, "direction and partners": the partner's inbox, "mot de passe oublié", and the
// direction's own journeys (its second factor enrolled on first use, see logInWithSecondFactor).
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

const DIRECTION = { email: "direction@demo.passerelle.fr", name: "Hélène Bernard" };

/** The "Changer de mot de passe" form (Mon compte, or the page a temporary password leads to). */
async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByLabel("Mot de passe actuel").fill(current);
  await page.getByLabel("Nouveau mot de passe").fill(next);
  await page.getByRole("button", { name: "Changer le mot de passe" }).click();
}

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

describe("mot de passe oublié", () => {
  it("sends a one-time link by e-mail; the new password works, the old one no longer", async () => {
    const email = "pilotage@demo.passerelle.fr";
    const newPassword = "le phare veille sur la baie";
    const { page, problems } = await newPage(browser);
    await page.goto(`${baseUrl()}/connexion`);
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await page.getByRole("heading", { name: "Mot de passe oublié", level: 1 }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await page.getByText("Saisissez l'adresse électronique.").first().waitFor();
    await expectAccessible(page);
    await page.getByLabel("Adresse électronique professionnelle").fill(email);
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await page
      .getByText(/Si un compte existe pour cette adresse, un lien vous a été envoyé ; il est valable 1 heure/)
      .waitFor();
    await expectAccessible(page);

    const mail = await waitForMessage<ReceivedMail>(
      "mails",
      (m) => m.to === email && m.subject === "Passerelle : choisir un nouveau mot de passe",
    );
    const token = mail.text.match(/\/nouveau-mot-de-passe#([A-Za-z0-9_-]+)/)?.[1] ?? "";
    expect(token).not.toBe("");
    await page.goto(`${baseUrl()}/nouveau-mot-de-passe#${token}`);
    await page.getByRole("heading", { name: "Choisir un nouveau mot de passe", level: 1 }).waitFor();
    // The token is dropped from the address bar and the history once read.
    expect(new URL(page.url()).hash).toBe("");
    await expectAccessible(page);
    await page.getByLabel("Mot de passe", { exact: true }).fill(newPassword);
    await page.getByLabel("Le même mot de passe, à nouveau").fill("une autre phrase de passe");
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
    await page.getByText("Saisissez deux fois le même mot de passe.").first().waitFor();
    await expectAccessible(page);
    await page.getByLabel("Le même mot de passe, à nouveau").fill(newPassword);
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
    await page.getByText("Votre mot de passe est modifié").waitFor();
    await expectAccessible(page);
    // The link works once (from another page: a change of the fragment alone would not reload it).
    await page.goto(`${baseUrl()}/connexion`);
    await page.goto(`${baseUrl()}/nouveau-mot-de-passe#${token}`);
    await page.getByLabel("Mot de passe", { exact: true }).fill(newPassword);
    await page.getByLabel("Le même mot de passe, à nouveau").fill(newPassword);
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
    await page.getByText("Ce lien n'est plus valable").waitFor();
    await expectAccessible(page);

    await logIn(page, email, DEMO_PASSWORD);
    await page.getByText("Adresse électronique ou mot de passe incorrect.").waitFor();
    await logIn(page, email, newPassword);
    await page.getByRole("heading", { name: "Bonjour Paul Lefebvre" }).waitFor();
    // The other journeys sign in with the demo password: it is put back.
    await page.goto(`${baseUrl()}/compte`);
    await changePassword(page, newPassword, DEMO_PASSWORD);
    await page.getByText("Mot de passe changé.").waitFor();
    expect(problems).toEqual([]);
  });
});

describe("service manager (direction)", () => {
  it("gives an agent a temporary password; the agent signs in with it and must choose another", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    await navigate(page, "Administration", "Agents");
    const row = page.getByRole("row", { name: /Nicolas Petit/ });
    await row.getByRole("button", { name: "Réinitialiser le mot de passe" }).click();
    await row.getByRole("button", { name: "Confirmer la réinitialisation" }).waitFor();
    await expectAccessible(page);
    await row.getByRole("button", { name: "Confirmer la réinitialisation" }).click();
    const temporary = (await row.getByTestId("temporary-password").textContent()) ?? "";
    expect(temporary).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    await expectAccessible(page);

    const agent = await newPage(browser);
    await logIn(agent.page, "cpip2@demo.passerelle.fr", DEMO_PASSWORD);
    await agent.page.getByText("Adresse électronique ou mot de passe incorrect.").waitFor();
    await logIn(agent.page, "cpip2@demo.passerelle.fr", temporary);
    await agent.page.getByRole("heading", { name: "Choisissez votre mot de passe", level: 1 }).waitFor();
    await expectAccessible(agent.page);
    // Back to the demo password, which the other journeys use.
    await changePassword(agent.page, temporary, DEMO_PASSWORD);
    await agent.page.getByRole("heading", { name: "Bonjour Nicolas Petit" }).waitFor();
    expect(agent.problems).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("changes a weekly permanence from a date on", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    await navigate(page, "Permanences");
    await page.getByRole("heading", { name: "Aperçu des sept prochains jours" }).waitFor();
    // Meaux on Fridays, 9 h 00 – 12 h 30, moved by half an hour (the weekly total stays the same).
    const friday = page.getByRole("row").filter({ hasText: "Chaque vendredi" }).filter({ hasText: "Meaux" });
    await friday.getByRole("button", { name: "Modifier…" }).click();
    const form = page.getByRole("form", { name: /Modifier/ });
    await form.waitFor();
    await expectAccessible(page);
    const from = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel("À partir du").fill(from);
    await form.getByLabel("Début", { exact: true }).fill("09:30");
    await form.getByLabel("Fin", { exact: true }).fill("13:00");
    await form.getByRole("button", { name: "Enregistrer la modification" }).click();
    await page.getByText(/Permanence modifiée : les nouveaux horaires s'appliquent à partir du/).waitFor();
    // Hours as the app writes a time ("9 h 30", not "09:30").
    await page.getByRole("cell", { name: /^9\sh\s30 – 13\sh\s00$/ }).waitFor();
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  it("filters the journal by a person and exports it as CSV", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    // A read of Karim Benali's file, journaled.
    await navigate(page, "Personnes suivies");
    await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
    await page.getByRole("table").getByRole("link", { name: "BENALI Karim" }).click();
    await page.getByRole("heading", { name: "BENALI Karim", level: 1 }).waitFor();
    await navigate(page, "Administration", "Journal des accès");
    await page.getByRole("heading", { name: "Journal des accès et des actions" }).waitFor();
    await page.getByLabel("Rechercher une personne").fill("Benali");
    const karim = page.getByRole("option", { name: /^BENALI Karim/ });
    await karim.waitFor({ state: "attached" });
    await page
      .getByLabel("Personne", { exact: true })
      .selectOption((await karim.getAttribute("value")) ?? "");
    // And by agent: journeys that ran before this one moved the server's clock days ahead while they
    // worked on Karim's file, so their events sort before this read and could fill the first page.
    await page.getByLabel("Agent", { exact: true }).selectOption({ label: DIRECTION.name });
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page
      .getByRole("cell", { name: /Hélène Bernard/ })
      .first()
      .waitFor();
    await expectAccessible(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Exporter ces évènements (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path()) ?? "", "utf8");
    expect(csv).toContain("Hélène Bernard");
    expect(problems).toEqual([]);
  });
});
