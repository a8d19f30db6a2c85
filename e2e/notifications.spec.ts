import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BrevoSms } from "../src/server/testing/fakeBrevo";
import type { ReceivedMail } from "../src/server/testing/smtpSink";
import {
  baseUrl,
  control,
  expectAccessible,
  launchBrowser,
  logIn,
  newPage,
  openMyPerson,
  waitForMessage,
} from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(() => control("clock", { now: null }));
afterAll(() => browser.close());

describe("convocation messages", () => {
  it("a CPIP books with SMS and email: both reach the person, the letter opens, the counselor marks the visit honoured and records it", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await openMyPerson(page, "ROUX Julien");
    const personId = page.url().split("/personnes/")[1]!;
    await page.getByRole("link", { name: "Convoquer à une permanence" }).click();
    await page.getByLabel("Lieu").selectOption({ label: "Fontainebleau" });
    await page
      .getByRole("group", { name: /^Créneau du / })
      .getByText(/· Fontainebleau$/)
      .first()
      .click();
    await page.getByText(/^Convocation le .+ à Fontainebleau/).waitFor();
    await page.getByText("Emploi", { exact: true }).click();
    const smsChoice = page.getByRole("group", { name: "Envoyer la convocation par SMS ?" });
    await smsChoice.getByText("Au 06 00 00 00 02").waitFor();
    await smsChoice.getByText("Oui").click();
    await page.getByRole("group", { name: "Envoyer la convocation par courriel ?" }).getByText("Oui").click();
    await page.getByRole("button", { name: "Convoquer" }).click();
    await page.getByRole("heading", { name: "Convocation enregistrée" }).waitFor();
    await page.getByText("La personne sera prévenue comme vous l'avez choisi.").waitFor();

    const letterHref = await page
      .getByRole("link", { name: "Imprimer la lettre de convocation" })
      .getAttribute("href");
    const letter = await page.request.get(`${baseUrl()}${letterHref}`);
    expect(letter.headers()["content-type"]).toBe("application/pdf");
    expect((await letter.body()).subarray(0, 5).toString()).toBe("%PDF-");

    const sms = await waitForMessage<BrevoSms>("sms", (s) => s.recipient === "33600000002");
    expect(sms.content).toMatch(
      /^France services : rendez-vous le \p{L}+ \d+(?:er)? \p{L}+ 2\d{3} à \d+ h \d\d, Fontainebleau/u,
    );
    expect(sms.content).toMatch(new RegExp(`STOP SMS : ${baseUrl()}/stop/[A-Za-z0-9]{12}$`));
    const mail = await waitForMessage<ReceivedMail>("mails", (m) => m.to === "julien.roux@exemple.invalid");
    expect(mail.subject).toMatch(/^Votre rendez-vous France services du /);
    await control("receipt", { messageId: sms.messageId, status: "delivered" });
    expect(problems).toEqual([]);

    // Time passes: the appointment has started, for the server and for the counselor's browser.
    const listed = await page.request.get(`${baseUrl()}/api/convocations?personId=${personId}`);
    const { convocations } = (await listed.json()) as {
      convocations: { startsAt: string; status: string }[];
    };
    const booked = convocations.find((c) => c.status === "planned")!;
    const during = new Date(new Date(booked.startsAt).getTime() + 10 * 60_000);
    await control("clock", { now: during.toISOString() });
    const counselor = await newPage(browser);
    await counselor.page.clock.install({ time: during });
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await counselor.page.getByText(/convocations? passées? à renseigner/).waitFor();
    await counselor.page.getByRole("link", { name: "Voir les convocations" }).click();
    // Each convocation once: the one to fill in carries the badge.
    const row = counselor.page
      .getByRole("row")
      .filter({ hasText: "ROUX Julien" })
      .filter({ has: counselor.page.locator(".fr-badge", { hasText: "À renseigner" }) });
    await expectAccessible(counselor.page);
    await row.getByRole("button", { name: "Honorée" }).click();
    await counselor.page.getByText(/Statut enregistré : Honorée — ROUX Julien/).waitFor();
    await counselor.page
      .getByRole("row")
      .filter({ hasText: "ROUX Julien" })
      .locator(".fr-badge", { hasText: "Honorée" })
      .waitFor();

    // The visit, on one page: duration, autonomy, a new démarche, a need, the suggested next convocation.
    await counselor.page
      .getByRole("row")
      .filter({ hasText: "ROUX Julien" })
      .getByRole("link", { name: "Saisir la visite" })
      .click();
    await counselor.page.getByRole("heading", { name: "Visite de ROUX Julien" }).waitFor();
    await counselor.page.getByLabel("Durée (minutes)").fill("40");
    await counselor.page.getByText("Autonome avec de l'aide").click();
    await counselor.page.getByRole("button", { name: "Ajouter une démarche" }).click();
    await counselor.page
      .getByLabel("Démarche", { exact: true })
      .selectOption({ label: "Complémentaire santé solidaire (CSS)" });
    await counselor.page
      .getByLabel("Niveau d'aide")
      .selectOption({ label: "Démarche faite avec ou pour la personne" });
    await counselor.page.getByLabel("Statut", { exact: true }).selectOption({ label: "Déposée" });
    await counselor.page.getByLabel("Besoin aujourd'hui : Santé").selectOption({ label: "Besoin" });
    await counselor.page.getByLabel("Priorité : Santé").selectOption({ label: "Haute" });
    await counselor.page
      .getByLabel("Proposer au CPIP une nouvelle convocation")
      .selectOption({ label: "Sous 15 jours" });
    await expectAccessible(counselor.page);
    await counselor.page.getByRole("button", { name: "Enregistrer la visite" }).click();
    await counselor.page.getByRole("heading", { name: "ROUX Julien", level: 1 }).waitFor();
    const demarches = counselor.page.getByRole("table", { name: "Démarches de la personne" });
    await demarches
      .getByRole("row")
      .filter({ hasText: "Complémentaire santé solidaire" })
      .locator(".fr-badge", { hasText: "Déposée" })
      .waitFor();
    await expectAccessible(counselor.page);
    expect(counselor.problems).toEqual([]);

    // The referent CPIP sees the progress (logging in again: for the server, days went by).
    await logIn(page, "cpip@demo.passerelle.fr");
    await page.getByRole("heading", { name: "Bonjour Camille Martin" }).waitFor();
    await page.goto(`${baseUrl()}/personnes/${personId}`);
    await page
      .getByRole("table", { name: "Démarches de la personne" })
      .getByRole("row")
      .filter({ hasText: "Complémentaire santé solidaire" })
      .locator(".fr-badge", { hasText: "Déposée" })
      .waitFor();
    await page
      .getByRole("table", { name: "Visites à la permanence" })
      .getByText("Reconvoquer sous 15 jours")
      .waitFor();
  });

  it("the stop link of the SMS works without logging in", async () => {
    const sms = await waitForMessage<BrevoSms>("sms", (s) => s.recipient === "33600000002");
    const stopUrl = sms.content.split("STOP SMS : ")[1]!;
    const { page, problems } = await newPage(browser);
    await page.goto(stopUrl);
    await page.getByRole("heading", { name: "Ne plus recevoir de SMS" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Je ne veux plus recevoir de SMS" }).click();
    await page.getByText("C'est noté : vous ne recevrez plus de SMS de France services.").waitFor();
    expect(problems).toEqual([]);
  });
});
