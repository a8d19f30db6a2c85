import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, control, expectAccessible, launchBrowser, newPage } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

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
});
