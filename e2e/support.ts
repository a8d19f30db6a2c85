import { appendFileSync } from "node:fs";
import axe from "axe-core";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { DEMO_PASSWORD } from "../src/server/db/seed/demo";

export const baseUrl = (): string => inject("baseUrl");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A new page that records CSP violations and page errors, so a journey fails on them. */
export async function newPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return { page, problems };
}

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl()}/connexion`);
  await page.getByLabel("Adresse électronique professionnelle").fill(email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

/** Every page state is checked at a desktop and a phone width, in the light and the dark theme. */
export const A11Y_WIDTHS = [1366, 390] as const;
export const A11Y_SCHEMES = ["light", "dark"] as const;

/**
 * axe-core on the current page state: no violation of any impact (RGAA relies on WCAG 2.1 AA), at
 * each width and in each colour scheme; the viewport and the colour scheme are restored after.
 * Each call is counted (globalSetup prints the total).
 */
export async function expectAccessible(page: Page): Promise<void> {
  const viewport = page.viewportSize();
  const violations: string[] = [];
  for (const width of A11Y_WIDTHS) {
    await page.setViewportSize({ width, height: viewport?.height ?? 900 });
    // The pointer stays where the journey last clicked: after a resize it may hover another element
    // (a hovered DSFR link takes a hover background). Move it off the page.
    await page.mouse.move(-10, -10);
    for (const colorScheme of A11Y_SCHEMES) {
      await page.emulateMedia({ colorScheme });
      // The DSFR follows prefers-color-scheme through data-fr-theme (set by its script).
      await page
        .waitForFunction((scheme) => document.documentElement.dataset.frTheme === scheme, colorScheme, {
          timeout: 2_000,
        })
        .catch(() => undefined);
      // Colours change through CSS transitions: axe must read the settled ones.
      await page
        .waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), undefined, {
          timeout: 2_000,
        })
        .catch(() => undefined);
      violations.push(...(await axeViolations(page)).map((v) => `${width} px, ${colorScheme}: ${v}`));
    }
  }
  await page.setViewportSize(viewport ?? { width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: null });
  appendFileSync(a11yCountFile(), `${page.url()}\n`);
  expect(violations).toEqual([]);
}

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
  });
}

const a11yCountFile = (): string => inject("a11yCountFile");

const fakesUrl = (): string => inject("fakesUrl");

/** What the SMTP server and the fake SMS provider received, as the journeys see it. */
export async function fakes<T>(what: "mails" | "sms"): Promise<T[]> {
  return (await fetch(`${fakesUrl()}/${what}`)).json() as Promise<T[]>;
}

/** Waits until the fakes received a message matching `predicate` (the outbox worker polls every second). */
export async function waitForMessage<T>(
  what: "mails" | "sms",
  predicate: (message: T) => boolean,
): Promise<T> {
  for (let i = 0; i < 40; i += 1) {
    const found = (await fakes<T>(what)).find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no ${what} matching the expectation after 10 s`);
}

export async function control(path: "clock" | "receipt", body: object): Promise<void> {
  const response = await fetch(`${fakesUrl()}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${path} failed: ${response.status}`);
}
