import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import axe from "axe-core";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { DEMO_PASSWORD } from "../src/server/db/seed/demo";
import { totpCode } from "../src/server/domains/identity/totp";
import type { SetupResult } from "../src/server/domains/structures/Setup";

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

/** What each open page did lately, printed when a test fails (e2e/failures.ts). */
const traces = new Map<Page, string[]>();
const TRACE_LENGTH = 15;

function trace(page: Page, line: string): void {
  const lines = traces.get(page);
  if (!lines) return;
  lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
  if (lines.length > TRACE_LENGTH) lines.shift();
}

/**
 * What every page still open showed when a test failed: its address, the start of its text and
 * its last API answers that were errors or slow — a failure seen only in CI says what happened.
 */
export async function describeOpenPages(): Promise<string> {
  const parts: string[] = [];
  for (const [page, lines] of traces) {
    if (page.isClosed()) {
      traces.delete(page);
      continue;
    }
    const shown = await page
      .evaluate(() => ({
        url: location.href,
        text: (document.querySelector("main") ?? document.body).innerText
          .replace(/\s*\n\s*/g, " · ")
          .slice(0, 800),
      }))
      .catch((error: unknown) => ({ url: page.url(), text: `(page unreadable: ${String(error)})` }));
    parts.push(`— ${shown.url}\n${shown.text}\n  API: ${lines.join("\n       ") || "nothing notable"}`);
  }
  return parts.join("\n");
}

/**
 * A new page that records CSP violations and page errors, so a journey fails on them, and keeps a
 * short trace of its API answers that failed or took over a second (see `describeOpenPages`).
 */
export async function newPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  traces.set(page, []);
  const problems: string[] = [];
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("requestfinished", async (request) => {
    if (!request.url().includes("/api/")) return;
    const response = await request.response().catch(() => null);
    const { responseEnd, requestStart } = request.timing();
    const ms = Math.round(responseEnd - requestStart);
    if ((response && response.status() >= 400) || ms > 1000)
      trace(
        page,
        `${request.method()} ${new URL(request.url()).pathname} → ${response?.status()} in ${ms} ms`,
      );
  });
  page.on("requestfailed", (request) => {
    if (request.url().includes("/api/"))
      trace(
        page,
        `${request.method()} ${new URL(request.url()).pathname} failed: ${request.failure()?.errorText}`,
      );
  });
  return { page, problems };
}

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl()}/connexion`);
  await page.getByLabel("Adresse électronique professionnelle").fill(email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

/**
 * Opens, once signed in as a CPIP, one of the people they refer: from the people page, searched by
 * name (the home lists the first few only).
 */
export async function openMyPerson(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { name: /Bonjour/ }).waitFor();
  await page.goto(`${baseUrl()}/personnes?mine=true&search=${encodeURIComponent(name)}`);
  await page.getByRole("table").getByRole("link", { name }).click();
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
  // One h1 per page, the page's own title (no dialog title before it in the DOM): once it has rendered.
  await page.locator("h1").first().waitFor();
  const h1 = await page.evaluate(() =>
    [...document.querySelectorAll("h1")].map((h) => h.textContent?.trim()),
  );
  expect(h1, `the h1 of ${page.url()}`).toHaveLength(1);
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
      // A layout still reflowing right after the resize can put two targets briefly too close
      // (target-size; a DSFR collapse recomputes its height after a resize, on a loaded machine
      // later still): a real violation is still there two seconds later.
      let found = await axeViolations(page);
      for (let retry = 0; found.length > 0 && retry < 4; retry += 1) {
        await page.waitForTimeout(500);
        found = await axeViolations(page);
      }
      violations.push(...found.map((v) => `${width} px, ${colorScheme}: ${v}`));
    }
  }
  await page.setViewportSize(viewport ?? { width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: null });
  appendFileSync(a11yCountFile(), `${page.url()}\n`);
  expect(violations).toEqual([]);
}

/**
 * The vertical space between two elements stacked one under the other (`upper`'s bottom edge to
 * `lower`'s top edge), at each of the checked widths: what a spacing fix asserts (at least the DSFR's
 * 1rem, "fr-2w"). The viewport is restored after.
 */
export async function verticalGaps(page: Page, upper: Locator, lower: Locator): Promise<number[]> {
  const viewport = page.viewportSize();
  const gaps: number[] = [];
  for (const width of A11Y_WIDTHS) {
    await page.setViewportSize({ width, height: viewport?.height ?? 900 });
    const [above, below] = [await upper.boundingBox(), await lower.boundingBox()];
    if (!above || !below) throw new Error("verticalGaps: an element is not displayed");
    gaps.push(Math.round(below.y - (above.y + above.height)));
  }
  await page.setViewportSize(viewport ?? { width: 1280, height: 720 });
  return gaps;
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

export async function control(path: "clock" | "receipt" | "proconnect/agent", body: object): Promise<void> {
  const response = await fetch(`${fakesUrl()}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${path} failed: ${response.status}`);
}

/** Sets up a structure on the journeys' server as `npm run setup` does, from its file; its accounts' links. */
export async function setUpStructure(file: object): Promise<SetupResult> {
  const response = await fetch(`${fakesUrl()}/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(file),
  });
  if (!response.ok) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  return response.json() as Promise<SetupResult>;
}

