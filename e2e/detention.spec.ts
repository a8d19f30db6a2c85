import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, parisDay } from "../src/common/calendar";
import { formatDate } from "../src/common/dateFormat";
import { sasLatestRelease } from "../src/common/detention/sas";
import { pdfText } from "../src/server/testing/pdfText";
import {
  baseUrl,
  control,
  expectAccessible,
  fakes,
  launchBrowser,
  logIn,
  logInWithSecondFactor,
  navigate,
  newPage,
} from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await control("clock", { now: null });
  await browser.close();
});

const PRISON = "Centre pénitentiaire de Meaux-Chauconin";

async function openBruno(page: Page): Promise<string> {
  await logIn(page, "cpip@demo.passerelle.fr");
  await navigate(page, "Personnes suivies");
  await page.getByRole("link", { name: "CARON Bruno" }).first().click();
  await page.getByRole("heading", { name: "Détention" }).waitFor();
  return new URL(page.url()).pathname.split("/")[2] ?? "";
}

describe("milieu fermé", () => {
  it("a CPIP books a permanence in prison for a detainee: letter and movements list, no SMS", async () => {
    const { page, problems } = await newPage(browser);
    const personId = await openBruno(page);
    await page.getByText("Numéro d'écrou : 77-25-1290").waitFor();
    await page.getByText(/s'affichera à partir du/).waitFor();
    expect(await page.getByRole("heading", { name: "Préparer la sortie" }).count()).toBe(0);
    await expectAccessible(page);

    await page.getByRole("link", { name: "Convoquer à une permanence" }).click();
    await page
      .getByRole("heading", { name: "Convoquer CARON Bruno à une permanence France services" })
      .waitFor();
    await page.getByText(/Personne détenue .* aucun SMS ni courriel/).waitFor();
    // Held in the prison: only its permanences are offered (ADR 0028, addendum "place").
    await page.getByText(/qu'aux permanences de son établissement/).waitFor();
    expect(await page.getByLabel("Lieu").locator("option").allTextContents()).toEqual([
      "Son établissement (prochains créneaux)",
      PRISON,
    ]);
    await page.getByLabel("Lieu").selectOption({ label: PRISON });
    await page
      .getByRole("group", { name: /^Créneau du / })
      .getByText(new RegExp(`· ${PRISON}$`))
      .first()
      .click();
    await page.getByText(new RegExp(`^Convocation le .+ au ${PRISON}`)).waitFor();
    await page.getByText("Accès aux droits, papiers d'identité").click();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Convoquer" }).click();
    await page.getByRole("heading", { name: "Convocation enregistrée" }).waitFor();
    await page.getByText(new RegExp(`est convoqué·e le .* au ${PRISON}`)).waitFor();
    await page.getByText(/Remettez la lettre à l'établissement/).waitFor();
    await expectAccessible(page);
    const letterHref = await page
      .getByRole("link", { name: "Imprimer la lettre de convocation" })
      .getAttribute("href");
    const letter = await page.request.get(`${baseUrl()}${letterHref}`);
    expect(pdfText(await letter.body())).toContain("remise par l");

    const listed = await page.request.get(`${baseUrl()}/api/convocations?personId=${personId}`);
    const [booked] = ((await listed.json()) as { convocations: { startsAt: string; notifySms: boolean }[] })
      .convocations;
    expect(booked?.notifySms).toBe(false);
    const day = parisDay(new Date(booked!.startsAt));

    await navigate(page, "Milieu fermé");
    await page.getByRole("heading", { name: "Liste des mouvements" }).waitFor();
    await page.getByLabel("Établissement").selectOption({ label: PRISON });
    await page.getByLabel("Jour").fill(day);
    // The list on screen too, each person once with the prison number.
    const expected = page.getByRole("table", { name: `Personnes attendues — ${PRISON}` });
    const bruno = expected.getByRole("row").filter({ hasText: "CARON Bruno" });
    await bruno.getByText("77-25-1290").waitFor();
    await expectAccessible(page);
    // The establishment and the day are in the address: a reload, and back from the person's file,
    // show the same list.
    await page.waitForURL(
      (url) => url.searchParams.get("jour") === day && url.searchParams.has("etablissement"),
    );
    const shown = async () => {
      await bruno.getByText("77-25-1290").waitFor();
      expect(await page.getByLabel("Jour").inputValue()).toBe(day);
      expect(await page.getByLabel("Établissement").locator("option:checked").textContent()).toBe(PRISON);
    };
    await page.reload();
    await shown();
    await bruno.getByRole("link", { name: "CARON Bruno" }).click();
    await page.getByRole("heading", { name: "CARON Bruno", level: 1 }).waitFor();
    await page.goBack();
    await shown();
    // A hand-edited address: a day that does not exist reads as today, an unknown establishment as
    // the first one offered.
    await page.goto(`${baseUrl()}/milieu-ferme?jour=2026-02-30&etablissement=inconnu`);
    await page
      .getByRole("status")
      .filter({ hasText: /attendu/ })
      .waitFor();
    expect(await page.getByLabel("Jour").inputValue()).toBe(parisDay(new Date()));
    expect(await page.getByLabel("Établissement").inputValue()).toBe(
      await page.getByLabel("Établissement").locator("option").first().getAttribute("value"),
    );
    await page.goBack();
    await shown();
    const href = await page
      .getByRole("link", { name: "Télécharger la liste des mouvements (PDF)" })
      .getAttribute("href");
    const movements = await page.request.get(`${baseUrl()}${href}`);
    expect(movements.headers()["content-type"]).toBe("application/pdf");
    const text = pdfText(await movements.body());
    expect(text).toContain("CARON Bruno");
    expect(text).toContain("77-25-1290");
    expect(text).toContain("Inès Moreau");

    // The outbox polls every second: give it time, then nothing about this appointment was sent.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const sms = await fakes<{ content?: string; recipient?: string }>("sms");
    expect(sms.filter((m) => JSON.stringify(m).includes("Meaux-Chauconin"))).toEqual([]);
    const mails = await fakes<{ text?: string; subject?: string }>("mails");
    // Other journeys invite partners to meetings held there: what matters is nothing about this detainee.
    const aboutHim = (text: string) =>
      text.includes("Caron") ||
      (text.includes("Meaux-Chauconin") &&
        !text.includes("BEGIN:VCALENDAR") &&
        !text.includes("list-unsubscribe"));
    expect(mails.filter((m) => aboutHim(JSON.stringify(m)))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("the release plan appears 90 days before the release date, not the day before", async () => {
    const first = await newPage(browser);
    const personId = await openBruno(first.page);
    const file = await first.page.request.get(`${baseUrl()}/api/people/${personId}`);
    const release = ((await file.json()) as { detention: { expectedReleaseDate: string } }).detention
      .expectedReleaseDate;
    const showsFrom = addDays(release, -90);

    // The day before, at noon in Paris: still closed.
    await control("clock", { now: `${addDays(showsFrom, -1)}T10:00:00.000Z` });
    const before = await newPage(browser);
    await openBruno(before.page);
    await before.page.getByText(/s'affichera à partir du/).waitFor();
    expect(await before.page.getByRole("heading", { name: "Préparer la sortie" }).count()).toBe(0);

    // Ninety days before: the plan shows, built from the catalogue; a démarche starts from it.
    await control("clock", { now: `${showsFrom}T10:00:00.000Z` });
    const during = await newPage(browser);
    await openBruno(during.page);
    await during.page.getByRole("heading", { name: "Préparer la sortie" }).waitFor();
    await during.page.getByText("Libération prévue dans 90 jours").waitFor();
    await expectAccessible(during.page);
    await during.page
      .getByRole("button", { name: "Créer la démarche : Affiliation à l'Assurance maladie" })
      .click();
    await during.page
      .getByRole("row")
      .filter({ hasText: "Affiliation à l'Assurance maladie" })
      .getByText("En cours")
      .waitFor();
    // The summary counts it in progress, apart from those still to do.
    await during.page.getByText(/Sur \d+ démarches du plan : \d+ à faire et 1 en cours\./).waitFor();
    await expectAccessible(during.page);
    expect(during.problems).toEqual([]);
  });

  it("a SAS takes a reliquat of two years at most; its places are counted, a full one warned of, not refused", async () => {
    await control("clock", { now: null });
    const today = parisDay(new Date());
    const limit = formatDate(sasLatestRelease(today));
    const direction = await newPage(browser);
    await logInWithSecondFactor(direction.page, "direction@demo.passerelle.fr", "Hélène Bernard");
    await navigate(direction.page, "Milieu fermé");
    const places = direction.page.getByRole("region", { name: "Places des SAS" });
    const line = places.getByRole("listitem").filter({ hasText: "SAS de Meaux" });
    await line.getByText(/^SAS de Meaux : \d+ places? occupées? sur 60$/).waitFor();
    const occupied = Number((await line.textContent())?.match(/: (\d+) place/)?.[1]);
    expect(occupied).toBeGreaterThan(0);
    await expectAccessible(direction.page);

    // A renewal typed in the past would take the agent's access away: asked first, nothing saved when
    // dismissed, what was typed kept.
    const access = direction.page.getByRole("form", { name: "Enregistrer une autorisation" });
    const yesterday = addDays(today, -1);
    await access.getByLabel("Établissement", { exact: true }).selectOption({ label: PRISON });
    await access.getByLabel("Agent", { exact: true }).selectOption({ index: 1 });
    await access.getByLabel(/^Référence/).fill("CP77-AUT-TYPO");
    await access.getByLabel("Valable jusqu'au").fill(yesterday);
    const asked: string[] = [];
    direction.page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await access.getByRole("button", { name: "Enregistrer l'autorisation" }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/est déjà passé : l'autorisation sera enregistrée comme expirée/);
    expect(await access.getByLabel("Valable jusqu'au").inputValue()).toBe(yesterday);
    expect(await direction.page.getByText("CP77-AUT-TYPO").count()).toBe(0);
    // The date corrected (still valid for that agent): the form empties and says, focused, which
    // authorisation was recorded — its row joins the table above, out of sight on a phone.
    await access.getByLabel("Valable jusqu'au").fill(addDays(today, 400));
    await access.getByRole("button", { name: "Enregistrer l'autorisation" }).click();
    const recorded = access.getByRole("status").filter({
      hasText:
        /^Autorisation d.+ au Centre pénitentiaire de Meaux-Chauconin enregistrée, valable jusqu'au \d{2}\/\d{2}\/\d{4}\.$/,
    });
    await recorded.waitFor();
    await expect.poll(() => recorded.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await access.getByLabel(/^Référence/).inputValue()).toBe("");
    await direction.page
      .getByRole("table", { name: "Autorisations d'accès" })
      .getByText("CP77-AUT-TYPO")
      .waitFor();
    await expectAccessible(direction.page);
    // Withdrawing one asks under the table, in the page's words (no browser pop-up); « Garder » gives
    // the focus back to the row's button and withdraws nothing.
    const authorisations = direction.page.getByRole("table", { name: "Autorisations d'accès" });
    const rowsBefore = await authorisations.getByRole("row").count();
    const focused = () => direction.page.evaluate(() => document.activeElement?.textContent?.trim());
    await authorisations
      .getByRole("button", { name: /^Retirer l'autorisation/ })
      .first()
      .click();
    await direction.page.getByText(/^Retirer l'autorisation .+ \?$/).waitFor();
    await expect.poll(focused).toBe("Confirmer le retrait");
    await direction.page.getByRole("button", { name: "Garder l'autorisation" }).click();
    await expect.poll(focused).toBe("Retirer");
    expect(await authorisations.getByRole("row").count()).toBe(rowsBefore);

    const { page, problems } = await newPage(browser);
    await openBruno(page);
    await page.getByRole("link", { name: "Modifier le dossier" }).click();
    await page.getByLabel("Établissement de détention").selectOption({ label: "SAS de Meaux" });
    // The rule under the release date, with the server's day; the date is no longer optional.
    await page
      .getByText(`Reliquat de peine de deux ans au plus en SAS : au plus tard le ${limit}.`)
      .waitFor();
    const release = page.getByLabel(/^Date de libération prévue/);
    await release.fill(addDays(sasLatestRelease(today), 1));
    await page.getByRole("button", { name: "Enregistrer les corrections" }).click();
    const refusal = `Une SAS accueille des personnes dont le reliquat de peine est de deux ans au plus : la sortie prévue doit être au plus tard le ${limit}.`;
    await page.locator(".fr-input-group--error").getByText(refusal).waitFor();
    await page
      .getByRole("alert")
      .getByRole("link", { name: `Date de libération prévue : ${refusal}` })
      .waitFor();
    expect(await release.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page);

    // The direction sets the SAS's places to those taken: the page says it is full.
    const session = await (await direction.page.request.get(`${baseUrl()}/api/auth/session`)).json();
    const structureId = session.memberships[0].structureId as string;
    const overview = await (
      await direction.page.request.get(`${baseUrl()}/api/structures/${structureId}`)
    ).json();
    const sas = overview.sites.find((s: { name: string }) => s.name === "SAS de Meaux");
    const setCapacity = (capacity: number) =>
      direction.page.request.put(`${baseUrl()}/api/structures/${structureId}/sites/${sas.id}`, {
        headers: { "x-csrf-token": session.csrfToken },
        data: { ...sas, id: undefined, capacity },
      });
    expect((await setCapacity(occupied)).status()).toBe(200);
    try {
      await direction.page.reload();
      await line.getByText("Complète").waitFor();

      // The CPIP's form warns before saving into the full SAS; the agent may pass the warning.
      await page.reload();
      await page.getByLabel("Établissement de détention").selectOption({ label: "SAS de Meaux" });
      // Said under the establishment as soon as it is chosen...
      await page
        .locator(".fr-select-group")
        .getByText(`La SAS de Meaux est complète (${occupied} place`)
        .waitFor();
      await release.fill(addDays(today, 200));
      // ...and asked before saving.
      await page.getByRole("button", { name: "Enregistrer les corrections" }).click();
      const warning = page.getByRole("dialog", { name: "Placer la personne dans une SAS complète ?" });
      await warning.getByText(/vérifiez les sorties non enregistrées/).waitFor();
      await expectAccessible(page);
      await warning.getByRole("button", { name: "Enregistrer quand même" }).click();
      await page.waitForURL(/onglet=historique/);
      await direction.page.reload();
      await line.getByText(`SAS de Meaux : ${occupied + 1} places occupées sur ${occupied}`).waitFor();
      await line.getByText("Dépassée").waitFor();
    } finally {
      expect((await setCapacity(60)).status()).toBe(200);
    }
    expect(problems).toEqual([]);
    expect(direction.problems).toEqual([]);
  });
});
