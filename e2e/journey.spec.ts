import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, control, expectAccessible, launchBrowser, logIn, navigate, newPage } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(() => control("clock", { now: null }));
afterAll(() => browser.close());

const notes = (page: Page) => page.getByRole("list", { name: "Notes de la personne" });

describe("a person's path, from the CPIP to a partner", () => {
  it("created with consent, booked, visited with two démarches and an escalation the CAF accepts; the CPIP sees the progress, not the association's private note", async () => {
    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await navigate(cpip.page, "Personnes suivies");
    await cpip.page.getByRole("link", { name: "Ajouter une personne" }).click();
    await cpip.page.getByLabel("Nom", { exact: true }).fill("Traore");
    await cpip.page.getByLabel("Prénom", { exact: true }).fill("Moussa");
    await cpip.page.getByLabel("Date de naissance").fill("1985-04-12");
    await cpip.page.getByLabel("Domiciliation (facultatif)").fill("CCAS de Meaux");
    await cpip.page.getByLabel("Début de la mesure").fill("2026-01-01");
    await cpip.page.getByLabel("Fin de la mesure").fill("2027-06-30");
    // The person's consent, collected with the file.
    await cpip.page
      .getByText("La personne accepte que des informations soient partagées (secret partagé)")
      .click();
    const consent = cpip.page.getByRole("group", { name: "Consentement au partage d'informations" });
    await consent.getByText("Le détail des démarches (au-delà de leur statut)").click();
    await consent.getByText("l'association (conseillers France services)").click();
    await consent.getByText("CAF (Caisse d'allocations familiales)").click();
    await consent.getByLabel("Dans quel but").fill("Rétablir ses droits sociaux");
    await expectAccessible(cpip.page);
    await cpip.page.getByRole("button", { name: "Enregistrer et convoquer" }).click();
    await cpip.page
      .getByRole("heading", { name: "Convoquer TRAORE Moussa à une permanence France services" })
      .waitFor();
    const personId = cpip.page.url().split("/personnes/")[1]!.split("/")[0]!;

    // Book, no phone: the letter only.
    await cpip.page.getByLabel("Lieu").selectOption({ label: "La Rochette" });
    await cpip.page
      .getByRole("group", { name: /^Créneau du / })
      .getByText(/· La Rochette$/)
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
    // The form is gone: the confirmation's heading has the focus, not the page's body.
    await cpip.page.waitForFunction(() => document.activeElement?.textContent === "Convocation enregistrée");

    await cpip.page.goto(`${baseUrl()}/personnes/${personId}`);
    await cpip.page.getByText(/La personne accepte de partager le détail des démarches/).waitFor();

    // The day of the appointment: the counselor marks it honoured and records the visit.
    const listed = await cpip.page.request.get(`${baseUrl()}/api/convocations?personId=${personId}`);
    const [booked] = ((await listed.json()) as { convocations: { id: string; startsAt: string }[] })
      .convocations;
    const during = new Date(new Date(booked!.startsAt).getTime() + 10 * 60_000);
    await control("clock", { now: during.toISOString() });
    const counselor = await newPage(browser);
    await counselor.page.clock.install({ time: during });
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await counselor.page.getByRole("heading", { name: "Bonjour Inès Moreau" }).waitFor();
    await counselor.page.goto(`${baseUrl()}/personnes/${personId}`);
    const convocations = counselor.page.getByRole("table", { name: "Convocations de la personne" });
    await convocations.getByRole("button", { name: "Honorée" }).click();
    // The button is gone: the focus is on the notice, whose "Annuler" comes next.
    await counselor.page.waitForFunction(() =>
      document.activeElement?.textContent?.startsWith("Statut enregistré : Honorée"),
    );
    await convocations.getByRole("link", { name: "Saisir la visite" }).click();
    await counselor.page.getByRole("heading", { name: "Visite de TRAORE Moussa" }).waitFor();
    await counselor.page.getByText("Accompagnée de bout en bout").click();
    for (const [i, label, status] of [
      [0, "Pré-demande de carte d'identité ou de passeport", "En cours"],
      [1, "Demande de RSA", "Déposée"],
    ] as const) {
      // From the keyboard: the new row's first field takes the focus.
      await counselor.page.getByRole("button", { name: "Ajouter une démarche" }).focus();
      await counselor.page.keyboard.press("Enter");
      const row = counselor.page.getByRole("group", { name: `Nouvelle démarche ${i + 1}` });
      await expect
        .poll(() => row.getByLabel("Démarche", { exact: true }).evaluate((e) => e === document.activeElement))
        .toBe(true);
      await row.getByLabel("Démarche", { exact: true }).selectOption({ label });
      await row.getByLabel("Statut", { exact: true }).selectOption({ label: status });
    }
    // A row added by mistake and removed: the focus goes to the row before, not to the page's start.
    await counselor.page.getByRole("button", { name: "Ajouter une démarche" }).click();
    await counselor.page.getByRole("button", { name: "Retirer la nouvelle démarche 3" }).click();
    await expect
      .poll(() =>
        counselor.page
          .getByRole("group", { name: "Nouvelle démarche 2" })
          .getByLabel("Démarche", { exact: true })
          .evaluate((e) => e === document.activeElement),
      )
      .toBe(true);
    await counselor.page
      .getByLabel("Besoin aujourd'hui : Accès aux droits, papiers d'identité")
      .selectOption({ label: "Besoin" });
    await counselor.page.getByRole("button", { name: "Enregistrer la visite" }).click();
    await counselor.page.getByRole("heading", { name: "TRAORE Moussa", level: 1 }).waitFor();

    // A démarche updated on the file: the file's summary says so at once, both ways.
    const summary = counselor.page.getByRole("region", { name: "TRAORE Moussa" });
    // Opened then cancelled: the focus goes back to the row's button, not to the page's body.
    const opener = counselor.page.getByRole("button", { name: /^Mettre à jour : Pré-demande/ });
    await opener.click();
    const opened = counselor.page.getByRole("form", { name: /^Mettre à jour : Pré-demande/ });
    await opened.getByRole("button", { name: "Annuler" }).click();
    await opened.waitFor({ state: "detached" });
    expect(await counselor.page.evaluate(() => document.activeElement?.id)).toBe(
      await opener.getAttribute("id"),
    );
    for (const status of ["En attente de pièces", "En cours"]) {
      await counselor.page.getByRole("button", { name: /^Mettre à jour : Pré-demande/ }).click();
      const update = counselor.page.getByRole("form", { name: /^Mettre à jour : Pré-demande/ });
      await update.getByLabel("Statut", { exact: true }).selectOption({ label: status });
      await update.getByRole("button", { name: "Enregistrer" }).click();
      await summary
        .getByText(`Pré-demande de carte d'identité ou de passeport (${status.toLowerCase()})`, {
          exact: false,
        })
        .waitFor();
    }
    // The history says the step at once, without reading the file again.
    await counselor.page
      .getByRole("table", { name: "Historique du dossier" })
      .getByText("Démarche « Pré-demande de carte d'identité ou de passeport » : en attente de pièces")
      .waitFor();

    // The escalation of the RSA file to the CAF's back office, and a private note of the association.
    await counselor.page.getByText("Orienter la personne ou solliciter un partenaire").click();
    const orientation = counselor.page.getByRole("form", { name: "Nouvelle orientation" });
    await orientation
      .getByLabel("Organisation destinataire")
      .selectOption({ label: "CAF (Caisse d'allocations familiales)" });
    await orientation.getByLabel("Démarche concernée (facultatif)").selectOption({ label: "Demande de RSA" });
    await orientation.getByLabel("Ce qui est demandé").fill("Instruire la demande de RSA déposée ce jour.");
    await orientation.getByRole("button", { name: "Orienter la personne" }).click();
    await counselor.page
      .getByRole("table", { name: "Orientations de la personne" })
      .locator(".fr-badge", { hasText: "Envoyée, sans réponse" })
      .waitFor();
    // Cancelling a sent orientation is confirmed first, saying what it withdraws; going back keeps it.
    await counselor.page.getByRole("button", { name: /^Annuler l'orientation vers CAF/ }).click();
    const cancelDialog = counselor.page.getByRole("dialog", { name: "Annuler l'orientation ?" });
    await cancelDialog.getByText(/et ne pourra plus y répondre/).waitFor();
    await cancelDialog.getByRole("button", { name: "Ne pas annuler" }).click();
    await cancelDialog.waitFor({ state: "hidden" });
    // The focus is back on the button that asked, not on the page's top.
    await counselor.page.waitForFunction(() =>
      document.activeElement?.getAttribute("aria-label")?.startsWith("Annuler l'orientation vers CAF"),
    );
    await counselor.page
      .getByRole("table", { name: "Orientations de la personne" })
      .locator(".fr-badge", { hasText: "Envoyée, sans réponse" })
      .waitFor();
    const noteForm = counselor.page.getByRole("form", { name: "Nouvelle note" });
    await noteForm.getByLabel("Nouvelle note").fill("Réservé à l'association.");
    await noteForm.getByRole("button", { name: "Enregistrer la note" }).click();
    await notes(counselor.page).getByText("Réservé à l'association.").waitFor();
    await expectAccessible(counselor.page);

    // The CAF referent accepts.
    const caf = await newPage(browser);
    await logIn(caf.page, "partenaire@demo.passerelle.fr");
    const item = caf.page.getByRole("article", { name: "Orientation : TRAORE Moussa" });
    await item.getByText("Démarche : Demande de RSA").waitFor();
    await item.getByRole("button", { name: "Accepter" }).click();
    await item.getByRole("button", { name: "Confirmer l'acceptation" }).click();
    await item.locator(".fr-badge", { hasText: "Acceptée" }).waitFor();

    // The CPIP sees the progress, and not the association's private note.
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await cpip.page.getByRole("heading", { name: "Bonjour Camille Martin" }).waitFor();
    await cpip.page.goto(`${baseUrl()}/personnes/${personId}`);
    const demarches = cpip.page.getByRole("table", { name: "Démarches de la personne" });
    await demarches
      .getByRole("row")
      .filter({ hasText: "Demande de RSA" })
      .getByText("Transmise au partenaire (back-office)")
      .waitFor();
    await demarches
      .getByRole("row")
      .filter({ hasText: "Pré-demande" })
      .locator(".fr-badge", { hasText: "En cours" })
      .waitFor();
    await cpip.page
      .getByRole("table", { name: "Orientations de la personne" })
      .locator(".fr-badge", { hasText: "Acceptée" })
      .waitFor();
    await notes(cpip.page).waitFor({ state: "attached" });
    expect(await notes(cpip.page).getByText("Réservé à l'association.").count()).toBe(0);
    await expectAccessible(cpip.page);
    expect([...cpip.problems, ...counselor.problems, ...caf.problems]).toEqual([]);
  });
});
