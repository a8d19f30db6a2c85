import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parisDay } from "../src/common/calendar";
import { formatDateTime, formatDay, formatTime, monthNames } from "../src/common/dateFormat";
import {
  baseUrl,
  expectAccessible,
  launchBrowser,
  logIn,
  loseAnswers,
  navigate,
  newPage,
  openMyPerson,
  UNAVAILABLE,
  verticalGaps,
} from "./support";

const MONTHS: readonly string[] = monthNames;

/** The calendar day (YYYY-MM-DD) of a date as the app writes it ("le mardi 1er décembre 2026 à 9 h 00"). */
/** The first hour of the slots' group has the focus. */
async function expectFirstSlotFocused(slots: Locator): Promise<void> {
  expect(
    await slots
      .getByRole("radio")
      .first()
      .evaluate((radio) => radio === document.activeElement),
  ).toBe(true);
}

function dayWritten(text: string): string {
  const match = /(\d{1,2})(?:er)?\s(\p{L}+)\s(\d{4})\sà/u.exec(text);
  const month = MONTHS.indexOf(match?.[2] ?? "");
  if (!match || month < 0) throw new Error(`No date in "${text}"`);
  return `${match[3]}-${String(month + 1).padStart(2, "0")}-${match[1]?.padStart(2, "0")}`;
}

/** The hour of a time as the app writes it ("9 h 00"). */
const hourOf = (text: string): number => Number(/(\d{1,2})\s?h\s?\d{2}/.exec(text)?.[1]);

/**
 * Chooses each slot of the day shown, one after the other, against the person's other convocation
 * (`other`, as the app writes it: "… le mardi 15 décembre 2026 à 9 h 00 …"). A slot the same half-day
 * (same day, same side of 13:00) is warned of right under the slots and again above the button, which
 * then confirms it (« Convoquer quand même », « Reporter quand même »); any other slot is the plain
 * action (ADR 0003, addendum « same half-day »). Answers the indexes of the slots that clash.
 */
