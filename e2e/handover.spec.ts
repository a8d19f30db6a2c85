import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parisDay } from "../src/common/calendar";
import {
  baseUrl,
  control,
  expectAccessible,
  launchBrowser,
  logIn,
  logInWithSecondFactor,
  navigate,
  newPage,
  shoot,
  verticalGaps,
  waitForMessage,
} from "./support";

// Issue 14 (ADR 0029): the handover meeting before release, and a transfer between structures.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await control("clock", { now: null });
  await browser.close();
});

const inDays = (n: number): string => parisDay(new Date(Date.now() + n * 86_400_000));

async function signIn(page: Page, email: string): Promise<void> {
  await logIn(page, email);
  await page.getByRole("heading", { level: 1, name: /^Bonjour/ }).waitFor();
}

async function openFile(page: Page, search: string, lastName: string): Promise<void> {
  await page.goto(`${baseUrl()}/personnes?search=${encodeURIComponent(search)}`);
  await page
    .getByRole("link", { name: new RegExp(lastName, "i") })
    .first()
    .click();
  await page.getByRole("heading", { level: 1, name: new RegExp(lastName, "i") }).waitFor();
}

interface Mail {
  to: string;
  subject: string;
  text: string;
}

describe("handover meeting (milieu fermé → milieu ouvert)", () => {
  it("the milieu fermé CPIP schedules, holds the meeting and passes the file with the first convocation booked", async () => {
    let { page, problems } = await newPage(browser);
    await signIn(page, "cpip@demo.passerelle.fr");
    await openFile(page, "anthony garcia", "garcia");
    await page.getByRole("link", { name: "Passage de relais" }).click();
    await page.getByRole("heading", { level: 1, name: /Passage de relais/ }).waitFor();
    await expectAccessible(page);

    const day = inDays(2);
    await page.getByLabel("Date de la réunion").fill(day);
    await page.getByLabel("Heure").fill("10:00");
    await page
      .getByLabel("Adresse ou salle")
      .fill("Centre pénitentiaire de Meaux-Chauconin, salle des audiences");
    await page.getByRole("checkbox", { name: /Nicolas Petit/ }).check({ force: true });
    await page.getByRole("checkbox", { name: /Inès Moreau/ }).check({ force: true });
    await page.getByLabel("Nom du participant").fill("Martine Lefort");
    // A wrong e-mail is said under the e-mail field, which takes the focus (not the name's).
    await page.getByLabel("Adresse électronique").fill("m.lefort");
    // An organisation too long is said under its own field, named in the summary.
    await page.getByLabel("Organisme").fill("S".repeat(121));
    await page.getByRole("button", { name: "Programmer et envoyer les invitations" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("email");
    expect(await page.getByLabel("Adresse électronique").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Nom du participant").getAttribute("aria-invalid")).toBeNull();
    expect(await page.getByLabel("Organisme").getAttribute("aria-invalid")).toBe("true");
    await page.getByRole("link", { name: "Organisme du partenaire : 120 caractères au plus." }).waitFor();
    await page.getByLabel("Adresse électronique").fill("m.lefort@siao77.exemple.fr");
    await page.getByLabel("Organisme").fill("SIAO 77");
    await page.getByRole("button", { name: "Programmer et envoyer les invitations" }).click();
    await page.getByRole("heading", { name: /Réunion du .* Prévue/ }).waitFor();
    // The form gave way to the meeting: the page says so, with the focus.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toContain("Réunion programmée");
    // Moved an hour later from the page: the participants get an update of the same event.
    await page.getByRole("button", { name: "Déplacer la réunion" }).click();
    await page.getByLabel("Heure").fill("11:00");
    await page.getByRole("button", { name: "Déplacer et prévenir les participants" }).click();
    await page.getByRole("heading", { name: /Réunion du .* à 11 h 00 Prévue/ }).waitFor();
    // The page says so, with the focus (not back on « Déplacer la réunion »).
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toContain("Réunion déplacée");
    await waitForMessage<Mail>(
      "mails",
      (m) => m.to.includes("m.lefort@siao77.exemple.fr") && m.subject.startsWith("Modification"),
    );
    // Cancelling asks first, in a dialog, for its reason (sent to the participants): without one, the
    // field says so and nothing is cancelled; kept, the focus goes back to the button.
    await page.getByRole("button", { name: "Annuler la réunion" }).click();
    const cancelDialog = page.getByRole("dialog", { name: "Annuler la réunion de passage de relais ?" });
    await cancelDialog.waitFor();
    await cancelDialog.getByRole("button", { name: "Annuler la réunion" }).click();
    await cancelDialog
      .getByText("Indiquez le motif de l'annulation : il est envoyé aux participants avec l'annulation.")
      .first()
      .waitFor();
    await expectAccessible(page);
    await cancelDialog.getByRole("button", { name: "Garder la réunion" }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe("Annuler la réunion");
    const invitation = await waitForMessage<Mail>("mails", (m) =>
      m.to.includes("m.lefort@siao77.exemple.fr"),
    );
    expect(invitation.subject).toContain("Invitation");
    expect(invitation.text).toContain("une personne accompagnée");
    expect(invitation.text).not.toContain("Garcia");
    await waitForMessage<Mail>(
      "mails",
      (m) => m.to.includes("cpip2@demo.passerelle.fr") && m.text.includes("Garcia"),
    );

    // Before the meeting, the file cannot pass yet: the form waits for the meeting.
    await page.getByText("La réunion n'a pas encore eu lieu").waitFor();
    expect(await page.getByRole("button", { name: "Transmettre le dossier" }).count()).toBe(0);
    await expectAccessible(page);
    expect(problems).toEqual([]);

    // The day of the meeting, once it began (server and browser clocks).
    const during = new Date(`${day}T12:00:00.000Z`);
    await control("clock", { now: during.toISOString() });
    ({ page, problems } = await newPage(browser));
    await page.clock.install({ time: during });
    await signIn(page, "cpip@demo.passerelle.fr");
    await openFile(page, "anthony garcia", "garcia");
    await page.getByRole("link", { name: "Passage de relais" }).click();
    await page.getByRole("heading", { name: /Réunion du .* Prévue/ }).waitFor();

    // Completing without the required fields says what is missing, under each field.
    await page.getByRole("button", { name: "Transmettre le dossier" }).click();
    await page.getByText("Rédigez le compte rendu de la réunion.").first().waitFor();
    await expectAccessible(page);

    await page
      .getByLabel("Compte rendu")
      .fill("Réunion tenue avec M. Garcia, la CPIP, le CPIP du milieu ouvert et le SIAO.");
    await page.getByLabel("Décisions").fill("Inscription France Travail à la sortie ; hébergement SIAO.");
    await page
      .getByRole("checkbox", { name: /La personne consent au passage de relais/ })
      .check({ force: true });
    await page.getByLabel("Comment le consentement a été recueilli").fill("Accord écrit signé en réunion");
    await page.getByRole("radio", { name: "Présente à la réunion" }).check({ force: true });
    await shoot(page, "handover-presence", page.getByRole("group", { name: /Présence de la personne/ }));
    await page.getByLabel("CPIP référent en milieu ouvert").selectOption({ label: "Nicolas Petit" });
    const slot = page.getByLabel("Première convocation en milieu ouvert");
    await expect.poll(() => slot.locator("option").count()).toBeGreaterThan(1);
    await slot.selectOption({ index: 1 });
    // The SMS not chosen: said under that choice, not under the slot that is chosen.
    await page.getByRole("button", { name: "Transmettre le dossier" }).click();
    await page.getByText("Choisissez d'envoyer ou non un SMS.").first().waitFor();
    expect(await slot.getAttribute("aria-invalid")).toBeNull();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("radio");
    await page.getByRole("radio", { name: /Non \(lettre remise/ }).check({ force: true });
    await page.getByRole("button", { name: "Transmettre le dossier" }).click();
    // The notice stays once the meeting is held (and the form gone), with the focus.
    await page.getByRole("heading", { name: /Réunion du .* Tenue/ }).waitFor();
    await page.getByText("Dossier transmis : il est confié au référent du milieu ouvert").waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toContain("Dossier transmis");
    await page.getByRole("heading", { name: /Réunion du .* Tenue/ }).waitFor();
    await expectAccessible(page);
    expect(problems).toEqual([]);

    // The milieu ouvert CPIP now refers the person, with the first convocation booked.
    const other = await newPage(browser);
    await signIn(other.page, "cpip2@demo.passerelle.fr");
    await openFile(other.page, "anthony garcia", "garcia");
    await other.page.getByText("Nicolas Petit").first().waitFor();
    await other.page.getByText("Milieu ouvert").first().waitFor();
    await expect.poll(() => other.page.locator("#convocations").getByRole("row").count()).toBeGreaterThan(1);
    expect(other.problems).toEqual([]);
    await control("clock", { now: null });
  }, 240_000);

  it("the first convocation on a half-day the person already has one: the server's warning under the slot, then « Transmettre le dossier quand même »", async () => {
    // Thomas Lambert's meeting (demo) is planned in three days: once it began (server and browser
    // clocks), his CPIP books him, after his release, in a half-day the meeting then picks again.
    const before = await newPage(browser);
    await signIn(before.page, "cpip@demo.passerelle.fr");
    const read = async <T>(page: Page, path: string): Promise<T> =>
      (await (await page.request.get(`${baseUrl()}${path}`)).json()) as T;
    const { people } = await read<{ people: { id: string }[] }>(
      before.page,
      "/api/people?search=Lambert%20Thomas",
    );
    const personId = people[0]?.id ?? "";
    const { meetings } = await read<{
      meetings: { id: string; status: string; startsAt: string; releaseDate: string }[];
    }>(before.page, `/api/people/${personId}/handover`);
    const meeting = meetings.find((m) => m.status === "planned");
    expect(meeting).toBeDefined();
    expect(before.problems).toEqual([]);
    const during = new Date(Date.parse(meeting?.startsAt ?? "") + 2 * 3_600_000);
    await control("clock", { now: during.toISOString() });
    try {
      const { page, problems } = await newPage(browser);
      await page.clock.install({ time: during });
      await signIn(page, "cpip@demo.passerelle.fr");
      const api = <T>(path: string): Promise<T> => read<T>(page, path);
      const { csrfToken } = await api<{ csrfToken: string }>("/api/auth/session");
      const { slots } = await api<{ slots: { siteId: string; siteName: string; startsAt: string }[] }>(
        `/api/handovers/${meeting?.id}/slots`,
      );
      // Two slots of one Paris half-day after the release day (13:00 parts the day, ADR 0003).
      const halfDay = (iso: string) => {
        const day = parisDay(new Date(iso));
        const hour = Number(
          new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "numeric" }).formatToParts(
            new Date(iso),
          )[0]?.value,
        );
        return `${day} ${hour < 13 ? "matin" : "après-midi"}`;
      };
      const after = slots.filter((s) => parisDay(new Date(s.startsAt)) > (meeting?.releaseDate ?? ""));
      const existing = after.find((s) =>
        after.some((o) => o.startsAt !== s.startsAt && halfDay(o.startsAt) === halfDay(s.startsAt)),
      );
      const chosen = after.find(
        (o) => o.startsAt !== existing?.startsAt && halfDay(o.startsAt) === halfDay(existing?.startsAt ?? ""),
      );
      const elsewhere = slots.find((s) => halfDay(s.startsAt) !== halfDay(existing?.startsAt ?? ""));
      expect(chosen && elsewhere).toBeDefined();
      const booked = await page.request.post(`${baseUrl()}/api/convocations`, {
        headers: { "x-csrf-token": csrfToken },
        data: {
          personId,
          siteId: existing?.siteId,
          startsAt: existing?.startsAt,
          needDomains: ["logement-hebergement"],
          notifySms: false,
          notifyEmail: false,
        },
      });
      expect(booked.status(), await booked.text()).toBe(200);
      await page.goto(`${baseUrl()}/personnes/${personId}/passage-de-relais`);
      await page.getByRole("heading", { name: /Réunion du .* Prévue/ }).waitFor();
      await page.getByLabel("Compte rendu").fill("Réunion tenue avec M. Lambert et le SIAO.");
      await page.getByLabel("Décisions").fill("Hébergement SIAO à la sortie.");
      await page
        .getByRole("checkbox", { name: /La personne consent au passage de relais/ })
        .check({ force: true });
      await page.getByLabel("Comment le consentement a été recueilli").fill("Accord oral en réunion");
      await page.getByRole("radio", { name: "Présente à la réunion" }).check({ force: true });
      await page.getByLabel("CPIP référent en milieu ouvert").selectOption({ label: "Nicolas Petit" });
      const slot = page.getByLabel("Première convocation en milieu ouvert");
      await expect.poll(() => slot.locator("option").count()).toBeGreaterThan(1);
      await slot.selectOption(`${chosen?.siteId}|${chosen?.startsAt}`);
      await page.getByRole("radio", { name: /Non \(lettre remise/ }).check({ force: true });
      // Nothing said before the server's refusal: the button passes the file.
      expect(await page.getByText(/Transmettre le dossier quand même/).count()).toBe(0);
      await page.getByRole("button", { name: "Transmettre le dossier", exact: true }).click();
      // Refused (409 convocation.sameHalfDay): the server's message, naming the other convocation, right
      // under the slot with the focus; the button now confirms, for that slot only.
      const warning = page.getByText(/Pour confirmer, cliquez sur « Transmettre le dossier quand même »/);
      await warning.waitFor();
      expect(await warning.innerText()).toContain(existing?.siteName ?? "?");
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ""))
        .toContain("Transmettre le dossier quand même");
      for (const gap of await verticalGaps(page, slot, warning)) expect(gap).toBeLessThan(40);
      await page.getByRole("heading", { name: /Réunion du .* Prévue/ }).waitFor();
      await expectAccessible(page);
      await slot.selectOption(`${elsewhere?.siteId}|${elsewhere?.startsAt}`);
      await page.getByRole("button", { name: "Transmettre le dossier", exact: true }).waitFor();
      expect(await warning.count()).toBe(0);
      await slot.selectOption(`${chosen?.siteId}|${chosen?.startsAt}`);
      await page.getByRole("button", { name: "Transmettre le dossier quand même" }).click();
      await page.getByRole("heading", { name: /Réunion du .* Tenue/ }).waitFor();
      await page.getByText("Dossier transmis : il est confié au référent du milieu ouvert").waitFor();
      // Both convocations stand: the one booked before and the first one of the handover.
      const { convocations } = await api<{ convocations: { startsAt: string; status: string }[] }>(
        `/api/convocations?personId=${personId}`,
      );
      expect(
        convocations
          .filter((c) => c.status === "planned")
          .map((c) => c.startsAt)
          .sort(),
      ).toEqual([existing?.startsAt, chosen?.startsAt].sort());
      expect(problems).toEqual([]);
    } finally {
      await control("clock", { now: null });
    }
  }, 240_000);

  it("a person in milieu ouvert: no meeting to plan, the page says why and points to the transfer", async () => {
    const { page, problems } = await newPage(browser);
    await signIn(page, "cpip@demo.passerelle.fr");
    await openFile(page, "sebastien roux", "roux");
    await page.getByRole("link", { name: "Passage de relais" }).click();
    await page.getByRole("heading", { level: 1, name: /Passage de relais/ }).waitFor();
    await page.getByText("ce dossier n'est pas en détention").waitFor();
    expect(await page.getByRole("button", { name: "Programmer et envoyer les invitations" }).count()).toBe(0);
    await page.getByRole("link", { name: "proposez un transfert" }).waitFor();
    await expectAccessible(page);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe("transfer between structures", () => {
  it("the referent proposes a transfer to SPIP 91, whose direction accepts it", async () => {
    const { page, problems } = await newPage(browser);
    await signIn(page, "cpip@demo.passerelle.fr");
    await openFile(page, "lucas fontaine", "fontaine");
    await page.getByRole("link", { name: "Transférer" }).click();
    await page.getByRole("heading", { level: 1, name: /Transférer le dossier/ }).waitFor();
    await page.getByRole("button", { name: "Proposer le transfert" }).click();
    await page.getByText("Indiquez si la personne consent").first().waitFor();
    await expectAccessible(page);
    await page
      .getByLabel("Structure qui reprend le suivi")
      .selectOption({ label: "France services SPIP 91 – Médiation Essonne" });
    await page.getByLabel("Motif du transfert").fill("Déménagement à Étampes chez ses parents.");
    await page.getByRole("radio", { name: "Oui" }).check({ force: true });
    await page.getByLabel("Comment le consentement a été recueilli").fill("Accord écrit du jour");
    await page.getByRole("button", { name: "Proposer le transfert" }).click();
    await page.getByText("Proposé", { exact: true }).waitFor();
    await expectAccessible(page);
    // A proposal not answered yet may be withdrawn, after a confirmation (kept here).
    await page.getByRole("button", { name: "Retirer la proposition" }).click();
    await page.getByRole("heading", { name: /Retirer la proposition faite à/ }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Garder la proposition" }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe("Retirer la proposition");
    // Withdrawn: it reads « Retiré », and the form shows again empty for a new proposal.
    await page.getByRole("button", { name: "Retirer la proposition" }).click();
    await page.getByRole("button", { name: "Confirmer le retrait" }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toContain("Proposition de transfert à France services SPIP 91 – Médiation Essonne retirée.");
    await page.getByText("Retiré", { exact: true }).waitFor();
    expect(await page.getByLabel("Structure qui reprend le suivi").inputValue()).toBe("");
    expect(await page.getByLabel("Motif du transfert").inputValue()).toBe("");
    expect(await page.getByRole("radio", { name: "Oui" }).isChecked()).toBe(false);
    await page
      .getByLabel("Structure qui reprend le suivi")
      .selectOption({ label: "France services SPIP 91 – Médiation Essonne" });
    await page.getByLabel("Motif du transfert").fill("Déménagement à Étampes chez ses parents.");
    await page.getByRole("radio", { name: "Oui" }).check({ force: true });
    await page.getByLabel("Comment le consentement a été recueilli").fill("Accord écrit du jour");
    await page.getByRole("button", { name: "Proposer le transfert" }).click();
    await page.getByText("Proposé", { exact: true }).waitFor();
    expect(problems).toEqual([]);

    const direction = await newPage(browser);
    await logInWithSecondFactor(direction.page, "direction.essonne@demo.passerelle.fr", "Claire Morel");
    await navigate(direction.page, "Milieu fermé", "Transferts reçus");
    await direction.page.getByRole("heading", { level: 1, name: "Transferts reçus" }).waitFor();
    const card = direction.page.locator("section.fr-card").filter({ hasText: "FONTAINE Lucas" });
    await card.waitFor();
    await expectAccessible(direction.page);
    // Nothing chosen, nothing sent: the referent to choose and the reason to give are said under them.
    await card.getByRole("button", { name: "Accepter le transfert" }).click();
    await card.getByText("Choisissez le CPIP référent.").first().waitFor();
    expect(await card.getByLabel("CPIP référent").getAttribute("aria-invalid")).toBe("true");
    await card.getByRole("button", { name: "Refuser…" }).click();
    await card.getByRole("button", { name: "Confirmer le refus" }).click();
    await card.getByText("Indiquez le motif du refus.").first().waitFor();
    expect(await card.getByLabel("Motif du refus").getAttribute("aria-invalid")).toBe("true");
    await card.getByLabel("Motif du refus").press("Escape");
    await card.getByRole("button", { name: "Refuser…" }).waitFor();
    await card.getByLabel("CPIP référent").selectOption({ label: "Julien Garnier" });
    await card.getByRole("button", { name: "Accepter le transfert" }).click();
    await direction.page.getByText("Transfert accepté").waitFor();
    await direction.page.getByRole("link", { name: "Voir le dossier" }).click();
    await direction.page.getByRole("heading", { level: 1, name: /Fontaine/i }).waitFor();
    await direction.page.getByText("Julien Garnier").first().waitFor();
    // A structure without a prison nor a SAS has no authorisation to record: no form that could
    // only fail, the page says where to add an establishment.
    await navigate(direction.page, "Milieu fermé");
    const access = direction.page.getByRole("region", { name: "Autorisations d'accès aux établissements" });
    await access.getByText("La structure n'a pas d'établissement pénitentiaire ni de SAS").waitFor();
    await access.getByRole("link", { name: "Structure et lieux" }).waitFor();
    expect(await direction.page.getByRole("form", { name: "Enregistrer une autorisation" }).count()).toBe(0);
    await expectAccessible(direction.page);
    expect(direction.problems).toEqual([]);

    // The CPIP chosen finds the person among the files passed to them, read-only.
    const receiving = await newPage(browser);
    await signIn(receiving.page, "cpip.essonne@demo.passerelle.fr");
    await navigate(receiving.page, "Milieu fermé", "Transferts reçus");
    await receiving.page.getByRole("heading", { level: 2, name: "Dossiers qui vous sont confiés" }).waitFor();
    await receiving.page.getByRole("link", { name: /FONTAINE Lucas/ }).waitFor();
    expect(await receiving.page.getByRole("button", { name: "Accepter le transfert" }).count()).toBe(0);
    await expectAccessible(receiving.page);
    expect(receiving.problems).toEqual([]);
  }, 240_000);
});
