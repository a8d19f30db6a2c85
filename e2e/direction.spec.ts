import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRAINING_IN_FUTURE } from "../src/common/structures/structures.schema";
import { DEMO_PASSWORD } from "../src/server/db/seed/demo";
import type { ReceivedMail } from "../src/server/testing/smtpSink";
import { UNTRAINED_HINT } from "../src/web/pages/agenda/poolOptions";
import {
  baseUrl,
  expectAccessible,
  launchBrowser,
  logIn,
  logInWithSecondFactor,
  navigate,
  newPage,
  setUpStructure,
  shoot,
  verticalGaps,
  waitForMessage,
} from "./support";

// Issue 11, "direction and partners": the partner's inbox, "mot de passe oublié", and the
// direction's own journeys (its second factor enrolled on first use, see logInWithSecondFactor).
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

const DIRECTION = { email: "direction@demo.passerelle.fr", name: "Hélène Bernard" };

/** The "Changer de mot de passe" form (Mon compte, or the page a temporary password leads to). */
async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByLabel("Mot de passe actuel").fill(current);
  await page.getByLabel("Nouveau mot de passe").fill(next);
  await page.getByRole("button", { name: "Changer le mot de passe" }).click();
}

describe("partner referent's inbox", () => {
  it("is headed with the partner's own name and files closed or withdrawn items under 'Clôturées'", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "partenaire@demo.passerelle.fr");
    await page.getByRole("heading", { name: "Bonjour Sophie Garnier" }).waitFor();
    await page.getByText("CAF (Caisse d'allocations familiales)").first().waitFor();
    expect(
      await page.getByText("France services SPIP 77 – PIMM'S Médiation 77", { exact: true }).count(),
    ).toBe(0);
    await page.getByRole("heading", { name: /^En cours/ }).waitFor();
    await page.getByRole("heading", { name: /^Clôturées/ }).waitFor();
    expect(await page.getByText("Consentement retiré", { exact: true }).count()).toBe(0);
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });
});

