import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parisDay } from "../src/common/calendar";
import { baseUrl, expectAccessible, launchBrowser, logIn, navigate, newPage, shoot } from "./support";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/** A JSON call as the signed-in agent of the page (its cookie, its CSRF token). */
async function api(page: Page, method: "GET" | "POST", path: string, data?: object) {
  const session = (await (await page.request.get(`${baseUrl()}/api/auth/session`)).json()) as {
    csrfToken: string;
  };
  const response = await page.request.fetch(`${baseUrl()}${path}`, {
    method,
    headers: { "x-csrf-token": session.csrfToken },
    ...(data ? { data } : {}),
  });
  return response;
}

/** Sandrine Lemoine: a demo person no other journey changes (the e2e server is shared by the specs). */
const NAME = "LEMOINE Sandrine";
async function openPerson(page: Page): Promise<string> {
  await navigate(page, "Personnes suivies");
  await page.getByRole("heading", { name: "Personnes suivies", level: 1 }).waitFor();
  // Searched, not picked from the first page: people created by other journeys sort before her.
  await page.getByRole("searchbox", { name: "Rechercher une personne" }).fill("Lemoine Sandrine");
  await page.waitForURL(/search=Lemoine/);
  await page.getByRole("table").getByRole("link", { name: NAME }).click();
  await page.getByRole("heading", { name: NAME, level: 1 }).waitFor();
  return page.url().split("/personnes/")[1]!.split(/[/?#]/)[0]!;
}

/** The CPIP files a PDF through the API (multipart: the fields, then the file). */
async function filePdf(page: Page, personId: string, kind: string, title: string, fileName: string) {
  const session = (await (await page.request.get(`${baseUrl()}/api/auth/session`)).json()) as {
    csrfToken: string;
  };
  const pdf = Buffer.from(
    `%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );
  const response = await page.request.post(`${baseUrl()}/api/people/${personId}/documents`, {
    headers: { "x-csrf-token": session.csrfToken },
    multipart: { kind, title, file: { name: fileName, mimeType: "application/pdf", buffer: pdf } },
  });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const documentsTable = (page: Page) => page.getByRole("table", { name: "Documents de la personne" });

describe("documents that follow the person", () => {
  it("a counselor uploads a photographed identity document to a démarche; the CAF referent downloads a proof shared under consent; a counselor never reaches a judgment extract", async () => {
    // The CPIP: the person agrees to share with the CAF; her proof and a judgment extract are filed.
    const cpip = await newPage(browser);
    await logIn(cpip.page, "cpip@demo.passerelle.fr");
    await cpip.page.getByRole("heading", { name: /^Bonjour/ }).waitFor();
    const personId = await openPerson(cpip.page);
    await filePdf(cpip.page, personId, "proof", "Attestation d'hébergement", "attestation-hebergement.pdf");
    const extractId = await filePdf(
      cpip.page,
      personId,
      "judgment_extract",
      "Extrait du jugement",
      "extrait.pdf",
    );
    const catalogue = (await (await api(cpip.page, "GET", "/api/catalogue")).json()) as {
      partners: { id: string; code: string; demarcheTypes: { id: string; label: string }[] }[];
    };
    const caf = catalogue.partners.find((p) => p.code === "caf")!;
    const consent = await api(cpip.page, "POST", `/api/people/${personId}/consents`, {
      shareDemarcheDetails: true,
      shareNotes: false,
      recipients: ["spip", "association"],
      partnerIds: [caf.id],
      purpose: "Ouverture des droits CAF",
    });
    expect(consent.status()).toBe(200);

    // The counselor starts the RSA démarche, then adds the photo of the identity card to it.
    const counselor = await newPage(browser);
    await logIn(counselor.page, "conseiller@demo.passerelle.fr");
    await counselor.page.getByRole("heading", { name: /^Bonjour/ }).waitFor();
    const rsa = caf.demarcheTypes.find((d) => d.label === "Demande de RSA")!;
    const demarche = await api(counselor.page, "POST", `/api/people/${personId}/demarches`, {
      demarcheTypeId: rsa.id,
      helpLevel: "guided",
      status: "waiting_documents",
    });
    expect(demarche.status(), await demarche.text()).toBe(200);
    const demarcheId = ((await demarche.json()) as { id: string }).id;
    const orientation = await api(cpip.page, "POST", `/api/people/${personId}/orientations`, {
      target: "partner_back_office",
      partnerId: caf.id,
      demarcheId,
      reason: "Instruire la demande de RSA, pièces jointes au dossier.",
    });
    expect(orientation.status(), await orientation.text()).toBe(200);

    await openPerson(counselor.page);
    // The judgment extract is not listed for the counselor.
    await documentsTable(counselor.page)
      .getByRole("link", { name: /Attestation d'hébergement/ })
      .waitFor();
    expect(await counselor.page.getByText("Extrait du jugement").count()).toBe(0);
    const form = counselor.page.getByRole("form", { name: "Ajouter un document" });
    const photo = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: "#9ab" } })
      .jpeg()
      .toBuffer();
    // A photo named as a PDF: refused with a field message, nothing added.
    await form.getByLabel("Type de document").selectOption({ label: "Pièce d'identité" });
    await form.getByLabel("Titre").fill("Carte d'identité (verso)");
    await form
      .getByLabel("Démarche")
      .selectOption({ label: "Demande de RSA (CAF (Caisse d'allocations familiales))" });
    await form
      .getByLabel("Fichier")
      .setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: photo });
    await form.getByRole("button", { name: "Ajouter le document" }).click();
    await form
      .getByText(/ne correspond pas à son extension/)
      .first()
      .waitFor();
    await expectAccessible(counselor.page);
    await form
      .getByLabel("Fichier")
      .setInputFiles({ name: "IMG_2041.jpg", mimeType: "image/jpeg", buffer: photo });
    await form.getByRole("button", { name: "Ajouter le document" }).click();
    await counselor.page.getByText("Document « Carte d'identité (verso) » ajouté.").waitFor();
    const row = documentsTable(counselor.page)
      .getByRole("row")
      .filter({ hasText: "Carte d'identité (verso)" });
    await row.getByText("Demande de RSA").waitFor();
    await expectAccessible(counselor.page);

    // The CPIP shares the proof with the CAF orientation (under the person's consent).
    await cpip.page.reload();
    await cpip.page.getByRole("heading", { name: NAME, level: 1 }).waitFor();
    await documentsTable(cpip.page)
      .getByRole("row")
      .filter({ hasText: "Attestation d'hébergement" })
      .getByRole("button", { name: "Partager" })
      .click();
    const share = cpip.page.getByRole("form", { name: "Partager « Attestation d'hébergement »" });
    await share
      .getByRole("combobox", { name: /^Orientation/ })
      .selectOption({ label: "CAF (Caisse d'allocations familiales)" });
    await share.getByLabel("Motif du partage").fill("Justificatif de domicile pour le RSA");
    await expectAccessible(cpip.page);
    await share.getByRole("button", { name: "Partager" }).click();
    await documentsTable(cpip.page)
      .getByText(/Partagé avec CAF/)
      .waitFor();

    // The CAF referent downloads it from the orientation in the inbox.
    const partner = await newPage(browser);
    await logIn(partner.page, "partenaire@demo.passerelle.fr");
    const item = partner.page.getByRole("article", { name: `Orientation : ${NAME}` });
    await item.getByText("Documents partagés avec vous :").waitFor();
    await expectAccessible(partner.page);
    const [download] = await Promise.all([
      partner.page.waitForEvent("download"),
      item.getByRole("link", { name: /Attestation d'hébergement/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("attestation-hebergement.pdf");
    const bytes = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(bytes).subarray(0, 5).toString()).toBe("%PDF-");

    // Withdrawing the share asks first, saying with whom and what it changes; Échap leaves it (the
    // focus back on its button), the confirmation withdraws it: the CAF no longer reads the document.
    const focused = () => cpip.page.evaluate(() => document.activeElement?.textContent?.trim());
    const shareLine = documentsTable(cpip.page)
      .getByRole("listitem")
      .filter({ hasText: /Partagé avec CAF/ });
    await shareLine.getByRole("button", { name: "Retirer le partage" }).click();
    await shareLine.getByText(/^Retirer le partage avec CAF.* \?$/).waitFor();
    await shareLine.getByText(/ne pourra plus le télécharger depuis l'orientation/).waitFor();
    await expect.poll(focused).toBe("Confirmer le retrait du partage");
    await expectAccessible(cpip.page);
    await shoot(cpip.page, "document-share-withdrawal", documentsTable(cpip.page));
    await cpip.page.keyboard.press("Escape");
    await expect.poll(focused).toBe("Retirer le partage");
    expect(await shareLine.getByText(/^Retirer le partage avec CAF/).count()).toBe(0);
    await cpip.page.keyboard.press("Enter");
    await shareLine.getByRole("button", { name: "Confirmer le retrait du partage" }).click();
    await shareLine.getByText("Retiré", { exact: true }).waitFor();
    await expect.poll(focused).toMatch(/^Partagé avec CAF.*Retiré$/s);
    await partner.page.reload();
    await item.waitFor();
    await partner.page.waitForLoadState("networkidle");
    expect(await item.getByRole("link", { name: /Attestation d'hébergement/ }).count()).toBe(0);

    // The counselor, by the address of the judgment extract: 404, as for what does not exist.
    const refused = await counselor.page.request.get(`${baseUrl()}/api/documents/${extractId}/file`);
    expect(refused.status()).toBe(404);
    expect(((await refused.json()) as { code: string }).code).toBe("document.notFound");

    // The CPIP shares the judgment extract with another structure chosen from the list, under a
    // legal basis and until a date; that structure's CPIP reads the share and its basis.
    await documentsTable(cpip.page)
      .getByRole("row")
      .filter({ hasText: "Extrait du jugement" })
      .getByRole("button", { name: "Partager" })
      .click();
    const toStructure = cpip.page.getByRole("form", { name: "Partager « Extrait du jugement »" });
    await toStructure
      .getByRole("radio", { name: /Une autre structure de Passerelle/ })
      .check({ force: true });
    await toStructure.getByRole("button", { name: "Partager" }).click();
    await toStructure.getByText("Choisissez la structure destinataire dans la liste.").first().waitFor();
    await expectAccessible(cpip.page);
    // Resizing for the accessibility check may lay the table out anew: choose the structure again.
    await toStructure
      .getByRole("radio", { name: /Une autre structure de Passerelle/ })
      .check({ force: true });
    await toStructure
      .getByLabel("Structure destinataire")
      .selectOption({ label: "France services SPIP 91 – Médiation Essonne" });
    await toStructure
      .getByRole("textbox", { name: /^Base légale/ })
      .fill("Article D. 574 du code de procédure pénale");
    await toStructure.getByRole("textbox", { name: /^Motif du partage/ }).fill("Reprise du suivi en Essonne");
    await toStructure.getByLabel("Partagé jusqu'au").fill(parisDay(new Date(Date.now() + 30 * 86_400_000)));
    await toStructure.getByRole("button", { name: "Partager" }).click();
    await documentsTable(cpip.page)
      .getByText(/Partagé avec France services SPIP 91/)
      .waitFor();
    const receiving = await newPage(browser);
    await logIn(receiving.page, "cpip.essonne@demo.passerelle.fr");
    await receiving.page.getByRole("heading", { name: /^Bonjour/ }).waitFor();
    await receiving.page.goto(`${baseUrl()}/transferts-recus`);
    const received = receiving.page.locator("section").filter({
      has: receiving.page.getByRole("heading", { name: "Documents partagés par d'autres structures" }),
    });
    await received.getByRole("link", { name: /Extrait du jugement/ }).waitFor();
    await received.getByText("Article D. 574 du code de procédure pénale").waitFor();
    await expectAccessible(receiving.page);
    expect(receiving.problems).toEqual([]);
  });
  it("removing a document from the keyboard: asked first, left with Escape, the focus never lost; its day is the Paris one", async () => {
    const { page, problems } = await newPage(browser);
    await logIn(page, "cpip@demo.passerelle.fr");
    const personId = await openPerson(page);
    await filePdf(page, personId, "proof", "Quittance de loyer à retirer", "quittance.pdf");
    await page.reload();
    const row = documentsTable(page).getByRole("row").filter({ hasText: "Quittance de loyer à retirer" });
    const today = parisDay(new Date()).split("-").reverse().join("/");
    await row.getByText(`${today} par Camille Martin`).waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    await row.getByRole("button", { name: "Supprimer" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Confirmer la suppression");
    await page.keyboard.press("Escape");
    await expect.poll(focused).toBe("Supprimer");
    await page.keyboard.press("Enter");
    await row.getByRole("button", { name: "Annuler" }).click();
    await expect.poll(focused).toBe("Supprimer");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await row.waitFor({ state: "detached" });
    await expect.poll(focused).toBe("Documents");
    expect(problems).toEqual([]);
  });
});