async function expectHalfDayWarnings(
  page: Page,
  action: "Convoquer" | "Reporter",
  other: string,
): Promise<number[]> {
  const otherDay = /le (\S+ \d+(?:er)? \S+)/.exec(other.replace(/\u00a0/g, " "))?.[1] ?? "";
  const group = page.getByRole("group", { name: /^Créneau du / });
  const sameDay = ((await group.locator("legend").textContent()) ?? "")
    .replace(/\u00a0/g, " ")
    .includes(otherDay);
  const radios = group.getByRole("radio");
  const clashes: number[] = [];
  for (let i = 0; i < (await radios.count()); i++) {
    await radios.nth(i).check({ force: true });
    const label = (await group.locator("label").nth(i).textContent()) ?? "";
    const clash = sameDay && hourOf(label) < 13 === hourOf(other) < 13;
    await page.getByRole("button", { name: clash ? `${action} quand même` : action, exact: true }).waitFor();
    // Said right under the slots (where the agent is: on a phone the button is screens below),
    // and again above the button.
    const underSlots = page.getByText(/^Déjà convoqué·e cet? (matin|après-midi)-là : /);
    expect(await underSlots.count()).toBe(clash ? 1 : 0);
    expect(await page.getByText(/^Déjà convoqué·e cet? (matin|après-midi)-là \(/).count()).toBe(
      clash ? 1 : 0,
    );
    if (clash && clashes.length === 0)
      for (const gap of await verticalGaps(page, group, underSlots)) expect(gap).toBeLessThan(40);
    if (clash) clashes.push(i);
  }
  return clashes;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

describe("convocation", () => {
  it("a CPIP convokes a person they refer; the counselor finds it in the agenda", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await openMyPerson(page, "GIRARD Laurent");
    await page.getByRole("link", { name: "Convoquer à une permanence" }).click();
    await page
      .getByRole("heading", { name: "Convoquer GIRARD Laurent à une permanence France services" })
      .waitFor();
    // Sent with nothing chosen: « Choisissez un créneau. » under the slots and in the error summary,
    // the focus on the first hour.
    const slots = page.getByRole("group", { name: /^Créneau du / });
    await slots.getByRole("radio").first().waitFor();
    await page.getByRole("button", { name: "Convoquer" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /Le formulaire contient/ })
      .getByRole("link", { name: "Créneau : Choisissez un créneau." })
      .waitFor();
    await slots.getByText("Choisissez un créneau.", { exact: true }).waitFor();
    await expectFirstSlotFocused(slots);
    await page.getByLabel("Lieu").selectOption({ label: "Meaux" });
    // One day at a time (a day selector), its hours a radio group: one Tab stop, arrows between hours.
    await slots
      .getByText(/· Meaux$/)
      .first()
      .click();
    // Once a slot is chosen, its old message goes from under the slots; the summary keeps its line
    // until the next check.
    await expect.poll(() => page.getByText("Choisissez un créneau.").count()).toBe(1);
    const slotDay = (await slots.locator("legend").innerText()).replace(/^Créneau du /, "");
    const checked = slots.getByRole("radio", { checked: true });
    const hour = async () =>
      (await page.locator(`label[for="${await checked.getAttribute("id")}"]`).innerText()).split(" · ")[0] ??
      "";
    // The choice, summed up right above "Convoquer" and read with the button (aria-describedby).
    const chosenSummary = () =>
      page.evaluate(() => {
        const button = [...document.querySelectorAll("button")].find((b) => b.textContent === "Convoquer");
        const summary = document.getElementById(button?.getAttribute("aria-describedby") ?? "");
        return (summary?.textContent ?? "").replace(/\s+/g, " ");
      });
    const spaced = (text: string) => text.replace(/\s+/g, " ");
    expect(await chosenSummary()).toMatch(
      new RegExp(`^Convocation le ${spaced(slotDay)} \\d{4} à ${spaced(await hour())} à Meaux`),
    );
    await checked.focus();
    if ((await slots.getByRole("radio").count()) > 1) {
      await page.keyboard.press("ArrowRight");
      expect(await chosenSummary()).toContain(`à ${spaced(await hour())} à Meaux`);
      await page.keyboard.press("ArrowLeft");
    }
    // A single Tab leaves the slots for the next field.
    await page.keyboard.press("Tab");
    expect(
      await page
        .getByRole("checkbox", { name: "Accès aux droits, papiers d'identité" })
        .evaluate((box) => box === document.activeElement),
    ).toBe(true);
    await expectAccessible(page);
    await page.getByText("Accès aux droits, papiers d'identité").click();
    await page.getByRole("button", { name: "Convoquer" }).click();
    // Without an explicit choice about SMS and email, nothing is booked.
    await page.getByText("Choisissez d'envoyer ou non un SMS.", { exact: true }).waitFor();
    // The number the SMS would go to, as people read it (stored +336…).
    await page.getByText(/^Au 06(\s\d\d){4}$/).waitFor();
    // What the person would receive, rendered by the server as the outbox will send it: the SMS for
    // the slot chosen, redrawn when the choice changes.
    const preview = page.getByRole("region", { name: "Ce que la personne recevra" });
    await page
      .getByRole("group", { name: "Envoyer la convocation par SMS ?" })
      .getByText("Oui", { exact: true })
      .click();
    const smsText = preview.getByTestId("apercu-sms");
    await smsText.getByText(/^France services : rendez-vous le /).waitFor();
    await preview.getByRole("heading", { name: /^SMS au 06(\s\d\d){4}$/ }).waitFor();
    const sms = await smsText.innerText();
    expect(dayWritten(sms)).toBe(dayWritten(await chosenSummary()));
    expect(sms).toContain(`à ${(await hour()).replace(/\s+/g, " ")}, Meaux`);
    expect(sms).toMatch(/STOP SMS : \S+\/stop\/[A-Za-z0-9]{12}$/);
    await expectAccessible(page);
    await page
      .getByRole("group", { name: "Envoyer la convocation par SMS ?" })
      .getByText("Non", { exact: true })
      .click();
    await expect.poll(() => preview.getByTestId("apercu-sms").count()).toBe(0);
    await expect.poll(() => page.getByText("Choisissez d'envoyer ou non un SMS.").count()).toBe(1);
    await page
      .getByRole("group", { name: "Envoyer la convocation par courriel ?" })
      .getByText("Non", { exact: true })
      .click();
    await preview.getByText("Aucun message : ni SMS ni courriel choisi.", { exact: false }).waitFor();
    // The booked day: the new slot is taken on another day, whatever today's free hours are.
    const original = dayWritten(await chosenSummary());
    await page.getByRole("button", { name: "Convoquer" }).click();
    await page.getByRole("heading", { name: "Convocation enregistrée" }).waitFor();
    await expectAccessible(page);
    const letterHref = await page
      .getByRole("link", { name: "Imprimer la lettre de convocation" })
      .getAttribute("href");
    const letter = await page.request.get(`${baseUrl()}${letterHref}`);
    expect(letter.headers()["content-type"]).toBe("application/pdf");
    expect((await letter.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await page.getByRole("link", { name: "Retour au dossier" }).click();
    await page.getByRole("table", { name: "Convocations de la personne" }).getByText("Meaux").waitFor();
    const badges = (text: string) =>
      page
        .getByRole("table", { name: "Convocations de la personne" })
        .locator(".fr-badge", { hasText: text })
        .count();
    const before = { planned: await badges("Prévue"), cancelled: await badges("Annulée par le service") };
    // Reschedule it to another slot: the old one is cancelled, the new one planned.
    await page.getByRole("link", { name: "Reporter" }).click();
    await page.getByRole("heading", { name: "Reporter une convocation" }).waitFor();
    // A way back to the file without reporting, as on the booking page.
    expect(
      await page
        .getByRole("navigation", { name: "vous êtes ici" })
        .getByRole("link", { name: "GIRARD Laurent" })
        .getAttribute("href"),
    ).toMatch(/^\/personnes\/[0-9a-f-]{36}$/);
    // The original's choice of messages comes filled in (booked with neither), still editable.
    const smsGroup = page.getByRole("group", { name: "Envoyer la convocation par SMS ?" });
    await smsGroup.getByText("Non", { exact: true }).waitFor();
    expect(await smsGroup.getByRole("radio", { name: "Non" }).isChecked()).toBe(true);
    expect(
      await page
        .getByRole("group", { name: "Envoyer la convocation par courriel ?" })
        .getByRole("radio", { name: "Non" })
        .isChecked(),
    ).toBe(true);
    await page.getByLabel("Lieu").selectOption({ label: "Meaux" });
    const meauxSlots = page.getByRole("group", { name: /^Créneau du / }).getByText(/· Meaux$/);
    await meauxSlots.first().waitFor();
    const otherDay = await page
      .getByLabel("Jour")
      .locator("option")
      .evaluateAll(
        (options, day) => options.map((o) => (o as HTMLOptionElement).value).find((v) => v && v !== day),
        original,
      );
    await page.getByLabel("Jour").selectOption(otherDay ?? "");
    await meauxSlots.first().click();
    await page.getByText(/^Nouveau rendez-vous le .+ à Meaux/).waitFor();
    await smsGroup.getByText("Non", { exact: true }).click();
    await page
      .getByRole("group", { name: "Envoyer la convocation par courriel ?" })
      .getByText("Non", { exact: true })
      .click();
    await expectAccessible(page);
    // The answer is lost (ADR 0036): the server moves the convocation, the agent reads a 503 and, as
    // told, clicks again; the same confirmation comes, and the convocation is moved once.
    const lost = await loseAnswers(page, "**/api/convocations/*/reschedule");
    await page.getByRole("button", { name: "Reporter" }).click();
    await page.getByText(UNAVAILABLE).first().waitFor();
    await lost.stop();
    expect(lost.reached).toEqual([200]);
    await page.getByRole("button", { name: "Reporter" }).click();
    await page.getByRole("heading", { name: "Convocation reportée" }).waitFor();
    // The new appointment's day, as the confirmation writes it: the agenda is opened on its week.
    const booked = dayWritten(await page.getByText(/^Nouveau rendez-vous le /).innerText());
    await page.getByRole("link", { name: "Retour au dossier" }).click();
    const table = page.getByRole("table", { name: "Convocations de la personne" });
    // The old one says where it went, not "Annulée par le service", and leads to the new one's row.
    const movedTo = table.getByRole("link", { name: /^Reportée au / });
    await movedTo.waitFor();
    await table.locator(".fr-badge", { hasText: "Prévue" }).waitFor();
    expect(await badges("Prévue")).toBe(before.planned);
    expect(await badges("Annulée par le service")).toBe(before.cancelled);
    const movedText = (await movedTo.innerText()).replace(/\s+/g, " ");
    await movedTo.click();
    await page.waitForFunction(() => document.activeElement?.id.startsWith("convocation-"));
    const landed = (await page.evaluate(() => document.activeElement?.textContent ?? "")).replace(
      /\s+/g,
      " ",
    );
    // "Reportée au vendredi 4 décembre à 10 h 00" lands on "vendredi 4 décembre 2026 à 10 h 00".
    const [, day, time] = /^Reportée au (.+) à (.+)$/.exec(movedText) ?? [];
    expect(landed).toContain(day ?? "?");
    expect(landed.endsWith(`à ${time}`)).toBe(true);
    expect(problems).toEqual([]);

    const counselor = await newPage(browser);
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await navigate(counselor.page, "Convocations");
    // This week by default, written in French; a malformed address falls back to it, no error page.
    const weekHeading = counselor.page.getByRole("heading", { name: /^Semaine du / });
    const thisWeek = await weekHeading.innerText();
    await counselor.page.goto(`${baseUrl()}/convocations?du=2026-13-45`);
    await counselor.page.getByRole("heading", { name: "Convocations", level: 1 }).waitFor();
    expect(await weekHeading.innerText()).toBe(thisWeek);
    // The booked appointment's week: the list by day shows it once, the address keeps the week.
    await counselor.page.goto(`${baseUrl()}/convocations?du=${booked}`);
    const girardRow = counselor.page
      .getByRole("row")
      .filter({ hasText: "GIRARD Laurent" })
      .filter({ hasText: "Prévue" })
      .first();
    await girardRow.waitFor();
    const bookedWeek = await weekHeading.innerText();
    expect(bookedWeek).toMatch(/^Semaine du lundi \d{1,2}(er)?\s.*au dimanche \d{1,2}(er)?\s\p{L}+\s\d{4}$/u);
    await expectAccessible(counselor.page);
    // Week after week and back: the period and the address follow, "Aujourd'hui" comes back here.
    await counselor.page.getByRole("button", { name: "Semaine suivante" }).click();
    await counselor.page.getByRole("heading", { name: bookedWeek }).waitFor({ state: "detached" });
    expect(new URL(counselor.page.url()).searchParams.get("du")).not.toBeNull();
    await counselor.page.goBack();
    await counselor.page.getByRole("heading", { name: bookedWeek }).waitFor();
    await girardRow.waitFor();
    await counselor.page.getByRole("button", { name: "Aujourd'hui" }).click();
    await counselor.page.getByRole("heading", { name: thisWeek }).waitFor();
    // Back on this week, today's day has the focus (its heading, or the empty week's sentence); on the
    // week already shown, "Aujourd'hui" brings it into view again, on a phone too (the days stack).
    const todayFocused = async (): Promise<void> => {
      await counselor.page.waitForFunction(() => document.activeElement?.id === "convocations-today");
      const focused = await counselor.page.evaluate(() => {
        const box = document.activeElement?.getBoundingClientRect();
        return {
          text: document.activeElement?.textContent ?? "",
          inView: box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight,
        };
      });
      expect(focused.inView).toBe(true);
      expect(focused.text).toMatch(
        new RegExp(`^(${formatDay(parisDay(new Date()))}|Aucune convocation du )`),
      );
    };
    await todayFocused();
    const shownSize = counselor.page.viewportSize();
    for (const width of [1366, 390]) {
      await counselor.page.setViewportSize({ width, height: 700 });
      await counselor.page.getByRole("button", { name: "Aujourd'hui" }).focus();
      await counselor.page.evaluate(() => window.scrollTo(0, 0));
      await counselor.page.getByRole("button", { name: "Aujourd'hui" }).click();
      await todayFocused();
      expect(await weekHeading.innerText()).toBe(thisWeek);
    }
    if (shownSize) await counselor.page.setViewportSize(shownSize);
    await counselor.page.goBack();
    await counselor.page.getByRole("heading", { name: bookedWeek }).waitFor();
    // Only the past convocations to fill in: none (as on the home page below); the empty state
    // stands apart from the checkbox.
    const onlyToFillIn = counselor.page.getByText(/^Seulement les convocations passées à renseigner/);
    await onlyToFillIn.click();
    const nothingToFillIn = counselor.page.getByText(
      "Rien à renseigner : toutes les convocations passées ont un statut, et celles honorées leur visite.",
    );
    await nothingToFillIn.waitFor();
    for (const gap of await verticalGaps(counselor.page, onlyToFillIn, nothingToFillIn))
      expect(gap).toBeGreaterThanOrEqual(16);
    await onlyToFillIn.click();
    await girardRow.waitFor();
    // Her agenda is her permanences' (ADR 0014 addendum of 2026-12-06), and says so.
    await counselor.page
      .getByText(/vous voyez les convocations des lieux où vous tenez une permanence/)
      .waitFor();
    // The site chosen is in the address: a reload keeps it, and the convocation booked at Meaux.
    await counselor.page.getByLabel("Lieu de permanence").selectOption({ label: "Meaux" });
    await expect.poll(() => new URL(counselor.page.url()).searchParams.has("lieu")).toBe(true);
    await counselor.page.reload();
    await girardRow.waitFor();
    expect(
      await counselor.page
        .getByLabel("Lieu de permanence")
        .evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent),
    ).toBe("Meaux");
    await counselor.page
      .getByLabel("Lieu de permanence")
      .selectOption({ label: "Tous vos lieux de permanence" });
    await expect.poll(() => new URL(counselor.page.url()).searchParams.has("lieu")).toBe(false);
    // The week calendar (loaded on demand) opens on the same week: no second list view (the page's
    // list is the list), and the booked appointment shows its person and place on their own lines.
    await counselor.page.getByText("Calendrier de la semaine").click();
    await counselor.page.getByRole("button", { name: "Aujourd'hui" }).waitFor();
    expect(new URL(counselor.page.url()).searchParams.get("vue")).toBe("calendrier");
    expect(await counselor.page.locator(".rbc-toolbar").getByRole("button", { name: "Liste" }).count()).toBe(
      0,
    );
    // Alone at its hour: the person, then « Meaux (prévue) »; with others at the same time, a line
    // « GIRARD Laurent (prévue) » under the group's « 9 h 00 – 9 h 45, Meaux ».
    const girard = counselor.page
      .locator(".rbc-event", { hasText: "GIRARD Laurent" })
      .filter({ hasText: /Meaux \(prévue\)|Meaux.*GIRARD Laurent \(prévue\)/ })
      .first();
    await girard.waitFor();
    // The convocation moved from (in its own week) says where it went, as the list does, not
    // "annulée par le service".
    await counselor.page.goto(`${baseUrl()}/convocations?du=${original}&vue=calendrier`);
    const movedFrom = counselor.page
      .locator(".rbc-event", { hasText: "GIRARD Laurent" })
      .filter({ hasText: /Meaux \(reportée au .+ à .+\)|Meaux.*GIRARD Laurent \(reportée au .+ à .+\)/ })
      .first();
    await movedFrom.waitFor();
    await counselor.page.waitForLoadState("networkidle");
    for (const event of await counselor.page.locator(".rbc-event").all())
      expect((await event.innerText()).split("\n").length).toBeGreaterThanOrEqual(2);
    await expectAccessible(counselor.page);
    // Reloaded, the page keeps the calendar and its week.
    await counselor.page.reload();
    await movedFrom.waitFor();
    await counselor.page.goto(`${baseUrl()}/`);
    await counselor.page.getByText("Aucune convocation passée à renseigner.").waitFor();
    expect(counselor.problems).toEqual([]);
  }, 120_000);

  it("the week calendar lists the people convoked at the same hour, each name whole and a link", async () => {
    // Two people at one hour of Meaux, where two counselors work at once.
    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await cpip.page.getByRole("heading", { name: /Bonjour/ }).waitFor();
    const api = async <T>(path: string): Promise<T> =>
      (await (await cpip.page.request.get(`${baseUrl()}${path}`)).json()) as T;
    const session = await api<{ csrfToken: string; memberships: { structureId: string }[] }>(
      "/api/auth/session",
    );
    const { slots } = await api<{ slots: { siteId: string; startsAt: string; free: number }[] }>(
      `/api/structures/${session.memberships[0]?.structureId}/slots?days=28`,
    );
    const slot = slots.find((s) => s.free >= 2 && Date.parse(s.startsAt) > Date.now() + 3_600_000);
    expect(slot).toBeDefined();
    const { people } = await api<{
      people: {
        id: string;
        lastName: string;
        firstName: string;
        heldIn: string | null;
        nextConvocationAt: string | null;
      }[];
    }>("/api/people?mine=true");
    // The longest names of the CPIP's people free that day (a name cut short is what this checks).
    const chosen = people
      .filter((p) => !p.heldIn && !p.nextConvocationAt)
      .sort((a, b) => (b.lastName + b.firstName).length - (a.lastName + a.firstName).length)
      .slice(0, 2);
    const booked: { id: string; personName: string }[] = [];
    try {
      for (const person of chosen) {
        const answer = await cpip.page.request.post(`${baseUrl()}/api/convocations`, {
          headers: { "x-csrf-token": session.csrfToken },
          data: {
            personId: person.id,
            siteId: slot?.siteId,
            startsAt: slot?.startsAt,
            needDomains: ["acces-aux-droits"],
            notifySms: false,
            notifyEmail: false,
          },
        });
        expect(answer.status(), await answer.text()).toBe(200);
        booked.push((await answer.json()) as { id: string; personName: string });
      }
      const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(
        new Date(slot?.startsAt ?? ""),
      );
      const counselor = await newPage(browser);
      await logIn(counselor.page, "conseiller@demo.passerelle.fr");
      await counselor.page.getByRole("heading", { name: /Bonjour/ }).waitFor();
      const group = counselor.page.locator(".passerelle-event-group", {
        has: counselor.page.getByRole("link", { name: booked[0]?.personName }),
      });
      // At 1366 px the week, at 768 px the week's narrow columns (« NOM P. », the link still saying
      // the whole name), at 390 px the day (the calendar's choice on a phone): one block for the
      // hour, one line and one link per person, each name shown whole.
      for (const width of [1366, 768, 390]) {
        await counselor.page.setViewportSize({ width, height: 900 });
        await counselor.page.goto(`${baseUrl()}/convocations?du=${day}&vue=calendrier`);
        await group.waitFor();
        for (const { personName } of booked) {
          const link = group.getByRole("link", { name: `${personName} (prévue)`, exact: true });
          const cut = await link.evaluate((a) => {
            const name = a.querySelector(".passerelle-event-name")?.getBoundingClientRect();
            return !name || name.right > a.getBoundingClientRect().right;
          });
          expect(cut, `${personName} at ${width} px`).toBe(false);
        }
      }
      // In a phone's week (columns of ~45 px) the hour says how many come (a cancelled convocation
      // of another journey may be there too) and opens their day, on the first one expected.
      await counselor.page.getByRole("button", { name: "Semaine" }).click();
      await counselor.page
        .locator(`[data-group-start="${new Date(slot?.startsAt ?? "").toISOString()}"]`)
        .getByRole("button", { name: /^\d+ pers\. à .+ : voir leur journée$/ })
        .click();
      await group.waitFor();
      await counselor.page.waitForFunction(
        (name) => document.activeElement?.textContent?.startsWith(name),
        [...booked].sort((a, b) => a.personName.localeCompare(b.personName, "fr"))[0]?.personName ?? "",
      );
      await counselor.page.setViewportSize({ width: 1366, height: 900 });
      await counselor.page.goto(`${baseUrl()}/convocations?du=${day}&vue=calendrier`);
      await group.waitFor();
      await expectAccessible(counselor.page);
      await group.getByRole("link", { name: booked[1]?.personName }).click();
      await counselor.page.getByRole("heading", { name: booked[1]?.personName, level: 1 }).waitFor();
      expect(counselor.problems).toEqual([]);
      expect(cpip.problems).toEqual([]);
    } finally {
      // Nothing left for the other journeys: both convocations are cancelled.
      for (const { id } of booked)
        await cpip.page.request.post(`${baseUrl()}/api/convocations/${id}/status`, {
          headers: { "x-csrf-token": session.csrfToken },
          data: { status: "cancelled" },
        });
    }
  }, 120_000);

  it("the calendar follows the window's width; an empty day says so, and its « Suivant » skips the weekend and public holidays", async () => {
    const counselor = await newPage(browser);
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await counselor.page.getByRole("heading", { name: /Bonjour/ }).waitFor();
    // A Friday far ahead, when nobody is convoked yet.
    await counselor.page.setViewportSize({ width: 1366, height: 900 });
    await counselor.page.goto(`${baseUrl()}/convocations?du=2027-03-05&vue=calendrier`);
    const label = counselor.page.locator(".rbc-toolbar-label");
    await label.filter({ hasText: /lundi\s1er.*7\smars\s2027/ }).waitFor();
    // Narrowed to a phone's width without reloading: the day comes, not the desktop week.
    await counselor.page.setViewportSize({ width: 390, height: 900 });
    await label.filter({ hasText: /^vendredi\s5\smars\s2027$/ }).waitFor();
    const empty = counselor.page.getByText("Aucune convocation ce jour.");
    await empty.waitFor();
    expect(await counselor.page.locator(".rbc-time-view").isVisible()).toBe(false);
    await expectAccessible(counselor.page);
    // Friday's « Suivant » is Monday, Monday's « Précédent » Friday.
    await counselor.page.locator(".rbc-toolbar").getByRole("button", { name: "Suivant" }).click();
    await label.filter({ hasText: /^lundi\s8\smars\s2027$/ }).waitFor();
    expect(new URL(counselor.page.url()).searchParams.get("du")).toBe("2027-03-08");
    await counselor.page.locator(".rbc-toolbar").getByRole("button", { name: "Précédent" }).click();
    await label.filter({ hasText: /^vendredi\s5\smars\s2027$/ }).waitFor();
    expect(new URL(counselor.page.url()).searchParams.get("du")).toBe("2027-03-05");
    // A public holiday is skipped as well: Ascension 2027 is Thursday 6 May.
    await counselor.page.goto(`${baseUrl()}/convocations?du=2027-05-05&vue=calendrier`);
    await label.filter({ hasText: /^mercredi\s5\smai\s2027$/ }).waitFor();
    await counselor.page.locator(".rbc-toolbar").getByRole("button", { name: "Suivant" }).click();
    await label.filter({ hasText: /^vendredi\s7\smai\s2027$/ }).waitFor();
    await counselor.page.locator(".rbc-toolbar").getByRole("button", { name: "Précédent" }).click();
    await label.filter({ hasText: /^mercredi\s5\smai\s2027$/ }).waitFor();
    // Widened again: the week is back.
    await counselor.page.setViewportSize({ width: 1366, height: 900 });
    await label.filter({ hasText: /lundi\s3.*9\smai\s2027/ }).waitFor();
    expect(counselor.problems).toEqual([]);
  }, 60_000);

  it("a CPIP adds a new person, is warned about a duplicate, then books them", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await navigate(page, "Personnes suivies");
    await page.getByRole("link", { name: "Ajouter une personne" }).click();
    await page.getByRole("heading", { name: "Ajouter une personne suivie" }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("Nom", { exact: true }).fill("Benali");
    await page.getByLabel("Prénom", { exact: true }).fill("Karim");
    await page.getByLabel("Date de naissance").fill("1988-03-14");
    await page.getByLabel("Début de la mesure").fill("2026-01-01");
    await page.getByLabel("Fin de la mesure").fill("2027-12-31");
    await page.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await page.getByText("Cette personne existe peut-être déjà").waitFor();
    await page.getByRole("link", { name: "BENALI Karim" }).waitFor();
    // The warning has the focus (the button, disabled while asking, lost it): read first, Tab to its link.
    await page.waitForFunction(() =>
      document.activeElement?.firstElementChild?.classList.contains("fr-alert--warning"),
    );
    await expectAccessible(page);
    await page.getByLabel("Prénom", { exact: true }).fill("Awa");
    await page.getByLabel("Nom", { exact: true }).fill("Diallo");
    await page.getByLabel("Date de naissance").fill("1999-09-09");
    // The answer is lost (ADR 0036): the server creates the file, the agent reads a 503 and, as told,
    // clicks again; the booking opens on the file already created, and only one file exists.
    const lost = await loseAnswers(page, "**/api/people");
    await page.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await page.getByText(UNAVAILABLE).first().waitFor();
    await lost.stop();
    expect(lost.reached).toEqual([200]);
    await page.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await page
      .getByRole("heading", { name: "Convoquer DIALLO Awa à une permanence France services" })
      .waitFor();
    const listed = await page.request.get(`${baseUrl()}/api/people?search=Diallo`);
    const files = (await listed.json()).people.filter((p: { firstName: string }) => p.firstName === "Awa");
    expect(files).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("sent before the slots came, « Choisissez un créneau. » holds the focus, then the slots take it with the message", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await openMyPerson(page, "GIRARD Laurent");
    // The free slots answer only once the form has been sent.
    let answerSlots = (): void => {};
    const sent = new Promise<void>((resolve) => {
      answerSlots = resolve;
    });
    await page.route(/\/api\/structures\/[^/]+\/slots\?/, async (route) => {
      await sent;
      await route.continue();
    });
    await page.getByRole("link", { name: "Convoquer à une permanence" }).click();
    await page.getByRole("heading", { name: /^Convoquer GIRARD Laurent / }).waitFor();
    expect(await page.getByRole("group", { name: /^Créneau du / }).count()).toBe(0);
    await page.getByRole("button", { name: "Convoquer" }).click();
    const message = page.getByText("Choisissez un créneau.", { exact: true });
    await message.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === "Choisissez un créneau.");
    answerSlots();
    // The hours replace the message: the first one takes the focus, its group still says the error.
    const slots = page.getByRole("group", { name: /^Créneau du .+ Choisissez un créneau\./ });
    await slots.getByRole("radio").first().waitFor();
    await slots.getByText("Choisissez un créneau.", { exact: true }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id.endsWith("-0"));
    await expectFirstSlotFocused(slots);
    expect(await page.getByLabel("Lieu", { exact: true }).count()).toBe(1);
    expect(await page.getByLabel("Jour", { exact: true }).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it("a cancellation confirmed from the file is said, and the focus stays on the notice", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await openMyPerson(page, "AUBERT Philomène");
    const table = page.getByRole("table", { name: "Convocations de la personne" });
    const planned = table
      .getByRole("row")
      .filter({ has: page.locator(".fr-badge", { hasText: "Prévue" }) })
      .first();
    const when = (await planned.getByRole("cell").first().innerText()).trim();
    const row = table.getByRole("row").filter({ hasText: when });
    await row.getByRole("button", { name: "Annulée par le service" }).click();
    await page.getByRole("button", { name: "Confirmer l'annulation par le service" }).click();
    await row.locator(".fr-badge", { hasText: "Annulée par le service" }).waitFor();
    // The row's buttons are gone: the notice says what was saved and holds the focus, with no
    // "Annuler" (a confirmed cancellation cannot be undone).
    await page.getByText(/^Statut enregistré : Annulée par le service — AUBERT Philomène, /).waitFor();
    await page.waitForFunction(() =>
      document.activeElement?.textContent?.startsWith("Statut enregistré : Annulée par le service"),
    );
    expect(await page.getByRole("button", { name: "Annuler", exact: true }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("after a first booking, reloading or going back never leads to a second one; the report keeps the SMS chosen", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await navigate(page, "Personnes suivies");
    await page.getByRole("link", { name: "Ajouter une personne" }).click();
    await page.getByRole("heading", { name: "Ajouter une personne suivie" }).waitFor();
    await page.getByLabel("Nom", { exact: true }).fill("Lefèvre");
    await page.getByLabel("Prénom", { exact: true }).fill("Maïwenn");
    await page.getByLabel("Date de naissance").fill("1991-04-17");
    // A phone and no e-mail: SMS may be chosen, e-mail is « Non » by itself.
    await page.getByLabel("Téléphone (facultatif)").fill("07 81 92 03 14");
    await page.getByLabel("Début de la mesure").fill("2026-01-01");
    await page.getByLabel("Fin de la mesure").fill("2027-12-31");
    await page.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    const heading = page.getByRole("heading", {
      name: "Convoquer LEFÈVRE Maïwenn à une permanence France services",
    });
    await heading.waitFor();
    expect(await page.getByText(/^Déjà convoqué·e le /).count()).toBe(0);
    await page
      .getByRole("group", { name: /^Créneau du / })
      .getByRole("radio")
      .first()
      .check({ force: true });
    await page.getByText("Emploi", { exact: true }).click();
    await page
      .getByRole("group", { name: "Envoyer la convocation par SMS ?" })
      .getByText("Oui", { exact: true })
      .click();
    await page.getByRole("button", { name: "Convoquer" }).click();
    await page.getByRole("heading", { name: "Convocation enregistrée" }).waitFor();
    const booked = (await page.getByText(/est convoqué·e le /).textContent()) ?? "";
    // Reloaded, the booking page says the convocation exists and leads to its report.
    await page.reload();
    await heading.waitFor();
    await page.getByText(/^Déjà convoqué·e le .+ à /).waitFor();
    // The booked slot's own half-day is offered first: at least one clash was checked.
    expect((await expectHalfDayWarnings(page, "Convoquer", booked)).length).toBeGreaterThan(0);
    // Back leads to the list, not to the blank creation form.
    await page.goBack();
    await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/personnes");
    await page.goForward();
    await heading.waitFor();
    await page.getByRole("link", { name: "reportez cette convocation" }).click();
    await page.getByRole("heading", { name: "Reporter une convocation" }).waitFor();
    // Booked with an SMS, the person has no e-mail: the SMS choice is taken over all the same.
    const sms = page.getByRole("group", { name: "Envoyer la convocation par SMS ?" });
    await sms.getByRole("radio", { name: "Oui" }).waitFor({ state: "attached" });
    await expect.poll(() => sms.getByRole("radio", { name: "Oui" }).isChecked()).toBe(true);
    expect(problems).toEqual([]);
  });
  it("a report onto a half-day the person already has a convocation: warned, then « Reporter quand même » moves it", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("heading", { name: /Bonjour/ }).waitFor();
    const api = async <T>(path: string): Promise<T> =>
      (await (await page.request.get(`${baseUrl()}${path}`)).json()) as T;
    const session = await api<{ csrfToken: string; memberships: { structureId: string }[] }>(
      "/api/auth/session",
    );
    const { people } = await api<{
      people: { id: string; heldIn: string | null; nextConvocationAt: string | null }[];
    }>("/api/people?mine=true");
    const personId = people.find((p) => !p.heldIn && !p.nextConvocationAt)?.id ?? "";
    const { slots } = await api<{ slots: { siteId: string; startsAt: string }[] }>(
      `/api/structures/${session.memberships[0]?.structureId}/slots?days=28&personId=${personId}`,
    );
    const later = slots.filter((s) => Date.parse(s.startsAt) > Date.now() + 3_600_000);
    const halfDay = (iso: string) => `${parisDay(new Date(iso))} ${hourOf(formatTime(iso)) < 13}`;
    // The person's first convocation (A) in a half-day with another slot free; the one to move (B)
    // another day.
    const a = later.find((s) =>
      later.some((o) => o.startsAt !== s.startsAt && halfDay(o.startsAt) === halfDay(s.startsAt)),
    );
    const b = later.find((s) => parisDay(new Date(s.startsAt)) !== parisDay(new Date(a?.startsAt ?? "")));
    expect(a && b).toBeDefined();
    const booked: string[] = [];
    try {
      for (const slot of [a, b]) {
        const answer = await page.request.post(`${baseUrl()}/api/convocations`, {
          headers: { "x-csrf-token": session.csrfToken },
          data: {
            personId,
            siteId: slot?.siteId,
            startsAt: slot?.startsAt,
            needDomains: ["emploi"],
            notifySms: false,
            notifyEmail: false,
          },
        });
        expect(answer.status(), await answer.text()).toBe(200);
        booked.push(((await answer.json()) as { id: string }).id);
      }
      await page.goto(`${baseUrl()}/personnes/${personId}/convocations/${booked[1]}/reporter`);
      await page.getByRole("heading", { name: "Reporter une convocation" }).waitFor();
      // The day of A: its half-day is warned of (never the convocation being moved, B's).
      await page.getByLabel("Jour").selectOption(parisDay(new Date(a?.startsAt ?? "")));
      const clashes = await expectHalfDayWarnings(
        page,
        "Reporter",
        `le ${formatDateTime(a?.startsAt ?? "")}`,
      );
      expect(clashes.length).toBeGreaterThan(0);
      const radios = page.getByRole("group", { name: /^Créneau du / }).getByRole("radio");
      // A clashing slot other than A's own hour (the same hour is a plain refusal, never confirmed).
      let target = -1;
      for (const i of clashes)
        if (!(await radios.nth(i).getAttribute("value"))?.endsWith(`|${a?.startsAt}`)) target = i;
      expect(target).toBeGreaterThanOrEqual(0);
      await radios.nth(target).check({ force: true });
      await page.getByRole("button", { name: "Reporter quand même", exact: true }).click();
      await page.getByRole("heading", { name: "Convocation reportée" }).waitFor();
      await expectAccessible(page);
      // A stands, B is cancelled and replaced in A's half-day.
      const { convocations } = await api<{
        convocations: { id: string; status: string; startsAt: string; rescheduledFromId: string | null }[];
      }>(`/api/convocations?personId=${personId}`);
      const planned = convocations.filter((c) => c.status === "planned");
      expect(planned.map((c) => c.id)).toContain(booked[0]);
      expect(planned.map((c) => c.id)).not.toContain(booked[1]);
      const moved = planned.find((c) => c.rescheduledFromId === booked[1]);
      expect(halfDay(moved?.startsAt ?? "")).toBe(halfDay(a?.startsAt ?? ""));
      if (moved) booked.push(moved.id);
      expect(problems).toEqual([]);
    } finally {
      // Nothing left for the other journeys.
      for (const id of booked)
        await page.request.post(`${baseUrl()}/api/convocations/${id}/status`, {
          headers: { "x-csrf-token": session.csrfToken },
          data: { status: "cancelled" },
        });
    }
  }, 120_000);
});