/**
 * The second factors enrolled by the journeys, kept in a file of the e2e data directory: the spec
 * files run in separate workers against one server, and whichever signs an account in first enrols it.
 */
const secretsFile = (): string => path.join(path.dirname(a11yCountFile()), "totp-secrets.json");
type Enrolled = Record<string, { secret: string; lastStep: number }>;
const enrolled = (): Enrolled =>
  existsSync(secretsFile()) ? (JSON.parse(readFileSync(secretsFile(), "utf8")) as Enrolled) : {};
const remember = (email: string, secret: string, step: number): void =>
  writeFileSync(secretsFile(), JSON.stringify({ ...enrolled(), [email]: { secret, lastStep: step } }));
const currentStep = (): number => Math.floor(Date.now() / 30_000);

/** A code of the stored secret, in a time step not used yet (a code works once: wait for the next step). */
export async function nextTotpCode(email: string): Promise<string> {
  const known = enrolled()[email];
  if (!known) throw new Error(`${email} has no second factor enrolled by the journeys`);
  if (currentStep() <= known.lastStep)
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
  remember(email, known.secret, currentStep());
  return totpCode(known.secret, new Date());
}

/**
 * Signs in an account that needs a second factor (direction, administrator) and reaches its home
 * page: enrols it on first use (the enrolment pages checked for accessibility), otherwise types a
 * code of the stored secret. Returns the secret.
 */
export async function logInWithSecondFactor(
  page: Page,
  email: string,
  name: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  await logIn(page, email, password);
  const enrolment = page.getByRole("heading", { name: "Activez la double authentification" });
  const verification = page.getByRole("heading", { name: "Vérification en deux étapes" });
  await enrolment.or(verification).waitFor();
  if (await verification.isVisible()) {
    await page.getByLabel("Code de vérification").fill(await nextTotpCode(email));
    await page.getByRole("button", { name: "Valider" }).click();
  } else {
    await expectAccessible(page);
    await page.getByRole("button", { name: "Générer mon QR code" }).click();
    const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
    remember(email, secret, currentStep());
    await page.getByLabel("Code à 6 chiffres affiché par l'application").fill(totpCode(secret, new Date()));
    await page.getByRole("button", { name: "Activer" }).click();
    await page.getByTestId("recovery-codes").waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "J'ai noté mes codes, continuer" }).click();
  }
  await page.getByRole("heading", { name: `Bonjour ${name}` }).waitFor();
  return enrolled()[email]?.secret ?? "";
}

/**
 * Chooses a month ("YYYY-MM") in a month field of the dashboard's filters: its "Mois" and "Année"
 * selects, in the group named `legend` ("Du mois").
 */
export async function chooseMonth(page: Page, legend: string, month: string): Promise<void> {
  const [year = "", mm = ""] = month.split("-");
  const group = page.getByRole("group", { name: legend });
  await group.getByLabel("Année", { exact: true }).selectOption(year);
  await group.getByLabel("Mois", { exact: true }).selectOption(mm);
}

/**
 * Opens a page from the header's main navigation as an agent would: through the burger menu on a
 * phone, through the group's sub-menu when the agent's menu is grouped (`navigate(page,
 * "Partenariat", "Conventions")`), or straight from the link when the entry is a plain one
 * (`navigate(page, "Personnes suivies")`).
 */
export async function navigate(page: Page, group: string, entry = group): Promise<void> {
  const burger = page.locator(".fr-header__navbar .fr-btn--menu");
  const menu = page.getByRole("navigation", { name: "Menu principal" });
  const groupButton = menu.getByRole("button", { name: group, exact: true });
  const plainLink = menu.getByRole("link", { name: entry, exact: true });
  await groupButton.or(plainLink).or(burger).filter({ visible: true }).first().waitFor();
  if (await burger.isVisible()) {
    await burger.click();
    await groupButton.or(plainLink).filter({ visible: true }).first().waitFor();
  }
  if ((await groupButton.isVisible()) && (await groupButton.getAttribute("aria-expanded")) !== "true") {
    await groupButton.click();
  }
  await plainLink.click();
}

/** Screenshots for a review, when SHOTS_DIR is set, at both checked widths (of `part` if given). */
export async function shoot(page: Page, name: string, part?: Locator): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  const viewport = page.viewportSize();
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    await (part ?? page).screenshot({ path: `${dir}/${name}-${width}.png` });
  }
  await page.setViewportSize(viewport ?? { width: 1280, height: 720 });
}

/** What the app answers when the database is away: the words a user reads after a lost answer. */
export const UNAVAILABLE = "Service momentanément indisponible, réessayez dans un instant.";

/**
 * Loses the answers of `method` requests to `url` (ADR 0036): each reaches the server, which does the
 * work, and the page reads a 503 instead. Returns the statuses the server gave, and a way to stop.
 */
export async function loseAnswers(
  page: Page,
  url: string,
  method = "POST",
): Promise<{ reached: number[]; stop: () => Promise<void> }> {
  const reached: number[] = [];
  await page.route(url, async (route) => {
    if (route.request().method() !== method) return route.fallback();
    reached.push((await route.fetch()).status());
    await route.fulfill({ status: 503, json: { code: "service.unavailable", message: UNAVAILABLE } });
  });
  return { reached, stop: () => page.unroute(url) };
}
