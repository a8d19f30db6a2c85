import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, control, expectAccessible, launchBrowser, logIn, newPage } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await control("clock", {});
  await browser.close();
});

describe("homes, arrival and safe status actions", () => {
  it("the CPIP's home stays short: the first rows of each list, the others shown in place or on the people page", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("heading", { name: /Bonjour/ }).waitFor();
    const listed = await page.request.get(`${baseUrl()}/api/people?mine=true`);
    const { total } = (await listed.json()) as { total: number };
    expect(total).toBeGreaterThan(5);

    // Each alert: its first 3 rows (4 when that is all), a button showing the others in place.
    const alerts = page.getByRole("region", { name: "Alertes", exact: true });
    await alerts.getByRole("table").first().waitFor();
    for (const rows of await alerts.getByRole("table").all()) {
      expect(await rows.locator("tbody tr").count()).toBeLessThanOrEqual(4);
    }
    const more = alerts.getByRole("button", { name: /^Afficher les \d+ / });
    if ((await more.count()) > 0) {
      const count = Number(/\d+/.exec((await more.first().textContent()) ?? "")?.[0]);
      // Its name changes once pressed: found again by the list it shows.
      const controls = await more.first().getAttribute("aria-controls");
      const button = page.locator(`button[aria-controls="${controls}"]`);
      const list = page.locator(`[id="${controls}"]`);
      expect(await list.locator("tbody tr").count()).toBe(3);
      await button.click();
      await expect.poll(() => list.locator("tbody tr").count()).toBe(count);
      expect(await button.getAttribute("aria-expanded")).toBe("true");
      await expect.poll(() => button.textContent()).toMatch(/^Réduire la liste des /);
      await expectAccessible(page);
    }

    // The caseload: the next 5 convoked, then a link to the whole list, in the same order.
    const caseload = page.getByRole("region", { name: "Les personnes dont je suis référent", exact: true });
    await caseload.getByRole("table").waitFor();
    expect(await caseload.locator("tbody tr").count()).toBe(5);
    await caseload.getByRole("link", { name: `Voir les ${total} personnes dont je suis référent` }).click();
    await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
    const address = new URL(page.url());
    expect(address.pathname).toBe("/personnes");
    expect(address.searchParams.get("mine")).toBe("true");
    await page.getByText(new RegExp(`^${total} personnes`)).waitFor();
    expect(problems).toEqual([]);
  });

  it("the counselor's day in order with the arrival; a status set by mistake undone, then corrected with a reason; the CPIP home shows the suggestion once and books from it", async () => {
    // The CPIP books Karim at Meaux, no message (the letter only).
    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await cpip.page.getByRole("heading", { name: /Bonjour/ }).waitFor();
    const listed = await cpip.page.request.get(`${baseUrl()}/api/people?mine=true`);
    const karim = ((await listed.json()) as { people: { id: string; lastName: string }[] }).people.find(
      (p) => p.lastName.toUpperCase() === "BENALI",
    )!;
    await cpip.page.goto(`${baseUrl()}/personnes/${karim.id}/convoquer`);
    await cpip.page.getByLabel("Lieu").selectOption({ label: "Meaux" });
    await cpip.page
      .getByRole("group", { name: /^Créneau du / })
      .getByText(/· Meaux$/)
      .first()
      .click();
    await cpip.page.getByText("Accès aux droits, papiers d'identité").click();
    await cpip.page.getByRole("group", { name: "Envoyer la convocation par SMS ?" }).getByText("Non").click();
    await cpip.page
      .getByRole("group", { name: "Envoyer la convocation par courriel ?" })
      .getByText("Non")
      .click();
    await cpip.page.getByRole("button", { name: "Convoquer" }).click();
    await cpip.page.getByRole("heading", { name: "Convocation enregistrée" }).waitFor();
    const mine = await cpip.page.request.get(`${baseUrl()}/api/convocations?personId=${karim.id}`);
    const booked = (
      (await mine.json()) as { convocations: { startsAt: string; status: string }[] }
    ).convocations
      .filter((c) => c.status === "planned")
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0]!;

    // The day of the appointment, ten minutes in: the counselor's home starts with the permanence.
    const during = new Date(new Date(booked.startsAt).getTime() + 10 * 60_000);
    await control("clock", { now: during.toISOString() });
    const counselor = await newPage(browser);
    await counselor.page.clock.install({ time: during });
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    const day = counselor.page.getByRole("region", { name: /Permanence du/ });
    const row = day.getByRole("row").filter({ hasText: "BENALI Karim" });
    await row.waitFor();
    const times = await day.getByRole("row").locator("td:first-child").allTextContents();
    expect(times.length).toBeGreaterThan(0);
    // The day is in the heading ("Permanence du mercredi 2 décembre 2026"): each row gives its time only.
    expect(await day.getByRole("heading", { name: /^Permanence du [a-z]+ / }).count()).toBe(1);
    for (const time of times) expect(time).toMatch(/^\d{1,2}\sh\s\d\d$/);
    // In time order ("9 h 00" before "10 h 00": compared as minutes, not as text).
    const minutes = times.map((text) => {
      const [, hours, mins] = /(\d{1,2})\s*h\s*(\d\d)/.exec(text) ?? [];
      return Number(hours) * 60 + Number(mins);
    });
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
    await row.getByRole("button", { name: "Arrivé·e" }).click();
    await row.getByText(/Arrivé·e à \d{1,2}\sh\s\d\d/).waitFor();
    // A person who came did not cancel: that action is no longer offered (the server refuses it too).
    await row.getByRole("button", { name: "Retirer l'arrivée" }).waitFor();
    expect(await row.getByRole("button", { name: "Annulée par la personne" }).count()).toBe(0);
    await expectAccessible(counselor.page);

    // Honoured by mistake: "Annuler" on the notice puts it back.
    await row.getByRole("button", { name: "Honorée" }).click();
    await counselor.page.getByText(/Statut enregistré : Honorée — BENALI Karim/).waitFor();
    await expectAccessible(counselor.page);
    await counselor.page.getByRole("button", { name: "Annuler", exact: true }).click();
    await row.locator(".fr-badge", { hasText: "À renseigner" }).waitFor();
    // A cancellation asked, then not wanted: the focus is back on the row's button that asked.
    await row.getByRole("button", { name: "Annulée par la personne" }).click();
    const cancelAsked = counselor.page.getByRole("dialog", { name: "Annulation par la personne" });
    await cancelAsked.getByRole("button", { name: "Ne pas annuler" }).click();
    await cancelAsked.waitFor({ state: "hidden" });
    await counselor.page.waitForFunction(
      () =>
        document.activeElement?.textContent === "Annulée par la personne" &&
        document.activeElement.getAttribute("title")?.includes("BENALI Karim") === true,
    );

    // Marked absent by mistake, noticed later: corrected with a reason (checked on the client first).
    await row.getByRole("button", { name: "Absence" }).click();
    await row.locator(".fr-badge", { hasText: "Absence non excusée" }).waitFor();
    await row.getByRole("button", { name: "Corriger le statut" }).click();
    const dialog = counselor.page.getByRole("dialog", { name: "Corriger le statut" });
    // Left with Escape: the focus comes back to the row's "Corriger le statut".
    await dialog.getByRole("button", { name: "Enregistrer la correction" }).waitFor();
    await counselor.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await counselor.page.waitForFunction(
      () =>
        document.activeElement?.textContent === "Corriger le statut" &&
        document.activeElement.getAttribute("title")?.includes("BENALI Karim") === true,
    );
    await row.getByRole("button", { name: "Corriger le statut" }).click();
    await dialog.getByRole("button", { name: "Enregistrer la correction" }).click();
    await dialog.getByText("Le formulaire contient 2 erreurs").waitFor();
    await expectAccessible(counselor.page);
    await dialog.getByLabel("Bon statut").selectOption({ label: "Honorée" });
    await dialog.getByLabel("Raison de la correction").fill("La personne était là, erreur de ligne");
    await dialog.getByRole("button", { name: "Enregistrer la correction" }).click();
    await row.locator(".fr-badge", { hasText: "Honorée" }).waitFor();
    // Said, not only shown by the row's badge.
    await counselor.page.getByText(/Statut corrigé : Honorée — BENALI Karim/).waitFor();

    // The visit, with the suggestion to convoke again.
    const visitLink = row.getByRole("link", { name: "Saisir la visite" });
    const visitPath = await visitLink.getAttribute("href");
    await visitLink.click();
    await counselor.page.getByRole("heading", { name: "Visite de BENALI Karim" }).waitFor();
    await counselor.page.getByText("Accompagnée de bout en bout").click();
    await counselor.page
      .getByLabel("Proposer au CPIP une nouvelle convocation")
      .selectOption({ label: "Sous 15 jours" });
    await counselor.page.getByLabel("Pour quoi faire (facultatif)").fill("Finir le dossier CAF");
    // A reload with the visit typed and not saved asks first; staying keeps everything typed.
    const asked = new Promise<string>((resolve) =>
      counselor.page.once("dialog", async (dialog) => {
        resolve(dialog.type());
        await dialog.dismiss();
      }),
    );
    const reloaded = counselor.page.reload().then(
      () => "reloaded",
      () => "stayed",
    );
    expect(await asked).toBe("beforeunload");
    expect(await reloaded).toBe("stayed");
    expect(await counselor.page.getByLabel("Pour quoi faire (facultatif)").inputValue()).toBe(
      "Finir le dossier CAF",
    );
    await counselor.page.getByRole("button", { name: "Enregistrer la visite" }).click();
    await counselor.page.getByRole("heading", { name: "BENALI Karim", level: 1 }).waitFor();
    // The file says the visit is saved, in a live region (the heading has the focus).
    await counselor.page.getByRole("status").filter({ hasText: "Visite enregistrée." }).waitFor();
    // Said once: the address loses it (same history entry), a reload does not say it again.
    await counselor.page.waitForURL((url) => !url.searchParams.has("visite"));
    await counselor.page.reload();
    await counselor.page.getByRole("heading", { name: "BENALI Karim", level: 1 }).waitFor();
    await counselor.page.getByRole("table", { name: "Convocations de la personne" }).waitFor();
    expect(await counselor.page.getByText("Visite enregistrée.").count()).toBe(0);
    // Its address again: the page says the visit is recorded, and offers no form to fill in vain.
    await counselor.page.goto(`${new URL(counselor.page.url()).origin}${visitPath}`);
    await counselor.page.getByRole("heading", { name: "La visite est déjà saisie" }).waitFor();
    expect(await counselor.page.getByRole("button", { name: "Enregistrer la visite" }).count()).toBe(0);
    expect(counselor.problems).toEqual([]);

    // The CPIP's home: Karim's block once, the suggestion once, "Convoquer" at the suggested delay.
    // (Logging in again: for the server, time went by since the booking.)
    await cpip.page.clock.install({ time: during });
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await cpip.page.getByRole("heading", { name: /Bonjour/ }).waitFor();
    const news = cpip.page.getByRole("region", { name: /Du nouveau depuis/ });
    await news.getByRole("heading", { name: "BENALI Karim" }).waitFor();
    expect(await cpip.page.getByRole("heading", { name: "BENALI Karim" }).count()).toBe(1);
    expect(await cpip.page.getByText(/Finir le dossier CAF/).count()).toBe(1);
    // Karim's block (another journey may leave a suggestion for another person of this CPIP).
    const karimNews = news
      .locator("div")
      .filter({ has: cpip.page.getByRole("heading", { name: "BENALI Karim" }) })
      .last();
    await karimNews.getByText(/propose de reconvoquer sous 15 jours/).waitFor();
    await expectAccessible(cpip.page);
    await karimNews.getByRole("link", { name: "Convoquer" }).click();
    await cpip.page
      .getByText(/Sur proposition du conseiller, les créneaux sont cherchés à partir du/)
      .waitFor();
    expect(cpip.page.url()).toMatch(/convoquer\?dans=1[45]$/);
    const first = cpip.page
      .getByRole("group", { name: /^Créneau du / })
      .getByText(/ · /)
      .first();
    expect(await first.textContent()).toBeTruthy();
    await first.click();
    await cpip.page.getByText(/^Convocation le /).waitFor();
    await cpip.page.getByText("Accès aux droits, papiers d'identité").click();
    await cpip.page.getByRole("group", { name: "Envoyer la convocation par SMS ?" }).getByText("Non").click();
    await cpip.page
      .getByRole("group", { name: "Envoyer la convocation par courriel ?" })
      .getByText("Non")
      .click();
    await cpip.page.getByRole("button", { name: "Convoquer" }).click();
    await cpip.page.getByRole("heading", { name: "Convocation enregistrée" }).waitFor();
    const again = await cpip.page.request.get(`${baseUrl()}/api/convocations?personId=${karim.id}`);
    const next = (
      (await again.json()) as { convocations: { startsAt: string; status: string }[] }
    ).convocations
      .filter((c) => c.status === "planned")
      .map((c) => c.startsAt);
    // The new appointment is at least 14 days after the visit.
    expect(next.some((s) => new Date(s).getTime() >= during.getTime() + 13 * 86_400_000)).toBe(true);
    await cpip.page.goto(`${baseUrl()}/`);
    const newsAgain = cpip.page.getByRole("region", { name: /Du nouveau depuis/ });
    await newsAgain.waitFor();
    expect(await cpip.page.getByText(/Finir le dossier CAF/).count()).toBe(0);
    // Marking as seen is reachable before the list, without showing it whole, and from the keyboard.
    const markSeen = newsAgain.getByRole("button", { name: "Tout marquer comme vu" });
    await markSeen.focus();
    await cpip.page.keyboard.press("Enter");
    // The earlier journeys of the suite may have left news dated after the page was shown: they stay.
    await newsAgain.getByText(/^Nouvelles marquées comme vues\./).waitFor();
    // Undone: the news are signalled again, with the button to mark them.
    await newsAgain.getByRole("button", { name: "Annuler : signaler de nouveau ces nouvelles" }).click();
    await newsAgain.getByText("Les nouvelles sont de nouveau signalées.").waitFor();
    await markSeen.waitFor();
    expect(await newsAgain.getByText(/^Nouvelles marquées comme vues\./).count()).toBe(0);
    await markSeen.click();
    await newsAgain.getByText(/^Nouvelles marquées comme vues\./).waitFor();
    expect(cpip.problems).toEqual([]);
  }, 120_000);
});
