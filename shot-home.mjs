import { chromium } from "/work/main/node_modules/playwright-core/index.mjs";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
for (const [email, name] of [["cpip@demo.passerelle.fr", "cpip"], ["conseiller@demo.passerelle.fr", "cons"]]) {
  for (const width of [1366, 390]) {
    const ctx = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris", viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    await page.goto("http://localhost:3293/connexion");
    await page.getByLabel("Adresse électronique professionnelle").fill(email);
    await page.getByLabel("Mot de passe", { exact: true }).fill("Passerelle77-demo");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.locator("h1").first().waitFor();
    await page.waitForTimeout(2500);
    await page.screenshot({ path: `/tmp/home-${name}-${width}.png`, fullPage: true });
    console.log(name, width, await page.evaluate(() => document.documentElement.scrollHeight));
    await ctx.close();
  }
}
await browser.close();
