import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baseUrl,
  expectAccessible,
  launchBrowser,
  logIn,
  navigate,
  newPage,
  openMyPerson,
  shoot,
} from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/** Books, through the API as the signed-in CPIP, a slot at least five days ahead with an SMS. */
async function bookWithSms(page: Page, personId: string): Promise<void> {
  const session = await (await page.request.get(`${baseUrl()}/api/auth/session`)).json();
  const structureId = session.memberships?.[0]?.structureId ?? session.structureId;
  const from = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const slots = await (
    await page.request.get(
      `${baseUrl()}/api/structures/${structureId}/slots?days=30&from=${from}&personId=${personId}`,
    )
  ).json();
  const slot = slots.slots.find((s: { free: number }) => s.free > 0);
  const booked = await page.request.post(`${baseUrl()}/api/convocations`, {
    headers: { "x-csrf-token": session.csrfToken },
    data: {
      personId,
      siteId: slot.siteId,
      startsAt: slot.startsAt,
      needDomains: ["acces-aux-droits"],
      notifySms: true,
      notifyEmail: false,
    },
  });
  expect(booked.status(), await booked.text()).toBe(200);
}

describe("a person's file", () => {
  it("a CPIP corrects a phone (pending SMS re-targeted), closes and reopens the file, then gives it to a colleague", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    await openMyPerson(page, "HADDAD Mehdi");
    await page.getByRole("heading", { name: "HADDAD Mehdi" }).waitFor();
    expect(await page.title()).toBe("Dossier de HADDAD Mehdi — Passerelle");
    const personId = page.url().split("/personnes/")[1]!.split(/[?#]/)[0]!;
    await bookWithSms(page, personId);
    await page.reload();
    await expectAccessible(page);

    // A new phone: the form asks again whether the person accepts SMS there.
    await page.getByRole("link", { name: "Modifier le dossier" }).click();
    await page.getByRole("heading", { name: "Modifier le dossier de HADDAD Mehdi" }).waitFor();
    // Every bad field is said at once, and a mistyped number is not asked about.
    const email = await page.getByLabel(/^Adresse électronique/).inputValue();
    await page.getByLabel(/^Téléphone/).fill("+33 6 12");
    await page.getByLabel(/^Adresse électronique/).fill("ferdinand@@x");
    await page.getByRole("button", { name: "Enregistrer les corrections" }).click();
    await page.getByRole("heading", { name: "Le formulaire contient 2 erreurs" }).waitFor();
    await page
      .getByText(/^Saisissez un numéro de téléphone valide/)
      .first()
      .waitFor();
    await page
      .getByText(/^Saisissez une adresse électronique valide/)
      .first()
      .waitFor();
    expect(await page.getByText("Oui, elle accepte les SMS").count()).toBe(0);
    await page.getByLabel(/^Adresse électronique/).fill(email);
    await page.getByLabel(/^Téléphone/).fill("07 11 22 33 44");
    await page.getByRole("button", { name: "Enregistrer les corrections" }).click();
    await page
      .getByText("Indiquez si la personne accepte de recevoir des SMS à ce nouveau numéro.")
      .first()
      .waitFor();
    await expectAccessible(page);
    await page.getByText("Oui, elle accepte les SMS").click();
    await page.getByRole("button", { name: "Enregistrer les corrections" }).click();
    await page
      .getByText(/message en attente retiré de l'ancienne coordonnée, 1 renvoyé à la nouvelle/)
      .waitFor();
    const history = page.getByRole("table", { name: "Historique du dossier" });
    await history
      .getByText(/^Modification : Téléphone/)
      .first()
      .waitFor();
    await history
      .getByText(/→ 07\s11\s22\s33\s44/)
      .first()
      .waitFor();
    // The reminder, still to leave, now goes to the new number; the old one is withdrawn.
    await history.getByText("Destinataire : 07 11 22 33 44").first().waitFor();
    // Not due yet: « Quand » says when it will leave (not the time it was queued), and the row names its appointment.
    const waiting = history.getByRole("row").filter({ hasText: "Destinataire : 07 11 22 33 44" }).first();
    expect((await waiting.getByRole("cell").first().textContent())?.trim()).toMatch(
      /^Prévu le \d\d\/\d\d\/\d{4} à /,
    );
    expect(await waiting.textContent()).toMatch(/Rendez-vous du .+ à .+, /);
    await history
      .getByText(/Numéro de téléphone modifié : message renvoyé au nouveau numéro/)
      .first()
      .waitFor();
    await page.getByRole("link", { name: "07 11 22 33 44" }).waitFor();

    // Each dialog of the file, closed without acting, gives the focus back to its button.
    for (const [button, dialogName, leave] of [
      ["Clôturer le dossier", "Clôturer le dossier", "Annuler"],
      ["Changer de référent", "Changer de CPIP référent", "Fermer"],
    ] as const) {
      await page.getByRole("button", { name: button }).click();
      const dialog = page.getByRole("dialog", { name: dialogName });
      await dialog.getByRole("button", { name: leave, exact: true }).click();
      await dialog.waitFor({ state: "hidden" });
      await page.waitForFunction((name) => document.activeElement?.textContent === name, button);
    }

    // Close: the dialog says what will happen, the convocation is cancelled.
    await page.getByRole("button", { name: "Clôturer le dossier" }).click();
    const closing = page.getByRole("dialog", { name: "Clôturer le dossier" });
    await closing.getByText(/annule la convocation à venir/).waitFor();
    await expectAccessible(page);
    await closing.getByLabel("Motif").selectOption("end_of_measure");
    await closing.getByRole("button", { name: "Confirmer la clôture" }).click();
    await page.getByText(/Dossier clôturé le .* : fin de mesure\. /).waitFor();
    expect(await page.getByRole("link", { name: "Modifier le dossier" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Convoquer à une permanence" }).count()).toBe(0);
    await expectAccessible(page);

    // Reopen, with a reason (the dialog, first left with Escape, gives the focus back).
    await page.getByRole("button", { name: "Rouvrir le dossier" }).click();
    const reopening = page.getByRole("dialog", { name: "Rouvrir le dossier" });
    await reopening.getByLabel("Motif de la réouverture").waitFor();
    await page.keyboard.press("Escape");
    await reopening.waitFor({ state: "hidden" });
    await page.waitForFunction(() => document.activeElement?.textContent === "Rouvrir le dossier");
    await page.getByRole("button", { name: "Rouvrir le dossier" }).click();
    await reopening.getByRole("button", { name: "Rouvrir" }).click();
    await reopening.getByText("Indiquez pourquoi le dossier est rouvert.").first().waitFor();
    await reopening.getByLabel("Motif de la réouverture").fill("Nouvelle mesure prononcée");
    await reopening.getByRole("button", { name: "Rouvrir" }).click();
    await page.getByRole("link", { name: "Convoquer à une permanence" }).waitFor();
    await page
      .getByRole("table", { name: "Historique du dossier" })
      .getByText(/^Dossier rouvert/)
      .first()
      .waitFor();
    // The history begins with the file's creation.
    // A demo file: no journal row opened it, so no author is named (neither « La personne » nor « Non connu »).
    const created = page
      .getByRole("table", { name: "Historique du dossier" })
      .getByRole("row")
      .filter({ hasText: "Dossier créé" })
      .first();
    await created.waitFor();
    expect((await created.getByRole("cell").nth(2).textContent())?.trim()).toBe("");
    await shoot(page, "person-file-history", page.locator("#historique"));

    // Give the file to another CPIP of the service.
    await page.getByRole("button", { name: "Changer de référent" }).click();
    const moving = page.getByRole("dialog", { name: "Changer de CPIP référent" });
    // It names the pages where the new referent finds the person (they exist).
    await moving.getByText(/« Les personnes dont je suis référent »\), dans « Personnes suivies »/).waitFor();
    await moving.getByLabel("Nouveau CPIP référent").selectOption({ label: "Nicolas Petit" });
    await expectAccessible(page);
    await moving.getByRole("button", { name: "Confier le dossier" }).click();
    await page.getByText("Nicolas Petit", { exact: true }).first().waitFor();
    expect(problems).toEqual([]);

    const colleague = await newPage(browser);
    await logIn(colleague.page, "cpip2@demo.passerelle.fr");
    await navigate(colleague.page, "Personnes suivies");
    await colleague.page.getByRole("link", { name: "HADDAD Mehdi" }).waitFor();
  });

  it("the same file corrected in two tabs: the second keeps the first's change, a clash on one field is said, then saved", async () => {
    const { page: first, problems } = await newPage(browser);
    await logIn(first, "cpip@demo.passerelle.fr");
    await openMyPerson(first, "ADAM Ferdinand");
    const fileUrl = first.url().split(/[?#]/)[0]!;
    const second = await first.context().newPage();
    for (const tab of [first, second]) {
      await tab.goto(`${fileUrl}/modifier`);
      await tab.getByRole("heading", { name: "Modifier le dossier d'ADAM Ferdinand" }).waitFor();
    }
    await first.getByLabel(/^Adresse postale/).fill("12 rue des Lilas, 77000 Melun");
    await first.getByRole("button", { name: "Enregistrer les corrections" }).click();
    await first
      .getByRole("status")
      .filter({ hasText: /^Dossier enregistré \(1 modification\)/ })
      .waitFor();
    await shoot(first, "person-file-saved-notice");
    // Said once: the address keeps the section to land on, not the notice; a reload is silent.
    await first.waitForURL((url) => !url.searchParams.has("modifie") && url.searchParams.has("onglet"));
    await first.reload();
    await first.getByRole("heading", { name: "ADAM Ferdinand", level: 1 }).waitFor();
    await first.getByText("12 rue des Lilas, 77000 Melun").first().waitFor();
    expect(await first.getByText(/^Dossier enregistré/).count()).toBe(0);
    // The second tab still shows the old address: it corrects the birthplace and the address too.
    await second.getByLabel("Lieu de naissance (facultatif)").fill("Provins");
    await second.getByLabel(/^Adresse postale/).fill("3 place du Marché, 77000 Melun");
    await second.getByRole("button", { name: "Enregistrer les corrections" }).click();
    await second
      .getByText(
        "Modifié entre-temps : la valeur enregistrée est maintenant « 12 rue des Lilas, 77000 Melun ».",
      )
      .first()
      .waitFor();
    await expectAccessible(second);
    // Told, the agent keeps their address and saves again: applied.
    await second.getByRole("button", { name: "Enregistrer les corrections" }).click();
    await second.getByText(/^Dossier enregistré \(2 modifications\)/).waitFor();
    await second.getByText("3 place du Marché, 77000 Melun").first().waitFor();
    expect(problems).toEqual([]);
  });
});
