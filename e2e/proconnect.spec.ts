import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, control, expectAccessible, launchBrowser, newPage, openMyPerson, shoot } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());
// The server's clock is shared by the journeys: back to the real time after each test.
afterEach(() => control("clock", {}));

const logouts = async (): Promise<number> =>
  (await fetch(`${inject("fakesUrl")}/proconnect/logouts`)).json() as Promise<number>;

describe("ProConnect (the local OpenID provider started by the global setup)", () => {
  it("an agent logs in through ProConnect and out of Passerelle and ProConnect at once", async () => {
    await control("proconnect/agent", { email: "cpip2@demo.passerelle.fr", amr: ["pwd"] });
    const { page, problems } = await newPage(browser);
    await page.goto(`${baseUrl()}/connexion`);
    const button = page.getByRole("link", { name: /S.identifier avec\s*ProConnect/ });
    await button.waitFor();
    await expectAccessible(page);
    await button.click();

    // At the provider (another site): the agent says who they are.
    await page.getByLabel("Adresse électronique").fill("cpip2@demo.passerelle.fr");
    await page.getByRole("button", { name: "Continuer" }).click();
    await page.getByRole("heading", { name: /^Bonjour / }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");

    const before = await logouts();
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.getByRole("heading", { name: "Connexion à Passerelle" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/connexion");
    expect(await logouts()).toBe(before + 1);
    // Passerelle's session is gone: its pages send back to the login page.
    await page.goto(`${baseUrl()}/personnes`);
    await page.waitForURL("**/connexion");
    expect(problems).toEqual([]);
  });

  it("an e-mail without a Passerelle account lands on a French page that says what to do", async () => {
    const { page, problems } = await newPage(browser);
    await page.goto(`${baseUrl()}/connexion`);
    await page.getByRole("link", { name: /S.identifier avec\s*ProConnect/ }).click();
    await page.getByLabel("Adresse électronique").fill("agent.nouveau@justice.fr");
    await page.getByRole("button", { name: "Continuer" }).click();
    await page.getByRole("heading", { name: "Votre compte n'existe pas encore dans Passerelle" }).waitFor();
    expect(await page.getByText("demandez à votre direction").count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Retour à la page de connexion" }).click();
    await page.getByRole("heading", { name: "Connexion à Passerelle" }).waitFor();
    expect(problems).toEqual([]);
  });

  it("an agent whose session expired signs in again through ProConnect in another window; the page keeps the note", async () => {
    await control("proconnect/agent", { email: "cpip2@demo.passerelle.fr", amr: ["pwd"] });
    const { page, problems } = await newPage(browser);
    await page.goto(`${baseUrl()}/connexion`);
    await page.getByRole("link", { name: /S.identifier avec\s*ProConnect/ }).click();
    await page.getByLabel("Adresse électronique").fill("cpip2@demo.passerelle.fr");
    await page.getByRole("button", { name: "Continuer" }).click();
    await openMyPerson(page, "MERCIER Thomas");
    const form = page.getByRole("form", { name: "Nouvelle note" });
    const text = "Note écrite avant l'expiration de la session ProConnect.";
    await form.getByLabel("Nouvelle note").fill(text);
    await form.getByText("Mon service seulement").click();

    // Thirty-one minutes later, the save is refused: the dialog offers ProConnect too.
    await control("clock", { now: new Date(Date.now() + 31 * 60_000).toISOString() });
    await form.getByRole("button", { name: "Enregistrer la note" }).click();
    const dialog = page.getByRole("dialog", { name: "Votre session a expiré" });
    await dialog.waitFor();
    await expectAccessible(page);
    await shoot(page, "session-expired-proconnect");
    const [popup] = await Promise.all([
      page.waitForEvent("popup"),
      dialog.getByRole("button", { name: /S.identifier avec\s*ProConnect/ }).click(),
    ]);
    // ProConnect's own session is still open: it sends the agent straight back, signed in, and the
    // first page hears of it at once.
    await popup.getByRole("heading", { name: /^Bonjour / }).waitFor();
    await dialog.waitFor({ state: "hidden" });
    await popup.close();
    expect(await form.getByLabel("Nouvelle note").inputValue()).toBe(text);
    await form.getByRole("button", { name: "Enregistrer la note" }).click();
    await page.getByRole("list", { name: "Notes de la personne" }).getByText(text, { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });
});