describe("mot de passe oublié", () => {
  it("sends a one-time link by e-mail; the new password works, the old one no longer", async () => {
    const email = "pilotage@demo.passerelle.fr";
    const newPassword = "le phare veille sur la baie";
    const { page, problems } = await newPage(browser);
    await page.goto(`${baseUrl()}/connexion`);
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await page.getByRole("heading", { name: "Mot de passe oublié", level: 1 }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await page.getByText("Saisissez l'adresse électronique.").first().waitFor();
    await expectAccessible(page);
    await page.getByLabel("Adresse électronique professionnelle").fill(email);
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await page
      .getByText(/Si un compte existe pour cette adresse, un lien vous a été envoyé ; il est valable 1 heure/)
      .waitFor();
    await expectAccessible(page);

    const mail = await waitForMessage<ReceivedMail>(
      "mails",
      (m) => m.to === email && m.subject === "Passerelle : choisir un nouveau mot de passe",
    );
    const token = mail.text.match(/\/nouveau-mot-de-passe#([A-Za-z0-9_-]+)/)?.[1] ?? "";
    expect(token).not.toBe("");
    await page.goto(`${baseUrl()}/nouveau-mot-de-passe#${token}`);
    await page.getByRole("heading", { name: "Choisir un nouveau mot de passe", level: 1 }).waitFor();
    // The token is dropped from the address bar and the history once read.
    expect(new URL(page.url()).hash).toBe("");
    await expectAccessible(page);
    await page.getByLabel("Mot de passe", { exact: true }).fill(newPassword);
    await page.getByLabel("Le même mot de passe, à nouveau").fill("une autre phrase de passe");
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
    await page.getByText("Saisissez deux fois le même mot de passe.").first().waitFor();
    await expectAccessible(page);
    await page.getByLabel("Le même mot de passe, à nouveau").fill(newPassword);
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
    await page.getByText("Votre mot de passe est modifié").waitFor();
    await expectAccessible(page);
    // The link works once (from another page: a change of the fragment alone would not reload it).
    await page.goto(`${baseUrl()}/connexion`);
    await page.goto(`${baseUrl()}/nouveau-mot-de-passe#${token}`);
    await page.getByLabel("Mot de passe", { exact: true }).fill(newPassword);
    await page.getByLabel("Le même mot de passe, à nouveau").fill(newPassword);
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
    await page.getByText("Ce lien n'est plus valable").waitFor();
    await expectAccessible(page);

    await logIn(page, email, DEMO_PASSWORD);
    await page.getByText("Adresse électronique ou mot de passe incorrect.").waitFor();
    await logIn(page, email, newPassword);
    await page.getByRole("heading", { name: "Bonjour Paul Lefebvre" }).waitFor();
    // The other journeys sign in with the demo password: it is put back.
    await page.goto(`${baseUrl()}/compte`);
    await changePassword(page, newPassword, DEMO_PASSWORD);
    await page.getByText("Mot de passe changé.").waitFor();
    expect(problems).toEqual([]);
  });
});

describe("service manager (direction)", () => {
  it("gives an agent a temporary password; the agent signs in with it and must choose another", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    // The home's committee section starts as far below the list of links as every home section
    // (fr-mb-6w: 48 px), at each width: not pressed against it.
    const links = page
      .getByRole("list")
      .filter({ has: page.getByRole("link", { name: /^Piloter l'activité/ }) });
    const committee = page.getByRole("heading", { name: "Comité de pilotage", level: 2 });
    await committee.waitFor();
    for (const gap of await verticalGaps(page, links, committee)) expect(gap).toBeGreaterThanOrEqual(48);
    await navigate(page, "Administration", "Agents");
    const row = page.getByRole("row", { name: /Nicolas Petit/ });
    await row.getByRole("button", { name: "Réinitialiser le mot de passe" }).click();
    await row.getByRole("button", { name: "Confirmer la réinitialisation" }).waitFor();
    await expectAccessible(page);
    // Clicked twice, one password is given (each request gave a new one), and it takes the focus.
    const resets: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/reset-password")) resets.push(request.url());
    });
    // Two clicks in one go, before the page is drawn again (as a quick double click may).
    await row
      .getByRole("button", { name: "Confirmer la réinitialisation" })
      .evaluate((button: HTMLElement) => {
        button.click();
        button.click();
      });
    const temporary = (await row.getByTestId("temporary-password").textContent()) ?? "";
    expect(temporary).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    expect(resets).toHaveLength(1);
    await expect
      .poll(() =>
        page.evaluate(() =>
          document.activeElement === document.body ? "" : document.activeElement?.textContent,
        ),
      )
      .toContain(`affiché une seule fois : ${temporary}.`);
    await expectAccessible(page);

    const agent = await newPage(browser);
    await logIn(agent.page, "cpip2@demo.passerelle.fr", DEMO_PASSWORD);
    await agent.page.getByText("Adresse électronique ou mot de passe incorrect.").waitFor();
    await logIn(agent.page, "cpip2@demo.passerelle.fr", temporary);
    await agent.page.getByRole("heading", { name: "Choisissez votre mot de passe", level: 1 }).waitFor();
    await expectAccessible(agent.page);
    // Back to the demo password, which the other journeys use.
    await changePassword(agent.page, temporary, DEMO_PASSWORD);
    await agent.page.getByRole("heading", { name: "Bonjour Nicolas Petit" }).waitFor();
    expect(agent.problems).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("records an agent's France services training; the untrained are greyed in the pool and listed on the home page", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    // Nicolas's training, removed as if recorded by mistake: he keeps his permanences, and is listed.
    await navigate(page, "Administration", "Agents");
    const row = page.getByRole("row", { name: /Nicolas Petit/ });
    await row.getByText("CNFPT").waitFor();
    await row.getByRole("button", { name: /^Modifier la formation/ }).click();
    const form = row.getByRole("form", { name: "Formation France services de Nicolas Petit" });
    await form.getByRole("button", { name: "Retirer la formation" }).click();
    // The question takes the focus; Escape leaves it alone (the form, itself a step of the row, stays
    // open), the focus back on « Retirer la formation ».
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await expect.poll(focused).toBe("Confirmer le retrait");
    // A reminder, not a refusal (ADR 0038): the question says he keeps his permanences.
    await form.getByText(/L'agent garde ses permanences ; s'il est dans le pool/).waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(focused).toBe("Retirer la formation");
    expect(await form.getByRole("button", { name: "Confirmer le retrait" }).count()).toBe(0);
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Confirmer le retrait");
    await form.getByRole("button", { name: "Confirmer le retrait" }).click();
    await row.getByText("Non enregistrée").waitFor();

    await navigate(page, "Accueil");
    const untrained = page.locator(".fr-alert", {
      has: page.getByRole("heading", { name: "Conseillers non formés dans un pool de permanence" }),
    });
    await untrained.getByText(/Nicolas Petit/).waitFor();
    await untrained.getByText(/Meaux, chaque mardi de 09:00 à 12:30/).waitFor();
    await shoot(page, "home-untrained-in-pools");
    await expectAccessible(page);

    // The pool picker says he is not trained (a reminder: he may still be chosen); Inès's date is shown.
    await navigate(page, "Permanences");
    const add = page.getByRole("form", { name: "Ajouter une permanence" });
    await add.getByText(UNTRAINED_HINT).waitFor();
    expect(await add.getByText(UNTRAINED_HINT).count()).toBe(1);
    expect(await add.getByRole("checkbox", { name: /^Nicolas Petit/ }).isDisabled()).toBe(false);
    await shoot(page, "openings-pool-training", add);
    await expectAccessible(page);

    // Recorded again: a day to come is refused under the field first.
    await navigate(page, "Administration", "Agents");
    await row.getByRole("button", { name: /^Enregistrer la formation/ }).click();
    const day = form.getByLabel("Date de la formation initiale France services");
    await day.fill(new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10));
    await form.getByRole("button", { name: "Enregistrer la formation" }).click();
    await form.getByText(TRAINING_IN_FUTURE).first().waitFor();
    await shoot(page, "agents-training-error");
    await expectAccessible(page);
    await day.fill(new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10));
    await form.getByLabel("Organisme de formation (facultatif)").fill("CNFPT");
    await form.getByRole("button", { name: "Enregistrer la formation" }).click();
    await row.getByText("CNFPT").waitFor();
    await shoot(page, "agents-training");

    await navigate(page, "Permanences");
    // The permanences shown before are read again: the reminder is gone.
    await expect.poll(() => add.getByText(UNTRAINED_HINT).count()).toBe(0);
    await navigate(page, "Accueil");
    await page.getByRole("heading", { name: /^Bonjour/ }).waitFor();
    await page.getByRole("link", { name: "Gérer les agents de la structure" }).waitFor();
    // Its list is read again once the training is saved: Nicolas no longer in it, nobody else.
    await expect.poll(() => untrained.count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("on a structure just set up, the permanences page says where to start", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    // The page as the server answers it for a structure just set up: no permanence, no counselor yet.
    await page.route("**/api/structures/*/openings", async (route) => {
      const response = await route.fetch();
      const json = { ...(await response.json()), rules: [], counselors: [], weeklyOpeningMinutes: 0 };
      await route.fulfill({ response, json });
    });
    await navigate(page, "Permanences");
    await page.getByText(/^Aucune permanence n'est ouverte pour l'instant : ajoutez la première/).waitFor();
    expect(await page.getByRole("table", { name: "Permanences en vigueur ou à venir" }).count()).toBe(0);
    const add = page.getByRole("form", { name: "Ajouter une permanence" });
    await add.getByText(/^Aucun conseiller dans la structure pour l'instant/).waitFor();
    await expectAccessible(page);
    await add.getByRole("link", { name: "Agents" }).click();
    await page.getByRole("heading", { name: "Agents de la structure", level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });

  it("on a structure just set up, the direction's home lists the first steps; the demo's, all done, does not", async () => {
    // The demo's direction (its structure ready): the home's agents and permanences read, no block.
    const demo = await newPage(browser);
    const read = (what: string) =>
      demo.page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(what) && r.ok());
    await Promise.all([
      read("/users"),
      read("/openings"),
      logInWithSecondFactor(demo.page, DIRECTION.email, DIRECTION.name),
    ]);
    await demo.page.getByRole("link", { name: "Gérer les agents de la structure" }).waitFor();
    await demo.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(await demo.page.getByRole("heading", { name: "Premiers pas" }).count()).toBe(0);
    expect(demo.problems).toEqual([]);

    // `npm run setup` with the example file: the direction alone, no agent, no permanence.
    const file = JSON.parse(readFileSync("doc/setup.example.json", "utf8")) as {
      direction: { email: string; nom: string };
    };
    const { accounts } = await setUpStructure({ ...file, administrateur: undefined });
    const password = "la rivière coule sous le pont";
    const { page, problems } = await newPage(browser);
    await page.goto(accounts[0]?.activationLink ?? "");
    // The first field's hint, the second field and the button each keep the DSFR's room between them.
    const first = page.locator(".fr-password").first();
    const submitButton = page.getByRole("button", { name: "Activer mon compte" });
    const gaps = [
      ...(await verticalGaps(
        page,
        first.locator(".fr-messages-group"),
        page.getByText("Le même mot de passe, à nouveau"),
      )),
      ...(await verticalGaps(page, page.getByLabel("Le même mot de passe, à nouveau"), submitButton)),
    ];
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(16);
    await page.getByLabel("Mot de passe", { exact: true }).fill(password);
    await page.getByLabel("Le même mot de passe, à nouveau").fill(password);
    await page.getByRole("button", { name: "Activer mon compte" }).click();
    await page.getByText("Votre compte est activé").waitFor();
    await logInWithSecondFactor(page, file.direction.email, file.direction.nom, password);
    const block = page
      .locator(".fr-callout")
      .filter({ has: page.getByRole("heading", { name: "Premiers pas" }) });
    const steps = block.getByRole("listitem");
    // Each step's state, then its link (the badge's text as written: the DSFR shows it in capitals).
    const states = () => steps.evaluateAll((items) => items.map((li) => li.textContent ?? ""));
    await expect
      .poll(states)
      .toEqual([
        "À faireCréer les comptes des agents : au moins un conseiller France services et un CPIP.Aucun conseiller France services ni CPIP pour l'instant.",
        "À faireOuvrir une première permanence sur un lieu : avec les conseillers qui la tiennent ; les CPIP convoquent à ses créneaux.Aucune permanence ouverte pour l'instant.",
        "À faireFaire activer leur compte aux CPIP : un CPIP convoque une fois connecté, avec le lien reçu par courriel.Aucun CPIP pour l'instant.",
      ]);
    expect(
      await block
        .getByRole("link", { name: "Ouvrir une première permanence sur un lieu" })
        .getAttribute("href"),
    ).toBe("/permanences");
    await expectAccessible(page);
    await shoot(page, "home-first-steps");

    // The first step done: a volunteer CPIP who will hold permanences, invited from the Agents page.
    await block.getByRole("link", { name: "Créer les comptes des agents" }).click();
    const form = page.getByRole("form", { name: "Ajouter un agent" });
    await form.getByLabel("Prénom et nom").fill("Léa Martin");
    await form.getByLabel("Adresse électronique professionnelle").fill("lea.martin@justice.fr");
    // The DSFR draws its own box over the input: checked through the input itself.
    await form
      .getByRole("checkbox", { name: "CPIP (conseiller pénitentiaire d'insertion et de probation)" })
      .check({ force: true });
    await form.getByRole("checkbox", { name: "Conseiller France services" }).check({ force: true });
    await form.getByLabel("Service employeur").selectOption({ label: "SPIP de la Côte-d'Or" });
    await form.getByRole("button", { name: "Enregistrer l'agent" }).click();
    await page.getByText(/^Agent enregistré/).waitFor();
    // The invitation resent from the list: the row says so.
    await page.getByRole("button", { name: "Renvoyer l'invitation : Léa Martin" }).click();
    await page.getByRole("status").getByText("Invitation renvoyée à lea.martin@justice.fr.").waitFor();
    await navigate(page, "Accueil");
    await expect
      .poll(async () => (await states()).map((s) => s.slice(0, 8)))
      .toEqual(["FaitCrée", "À faireO", "À faireF"]);
    await block
      .getByText(
        "Aucun CPIP n'a encore activé son compte : l'invitation peut être renvoyée depuis la liste des agents.",
      )
      .waitFor();
    await shoot(page, "home-first-steps-agents-done", block);
    expect(problems).toEqual([]);
  }, 120_000);

  it("changes a weekly permanence from a date on", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    await navigate(page, "Permanences");
    await page.getByRole("heading", { name: "Aperçu des sept prochains jours" }).waitFor();
    // Meaux on Fridays, 9 h 00 – 12 h 30, moved by half an hour (the weekly total stays the same).
    const friday = page.getByRole("row").filter({ hasText: "Chaque vendredi" }).filter({ hasText: "Meaux" });
    // Each row's buttons say which permanence they act on (every row has the same two).
    await friday
      .getByRole("button", { name: "Modifier… la permanence de Meaux, chaque vendredi, 9 h 00 – 12 h 30" })
      .click();
    const form = page.getByRole("form", { name: /Modifier/ });
    await form.waitFor();
    await expectAccessible(page);
    const from = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel("À partir du").fill(from);
    await form.getByLabel("Début", { exact: true }).fill("09:30");
    await form.getByLabel("Fin", { exact: true }).fill("13:00");
    await form.getByRole("button", { name: "Enregistrer la modification" }).click();
    await page.getByText(/Permanence modifiée : les nouveaux horaires s'appliquent à partir du/).waitFor();
    // Hours as the app writes a time ("9 h 30", not "09:30").
    await page.getByRole("cell", { name: /^9\sh\s30 – 13\sh\s00$/ }).waitFor();
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  it("shows, then refuses, a stop, a closure or an absence over planned convocations, and lists them", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    await navigate(page, "Permanences");
    await page.getByRole("heading", { name: "Aperçu des sept prochains jours" }).waitFor();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

    // An empty closure: the app's summary and messages under the fields, not the browser's bubble.
    const closure = page.getByRole("form", { name: "Fermer un lieu" });
    await closure.getByRole("button", { name: "Enregistrer" }).click();
    await closure.getByRole("heading", { name: "Le formulaire contient 3 erreurs" }).waitFor();
    await closure.getByText("Saisissez une date et une heure.").first().waitFor();
    await expectAccessible(page);

    // Journeys share one server and its data: this one convokes a demo person no other journey reads
    // (Franck Dupuis), at Meaux's last free slot of the next two weeks (the others take the first
    // ones), and cancels the convocation at the end. It saves no stop, closure or absence.
    const session = await (await page.request.get(`${baseUrl()}/api/auth/session`)).json();
    const structureId = session.memberships[0].structureId as string;
    const slots = (
      await (await page.request.get(`${baseUrl()}/api/structures/${structureId}/slots?days=14`)).json()
    ).slots as { siteId: string; siteName: string; startsAt: string; free: number }[];
    const slot = slots.filter((s) => s.siteName === "Meaux" && s.free > 0).at(-1)!;
    const franck = (
      await (await page.request.get(`${baseUrl()}/api/people?search=Dupuis`)).json()
    ).people.find((p: { firstName: string }) => p.firstName === "Franck");
    const booked = await page.request.post(`${baseUrl()}/api/convocations`, {
      headers: { "x-csrf-token": session.csrfToken },
      data: {
        personId: franck.id,
        siteId: slot.siteId,
        startsAt: slot.startsAt,
        needDomains: ["acces-aux-droits"],
        notifySms: false,
        notifyEmail: false,
      },
    });
    expect(booked.status(), await booked.text()).toBe(200);
    const convocationId = (await booked.json()).id as string;
    try {
      // Meaux closed for the next two weeks: the form says so before the click, with a link to
      // reschedule; the click is refused with the same list, nothing saved.
      await closure.getByLabel("Lieu").selectOption({ label: "Meaux" });
      await closure.getByLabel(/^Du/).fill(`${day(0)}T00:00`);
      await closure.getByLabel(/^Au/).fill(`${day(14)}T23:00`);
      await closure.getByLabel("Motif (facultatif)").fill("Travaux");
      await closure
        .getByText(/convocations? prévues? serai(en)?t touchées? : reprogrammez-l(a|es) d'abord/)
        .waitFor();
      await closure.getByRole("link", { name: "reprogrammer la convocation de Franck Dupuis" }).waitFor();
      await closure
        .getByText(/Franck Dupuis — .* à \d{1,2}\sh\s\d{2}, Meaux/)
        .first()
        .waitFor();
      await expectAccessible(page);
      await shoot(page, "stranded-preview", closure);
      await closure.getByRole("button", { name: "Enregistrer" }).click();
      // From today's midnight: before now, so the form first says it changes the hours held.
      await closure.getByText("Cette fermeture commence dans le passé").waitFor();
      await closure.getByRole("button", { name: "Enregistrer quand même" }).click();
      await closure
        .getByText(/convocations? prévues? tombe(nt)? dans la fermeture/)
        .first()
        .waitFor();
      await closure
        .getByText(/Reprogrammez-l(a|es) d'abord/)
        .first()
        .waitFor();
      await closure
        .getByText(/Franck Dupuis — .* à \d{1,2}\sh\s\d{2}, Meaux/)
        .first()
        .waitFor();
      expect(await closure.getByText(/\d{2}:\d{2}/).count()).toBe(0);
      await expectAccessible(page);
      await shoot(page, "stranded-refusal", closure);

      // Stopping the permanence that holds the slot, today: its form names Franck before the click
      // (another rule of the same day may hold nothing of his), and the click is refused.
      const paris = (options: Intl.DateTimeFormatOptions) =>
        new Date(slot.startsAt).toLocaleString("fr-FR", { ...options, timeZone: "Europe/Paris" });
      const rows = page
        .getByRole("row")
        .filter({ hasText: `Chaque ${paris({ weekday: "long" })}` })
        .filter({ hasText: /^Meaux/ });
      let stopped = null;
      for (let i = 0; i < (await rows.count()) && !stopped; i++) {
        const row = rows.nth(i);
        await row.getByRole("button", { name: "Arrêter…" }).click();
        await row.getByLabel("Dernier jour de la permanence").fill(day(0));
        const named = row.getByText(/Franck Dupuis — /);
        await named
          .or(row.getByText(/Aucune convocation prévue ne serait touchée|seraient? touchées?/))
          .first()
          .waitFor();
        if ((await named.count()) > 0) stopped = row;
        else await row.getByRole("button", { name: "Annuler" }).click();
      }
      expect(stopped).not.toBeNull();
      await stopped!.getByRole("button", { name: "Confirmer l'arrêt" }).click();
      await stopped!
        .getByText(/dans l'arrêt de la permanence/)
        .first()
        .waitFor();
      await stopped!.getByRole("button", { name: "Annuler" }).click();
      await stopped!.getByRole("button", { name: "Arrêter…" }).waitFor();

      // Far ahead, nothing planned: the forms say no convocation would be touched (left unsaved).
      const fontainebleau = page.getByRole("row").filter({ hasText: "Fontainebleau" }).first();
      await fontainebleau.getByRole("button", { name: "Arrêter…" }).click();
      await fontainebleau.getByLabel("Dernier jour de la permanence").fill(day(700));
      await fontainebleau.getByText("Aucune convocation prévue ne serait touchée.").waitFor();
      // Escape from the day's field leaves the form as "Annuler" does: the focus back on "Arrêter…".
      await page.keyboard.press("Escape");
      await page.waitForFunction(() =>
        document.activeElement?.textContent?.startsWith("Arrêter… la permanence de Fontainebleau"),
      );
      expect(await fontainebleau.getByLabel("Dernier jour de la permanence").count()).toBe(0);
      const absence = page.getByRole("form", { name: "Déclarer une absence" });
      await absence.getByRole("button", { name: "Enregistrer" }).click();
      await absence.getByRole("heading", { name: "Le formulaire contient 3 erreurs" }).waitFor();
      await absence.getByLabel("Conseiller").selectOption({ index: 1 });
      await absence.getByLabel(/^Du/).fill(`${day(720)}T08:00`);
      await absence.getByLabel(/^Au/).fill(`${day(720)}T09:00`);
      await absence.getByText("Aucune convocation prévue ne serait touchée.").waitFor();
      await expectAccessible(page);
      expect(problems).toEqual([]);
    } finally {
      // Nothing left for the other journeys: the convocation is cancelled, nothing else was saved.
      const cancelled = await page.request.post(`${baseUrl()}/api/convocations/${convocationId}/status`, {
        headers: { "x-csrf-token": session.csrfToken },
        data: { status: "cancelled" },
      });
      expect(cancelled.status(), await cancelled.text()).toBe(200);
    }
    const after = (
      await (await page.request.get(`${baseUrl()}/api/structures/${structureId}/slots?days=14`)).json()
    ).slots as { siteId: string; startsAt: string; free: number }[];
    expect(after.find((s) => s.siteId === slot.siteId && s.startsAt === slot.startsAt)?.free).toBe(slot.free);
  });

  it("closes a site far ahead (saved once, even clicked twice), then cancels the closure", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    await navigate(page, "Permanences");
    await page.getByRole("heading", { name: "Aperçu des sept prochains jours" }).waitFor();
    const day = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    const closure = page.getByRole("form", { name: "Fermer un lieu" });
    // Each date field says the format it expects (the DSFR hint, part of the field's name).
    await closure.getByLabel(/^Du\s?Format attendu : JJ\/MM\/AAAA HH:MM$/).waitFor();
    await closure.getByLabel("Lieu").selectOption({ label: "La Rochette" });
    await closure.getByLabel(/^Du/).fill(`${day}T08:00`);
    await closure.getByLabel(/^Au/).fill(`${day}T18:00`);
    await closure.getByLabel("Motif (facultatif)").fill("Formation de l'équipe");
    await closure.getByText("Aucune convocation prévue ne serait touchée.").waitFor();
    await closure.getByRole("button", { name: "Enregistrer" }).dblclick();
    await closure.getByText(/Fermeture de La Rochette enregistrée du/).waitFor();
    await page.waitForFunction(() => /enregistrée du/.test(document.activeElement?.textContent ?? ""));
    const row = page.getByRole("row").filter({ hasText: "Formation de l'équipe" });
    await row.waitFor();
    expect(await row.count()).toBe(1);
    // The table's caption would repeat the heading above it: read by screen readers only.
    const periods = page.getByRole("table", {
      name: "Fermetures de lieux et absences de conseillers, en cours ou à venir",
    });
    expect(await periods.locator("caption").isVisible()).toBe(false);
    // The second answer of the double click is a success too, not "Fermeture non enregistrée".
    expect(await closure.getByText("Fermeture non enregistrée").count()).toBe(0);
    await row.getByRole("button", { name: "Annuler… la fermeture de La Rochette" }).click();
    await row.getByText("La période est retirée et ses créneaux rouvrent.").waitFor();
    // The button just used is gone: the focus goes to the confirmation, and back after "Garder".
    await page.waitForFunction(() => document.activeElement?.textContent === "Confirmer l'annulation");
    // Focused, it is read with what it does (the paragraph above it is not reached by the focus).
    expect(
      await page.evaluate(
        () =>
          document.getElementById(document.activeElement?.getAttribute("aria-describedby") ?? "")
            ?.textContent,
      ),
    ).toBe("La période est retirée et ses créneaux rouvrent.");
    await row.getByRole("button", { name: "Garder" }).click();
    await page.waitForFunction(() => document.activeElement?.textContent?.startsWith("Annuler…"));
    // Escape keeps it too, as a dialog would.
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.textContent === "Confirmer l'annulation");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => document.activeElement?.textContent?.startsWith("Annuler…"));
    expect(await row.getByRole("button", { name: "Garder" }).count()).toBe(0);
    await row.getByRole("button", { name: "Annuler… la fermeture de La Rochette" }).click();
    await expectAccessible(page);
    await shoot(page, "closure-cancel", row);
    await row.getByRole("button", { name: "Confirmer l'annulation" }).click();
    await page.getByText(/La fermeture de La Rochette du .* est annulée\./).waitFor();
    // Its row is gone with its buttons: the notice takes the focus (and is announced).
    await page.waitForFunction(() =>
      /La fermeture de La Rochette du .* est annulée\./.test(document.activeElement?.textContent ?? ""),
    );
    await expect
      .poll(() => page.getByRole("row").filter({ hasText: "Formation de l'équipe" }).count())
      .toBe(0);
    // The form's « enregistrée » notice no longer contradicts the cancellation just announced.
    expect(await closure.getByText(/Fermeture de La Rochette enregistrée du/).count()).toBe(0);
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  it("filters the journal by a person and exports it as CSV", async () => {
    const { page, problems } = await newPage(browser);
    await logInWithSecondFactor(page, DIRECTION.email, DIRECTION.name);
    // A read of Karim Benali's file, journaled.
    await navigate(page, "Personnes suivies");
    await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
    await page.getByRole("table").getByRole("link", { name: "BENALI Karim" }).click();
    await page.getByRole("heading", { name: "BENALI Karim", level: 1 }).waitFor();
    await navigate(page, "Administration", "Journal des accès");
    await page.getByRole("heading", { name: "Journal des accès et des actions" }).waitFor();
    await page.getByLabel("Rechercher une personne").fill("Benali");
    const karim = page.getByRole("option", { name: /^BENALI Karim/ });
    await karim.waitFor({ state: "attached" });
    await page
      .getByLabel("Personne", { exact: true })
      .selectOption((await karim.getAttribute("value")) ?? "");
    // And by agent: journeys that ran before this one moved the server's clock days ahead while they
    // worked on Karim's file, so their events sort before this read and could fill the first page.
    await page.getByLabel("Agent", { exact: true }).selectOption({ label: DIRECTION.name });
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page
      .getByRole("cell", { name: /Hélène Bernard/ })
      .first()
      .waitFor();
    await expectAccessible(page);
    // The filters are in the address: a reload shows the same events and says which filters they follow.
    const karimId = (await karim.getAttribute("value")) ?? "";
    await page.waitForURL(
      (url) => url.searchParams.get("personne") === karimId && url.searchParams.has("agent"),
    );
    const filtered = async () => {
      await page
        .getByRole("cell", { name: /BENALI Karim/ })
        .first()
        .waitFor();
      expect(await page.getByLabel("Personne", { exact: true }).inputValue()).toBe(karimId);
      expect(await page.getByLabel("Rechercher une personne").inputValue()).toBe("Benali");
      const agent = page.getByLabel("Agent", { exact: true }).locator("option:checked");
      expect(await agent.textContent()).toBe(DIRECTION.name);
      // Every row is the direction's, about Karim.
      const rows = page.getByRole("table").getByRole("row");
      expect(await rows.filter({ hasNotText: DIRECTION.name }).count()).toBe(1); // the header
    };
    await page.reload();
    await filtered();
    // Another filter, then back: the previous events and filters again; forward: the new ones.
    await page.getByLabel("Résultat").selectOption({ label: "Refusé" });
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.getByText("Aucun évènement pour ces critères.").waitFor();
    await page.goBack();
    await filtered();
    expect(await page.getByLabel("Résultat").inputValue()).toBe("");
    await page.goForward();
    await page.getByText("Aucun évènement pour ces critères.").waitFor();
    expect(await page.getByLabel("Résultat").inputValue()).toBe("denied");
    await page.goBack();
    await filtered();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Exporter ces évènements (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path()) ?? "", "utf8");
    expect(csv).toContain("Hélène Bernard");
    expect(problems).toEqual([]);
  });
});
