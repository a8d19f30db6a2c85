import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, parisDay } from "../../common/calendar";
import { SHARE_MAX_DAYS } from "../../common/documents/documents.schema";
import {
  auditEvent,
  consent,
  demarche,
  demarcheType,
  document,
  documentShare,
  orientation,
  partner,
  person,
  service,
  storedFile,
} from "../db/schema";
import { erasePerson } from "../domains/retention/erase";
import { aConvocation, anAgent, aPerson, aStructure } from "../testing/builders";
import {
  aHugePng,
  aPdf,
  aPhoto,
  aPng,
  documentForm,
  type FormPart,
  formOfParts,
  hasGpsTag,
} from "../testing/documentFiles";
import { type AuthHeaders, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karimId: string;
let demarcheId: string;
let cafId: string;
beforeAll(async () => {
  t = await startTestApp();
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karimId = karim!.id;
  // Convoked once: the structure's counselors see the people convoked in it (DESIGN §2).
  await aConvocation(t.handle.db, {
    personId: karimId,
    structureId: t.demoStructureId,
    bookedBy: await t.userId(demo.cpip),
  });
  const [type] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "caf-rsa"));
  const [d] = await t.handle.db
    .insert(demarche)
    .values({
      structureId: t.demoStructureId,
      personId: karimId,
      demarcheTypeId: type!.id,
      helpLevel: "guided",
      status: "in_progress",
      createdBy: await t.userId(demo.counselor),
    })
    .returning();
  demarcheId = d!.id;
  const [caf] = await t.handle.db.select().from(partner).where(eq(partner.code, "caf"));
  cafId = caf!.id;
});
afterAll(() => t.close());

const counts = async () => ({
  documents: (await t.handle.db.select({ n: sql<number>`count(*)::int` }).from(document))[0]!.n,
  files: (await t.handle.db.select({ n: sql<number>`count(*)::int` }).from(storedFile))[0]!.n,
});

async function upload(
  email: string | null,
  fields: Record<string, string>,
  file: { name: string; bytes: Uint8Array } | null,
  personId = karimId,
) {
  const form = documentForm(fields, file);
  const headers: Partial<AuthHeaders> = email ? await t.sessionFor(email) : {};
  return t.app.inject({
    method: "POST",
    url: `/api/people/${personId}/documents`,
    payload: form.payload,
    headers: { ...form.headers, ...headers },
  });
}
const get = async (url: string, email: string) =>
  t.app.inject({ method: "GET", url, headers: await t.sessionFor(email) });
const post = async (url: string, email: string, payload: object = {}) =>
  t.app.inject({ method: "POST", url, headers: await t.sessionFor(email), payload });

async function uploaded(
  email: string,
  kind: string,
  title: string,
  file = { name: "piece.pdf", bytes: aPdf() },
) {
  const response = await upload(email, { kind, title }, file);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { id: string; personId: string; shares: { id: string; live: boolean }[] };
}

describe("upload", () => {
  it("401 anonymous, 403 steering and partner, 404 another structure's agent, nothing stored", async () => {
    const before = await counts();
    const pdf = { name: "a.pdf", bytes: aPdf() };
    expect((await upload(null, { kind: "proof", title: "x" }, pdf)).statusCode).toBe(401);
    expect((await upload(demo.steering, { kind: "proof", title: "x" }, pdf)).statusCode).toBe(403);
    expect((await upload(demo.partner, { kind: "proof", title: "x" }, pdf)).statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const outsider = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["probation_officer", "service_manager", "counselor"],
      serviceId: other.spipServiceId,
    });
    expect((await upload(outsider.email, { kind: "proof", title: "x" }, pdf)).statusCode).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("400 listing every field issue, in French; 400 without a file; nothing stored", async () => {
    const before = await counts();
    const bad = await upload(
      demo.counselor,
      { kind: "passport", title: " " },
      { name: "a.pdf", bytes: aPdf() },
    );
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.kind", "body.title"]);
    expect(bad.json().issues.find((i: { path: string }) => i.path === "body.kind").message).toBe(
      "Choisissez le type de document.",
    );
    // A control character in a field is refused as in a JSON body (it would hide text in the lists).
    const hidden = await upload(
      demo.counselor,
      { kind: "proof", title: "a\u0001b" },
      { name: "a.pdf", bytes: aPdf() },
    );
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().issues).toEqual([
      { path: "body.title", message: "Caractère de contrôle ou invisible interdit." },
    ]);
    const none = await upload(demo.counselor, { kind: "proof", title: "Justificatif" }, null);
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe("document.noFile");
    // An empty file (0 bytes) is no file, and the answer says it is empty, under the file's field.
    const empty = await upload(
      demo.counselor,
      { kind: "proof", title: "Justificatif" },
      {
        name: "a.pdf",
        bytes: Buffer.alloc(0),
      },
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe("document.noFile");
    expect(empty.json().issues).toEqual([
      {
        path: "body.file",
        message: "Ce fichier est vide (0 octet). Choisissez un fichier : une photo, un scan ou un PDF.",
      },
    ]);
    expect(await counts()).toEqual(before);
  });

  it("an unknown field, a bad kind, an empty title and no file are listed in one 400: nothing stored or journaled", async () => {
    const journal = async () =>
      (await t.handle.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent))[0]!.n;
    const before = { ...(await counts()), journal: await journal() };
    const pdf = { name: "a.pdf", bytes: aPdf() };
    const all = await upload(demo.counselor, { extra: "x", kind: "bogus", title: "" }, pdf);
    expect(all.statusCode, all.body).toBe(400);
    expect(all.json().code).toBe("request.invalid");
    expect(all.json().issues).toEqual([
      { path: "body.extra", message: 'Clé non reconnue : "extra"' },
      { path: "body.kind", message: "Choisissez le type de document." },
      {
        path: "body.title",
        message: "Donnez un titre au document (par exemple « Carte d'identité recto-verso »).",
      },
    ]);
    // Without its file too: the route's own refusal (the missing file first), with the same issues.
    const noFile = await upload(demo.counselor, { extra: "x", kind: "bogus", title: "" }, null);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().code).toBe("document.noFile");
    expect(noFile.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.file",
      "body.extra",
      "body.kind",
      "body.title",
    ]);
    expect(noFile.json().issues[0].message).toBe("Choisissez un fichier : une photo, un scan ou un PDF.");
    expect({ ...(await counts()), journal: await journal() }).toEqual(before);
  });

  it("refuses a wrong type, a content that does not match its extension, and more than 10 MB; nothing stored", async () => {
    const before = await counts();
    const fields = { kind: "proof", title: "Justificatif" };
    const text = await upload(demo.counselor, fields, { name: "notes.txt", bytes: Buffer.from("bonjour") });
    expect(text.statusCode).toBe(400);
    expect(text.json().code).toBe("document.typeNotAllowed");
    expect(text.json().message).toMatch(/photo .* ou un PDF/);
    const gif = Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1");
    expect((await upload(demo.counselor, fields, { name: "image.gif", bytes: gif })).json().code).toBe(
      "document.typeNotAllowed",
    );
    const pdfAsJpeg = await upload(demo.counselor, fields, { name: "photo.jpg", bytes: aPdf() });
    expect(pdfAsJpeg.statusCode).toBe(400);
    expect(pdfAsJpeg.json().code).toBe("document.typeMismatch");
    const exe = await upload(demo.counselor, fields, {
      name: "facture.pdf",
      bytes: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200)]),
    });
    expect(exe.statusCode).toBe(400);
    expect(exe.json().message).toBe(
      "Le contenu du fichier ne correspond pas à son extension : c'est un programme Windows (EXE), pas un PDF comme l'indique son nom (.pdf). Déposez une photo (JPEG, PNG, WebP, HEIC) ou un PDF.",
    );
    // A photo renamed .xlsx: its content is named, not the extension's type.
    const pngAsXlsx = await upload(demo.counselor, fields, { name: "dossiers.xlsx", bytes: await aPng() });
    expect(pngAsXlsx.json().code).toBe("document.typeMismatch");
    expect(pngAsXlsx.json().message).toBe(
      "Le contenu du fichier ne correspond pas à son extension : c'est une image PNG, et son nom finit par .xlsx. Renommez-le en .png ou choisissez le bon fichier.",
    );
    expect(pngAsXlsx.json().issues).toEqual([{ path: "body.file", message: pngAsXlsx.json().message }]);
    const pdfAsJpegMessage = pdfAsJpeg.json().message;
    expect(pdfAsJpegMessage).toMatch(
      /^Le contenu du fichier ne correspond pas à son extension : c'est un PDF, et son nom finit par \.jpg\. Renommez-le en \.pdf/,
    );
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Feuille").addRow(["Nom", "Prénom"]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const sheet = await upload(demo.counselor, fields, { name: "tableau.xlsx", bytes: xlsx });
    expect(sheet.json().code).toBe("document.typeNotAllowed");
    expect(sheet.json().message).toBe(
      "Le contenu de ce fichier est un classeur Excel (XLSX) : ce type de fichier n'est pas accepté. Déposez une photo (JPEG, PNG, WebP, HEIC) ou un PDF.",
    );
    const big = await upload(demo.counselor, fields, {
      name: "gros.pdf",
      bytes: aPdf(10 * 1024 * 1024 + 10),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe("document.tooLarge");
    expect(big.json().message).toMatch(/10 Mo/);
    expect(await counts()).toEqual(before);
  });

  it("a field sent twice, or a second file, is a 400 under that field: nothing stored, nothing journaled", async () => {
    const session = await t.sessionFor(demo.counselor);
    const send = (parts: FormPart[]) => {
      const form = formOfParts(parts);
      return t.app.inject({
        method: "POST",
        url: `/api/people/${karimId}/documents`,
        payload: form.payload,
        headers: { ...form.headers, ...session },
      });
    };
    const journal = async () =>
      (await t.handle.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent))[0]!.n;
    const before = { ...(await counts()), journal: await journal() };
    const pdf = { name: "piece.pdf", bytes: aPdf() };
    // Not the last value kept: which title is meant cannot be known.
    const twoTitles = await send([
      { name: "kind", value: "proof" },
      { name: "title", value: "Justificatif" },
      { name: "title", value: "Autre titre" },
      { name: "file", file: pdf },
    ]);
    expect(twoTitles.statusCode, twoTitles.body).toBe(400);
    expect(twoTitles.json().code).toBe("request.invalid");
    expect(twoTitles.json().issues).toEqual([
      {
        path: "body.title",
        message: "Ce champ a été envoyé plusieurs fois : une seule valeur est attendue.",
      },
    ]);
    // Each field sent twice is named once, its schema's problems not said besides.
    const twoKinds = await send([
      { name: "kind", value: "proof" },
      { name: "kind", value: "judgment_extract" },
      { name: "demarcheId", value: demarcheId },
      { name: "demarcheId", value: "" },
      { name: "title", value: "Justificatif" },
      { name: "file", file: pdf },
    ]);
    expect(twoKinds.statusCode).toBe(400);
    expect(twoKinds.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.kind",
      "body.demarcheId",
    ]);
    const twoFiles = await send([
      { name: "kind", value: "proof" },
      { name: "title", value: "Justificatif" },
      { name: "file", file: pdf },
      { name: "file", file: { name: "autre.pdf", bytes: aPdf() } },
    ]);
    expect(twoFiles.statusCode, twoFiles.body).toBe(400);
    expect(twoFiles.json().issues).toEqual([
      { path: "body.file", message: "Un seul fichier par envoi : plusieurs fichiers ont été reçus." },
    ]);
    // A text field named like the file is the same field twice.
    const fileAsText = await send([
      { name: "kind", value: "proof" },
      { name: "title", value: "Justificatif" },
      { name: "file", value: "x" },
      { name: "file", file: pdf },
    ]);
    expect(fileAsText.statusCode).toBe(400);
    expect(fileAsText.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.file"]);
    expect({ ...(await counts()), journal: await journal() }).toEqual(before);
    // The same form with each field once is stored.
    const once = await send([
      { name: "kind", value: "proof" },
      { name: "title", value: "Justificatif" },
      { name: "file", file: pdf },
    ]);
    expect(once.statusCode, once.body).toBe(200);
    expect(once.json().title).toBe("Justificatif");
  });

  it("a form with too many fields is a 413 that says so (not that the data is too large), writing nothing", async () => {
    const before = await counts();
    const crowded = Object.fromEntries([
      ["kind", "proof"],
      ["title", "Justificatif"],
      ...Array.from({ length: 6 }, (_, i) => [`extra${i}`, "x"]),
    ]);
    const response = await upload(demo.counselor, crowded, { name: "facture.pdf", bytes: aPdf() });
    expect(response.statusCode, response.body).toBe(413);
    expect(response.json().code).toBe("request.tooManyParts");
    expect(await counts()).toEqual(before);
  });

  it("a multipart body that cannot be read (cut short, no boundary) is a 400, not a 500, writing nothing", async () => {
    const session = await t.sessionFor(demo.counselor);
    const before = await counts();
    const send = (contentType: string, payload: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/people/${karimId}/documents`,
        payload,
        headers: { "content-type": contentType, ...session },
      });
    const cutShort = await send(
      "multipart/form-data; boundary=xx",
      '--xx\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4',
    );
    const noBoundary = await send("multipart/form-data", "--xx\r\n");
    for (const response of [cutShort, noBoundary]) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().issues).toEqual([
        { path: "body", message: "Le corps de la requête est illisible." },
      ]);
    }
    expect(await counts()).toEqual(before);
  });

  it("an image announcing 20000 × 20000 pixels is refused from its header, saying its dimensions", async () => {
    const before = await counts();
    const fields = { kind: "proof", title: "Justificatif" };
    const started = Date.now();
    const huge = await upload(demo.counselor, fields, { name: "scan.png", bytes: aHugePng(20_000, 20_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe("document.imageTooLarge");
    expect(huge.json().message).toMatch(/20\u00a0000 × 20\u00a0000 pixels.*100 millions de pixels/);
    expect(Date.now() - started).toBeLessThan(2000);
    // Within the limit, the same truncated pixel data reaches the decoding (and fails there).
    const small = await upload(demo.counselor, fields, { name: "scan.png", bytes: aHugePng(9_000, 9_000) });
    expect(small.json().code).toBe("document.unreadableImage");
    expect(await counts()).toEqual(before);
  });

  it("a photo is reduced to 2000 px, turned upright, re-encoded as JPEG without EXIF (no GPS), stored encrypted", async () => {
    const photo = await aPhoto(2600, 1400, 60);
    const original = await sharp(photo).metadata();
    expect(hasGpsTag(original.exif)).toBe(true);
    const response = await upload(
      demo.counselor,
      { kind: "identity", title: "Carte d'identité", demarcheId },
      { name: "IMG_0042.jpeg", bytes: photo },
    );
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view).toMatchObject({ kind: "identity", judicial: false, demarcheId, mediaType: "image/jpeg" });
    const [row] = await t.handle.db.select().from(document).where(eq(document.id, view.id));
    const [stored] = await t.handle.db.select().from(storedFile).where(eq(storedFile.id, row!.storedFileId!));
    // Encrypted at rest: the ciphertext is not the JPEG.
    expect(stored!.ciphertext.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    const download = await get(`/api/documents/${view.id}/file`, demo.counselor);
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("image/jpeg");
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(download.headers["content-disposition"])).toMatch(/^attachment; filename="IMG_0042.jpeg"/);
    const kept = await sharp(download.rawPayload).metadata();
    expect(kept.format).toBe("jpeg");
    expect(Math.max(kept.width!, kept.height!)).toBe(2000);
    expect(kept.height! > kept.width!).toBe(true); // EXIF orientation 6 applied
    expect(kept.exif).toBeUndefined();
    expect(hasGpsTag(kept.exif)).toBe(false);
    expect(view.size).toBe(download.rawPayload.length);
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "document.download"), eq(auditEvent.targetId, karimId)));
    expect(journal.length).toBeGreaterThan(0);
    // The journal names the document by its kind and title, not by an id the direction cannot use.
    expect(journal.at(-1)!.reason).toBe(`Pièce d'identité « ${view.title} », accès de la structure`);
  });

  it("a démarche of another person is refused, nothing stored", async () => {
    const [other] = await t.handle.db
      .select()
      .from(person)
      .where(and(eq(person.structureId, t.demoStructureId), sql`${person.id} <> ${karimId}`))
      .limit(1);
    const before = await counts();
    const response = await upload(
      demo.manager,
      { kind: "proof", title: "Justificatif", demarcheId },
      { name: "a.pdf", bytes: aPdf() },
      other!.id,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: "document.unknownDemarche",
      issues: [{ path: "body.demarcheId", message: response.json().message }],
    });
    expect(await counts()).toEqual(before);
  });
});

describe("a document sent again with the id its form chose (an answer lost, ADR 0036)", () => {
  const uploadsOf = async () =>
    (
      await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, "document.uploaded"), eq(auditEvent.targetId, karimId)))
    ).length;

  it("one document, one stored file, one journal row; another file or title under the id a 409; nothing more stored", async () => {
    const id = randomUUID();
    const fields = { kind: "proof", title: "Attestation CAF", demarcheId, id };
    const pdf = { name: "attestation.pdf", bytes: aPdf(4096) };
    const [before, journalBefore] = [await counts(), await uploadsOf()];
    const first = await upload(demo.counselor, fields, pdf);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().id).toBe(id);
    const again = await upload(demo.counselor, fields, pdf);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await counts()).toEqual({ documents: before.documents + 1, files: before.files + 1 });
    expect(await uploadsOf()).toBe(journalBefore + 1);

    // Another file of the same size, or another title: the first submission stays, nothing is added.
    const otherBytes = Buffer.from(pdf.bytes);
    otherBytes[100] = 0x20;
    const otherFile = await upload(demo.counselor, fields, { ...pdf, bytes: otherBytes });
    expect(otherFile.statusCode).toBe(409);
    expect(otherFile.json().code).toBe("document.retriedWithOtherValues");
    expect(otherFile.json().message).toMatch(/^Votre premier envoi avait bien été enregistré/);
    const otherTitle = await upload(demo.counselor, { ...fields, title: "Attestation CAF 2" }, pdf);
    expect(otherTitle.json().code).toBe("document.retriedWithOtherValues");
    const otherName = await upload(demo.counselor, fields, { ...pdf, name: "autre.pdf" });
    expect(otherName.json().code).toBe("document.retriedWithOtherValues");
    expect(await counts()).toEqual({ documents: before.documents + 1, files: before.files + 1 });
    expect(await uploadsOf()).toBe(journalBefore + 1);
  });

  it("a photo sent again is recognised (its reduction gives the same bytes)", async () => {
    const id = randomUUID();
    const photo = { name: "IMG_0100.jpeg", bytes: await aPhoto(2400, 1300, 60) };
    const before = await counts();
    const first = await upload(demo.counselor, { kind: "identity", title: "CNI", id }, photo);
    expect(first.statusCode, first.body).toBe(200);
    const again = await upload(demo.counselor, { kind: "identity", title: "CNI", id }, photo);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await counts()).toEqual({ documents: before.documents + 1, files: before.files + 1 });
  });

  it("another person's or another agent's id is a 400, a malformed id a 400; twice at once, one document", async () => {
    const other = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: await t.userId(demo.cpip),
      referentServiceId: (await t.handle.db.select().from(service).where(eq(service.kind, "spip")))[0]!.id,
    });
    const id = randomUUID();
    const pdf = { name: "a.pdf", bytes: aPdf() };
    expect((await upload(demo.cpip, { kind: "proof", title: "Justificatif", id }, pdf)).statusCode).toBe(200);
    const before = await counts();
    const elsewhere = await upload(demo.cpip, { kind: "proof", title: "Justificatif", id }, pdf, other.id);
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().issues).toEqual([
      { path: "body.id", message: "Cet identifiant est déjà utilisé." },
    ]);
    const byOther = await upload(demo.manager, { kind: "proof", title: "Justificatif", id }, pdf);
    expect(byOther.statusCode).toBe(400);
    const malformed = await upload(demo.counselor, { kind: "proof", title: "Justificatif", id: "42" }, pdf);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().issues).toEqual([
      { path: "body.id", message: "Identifiant de document invalide." },
    ]);
    expect(await counts()).toEqual(before);

    const twin = randomUUID();
    const journalBefore = await uploadsOf();
    const both = await Promise.all([
      upload(demo.counselor, { kind: "proof", title: "Deux fois", id: twin }, pdf),
      upload(demo.counselor, { kind: "proof", title: "Deux fois", id: twin }, pdf),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await counts()).toEqual({ documents: before.documents + 1, files: before.files + 1 });
    expect(await uploadsOf()).toBe(journalBefore + 1);
  });
});

describe("judicial documents never reach a counselor", () => {
  let extract: { id: string };
  beforeAll(async () => {
    extract = await uploaded(demo.cpip, "judgment_extract", "Extrait du jugement du 12 mars");
  });

  it("a counselor may not upload one (403), nothing stored", async () => {
    const before = await counts();
    const response = await upload(
      demo.counselor,
      { kind: "expertise", title: "Expertise" },
      {
        name: "e.pdf",
        bytes: aPdf(),
      },
    );
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe("document.judicialForbidden");
    expect(await counts()).toEqual(before);
  });

  it("not in the counselor's list, not downloadable (404), not in the timeline; the CPIP and direction see it", async () => {
    const titles = async (email: string) =>
      ((await get(`/api/people/${karimId}/documents`, email)).json().documents as { title: string }[]).map(
        (d) => d.title,
      );
    expect(await titles(demo.counselor)).not.toContain("Extrait du jugement du 12 mars");
    expect(await titles(demo.cpip)).toContain("Extrait du jugement du 12 mars");
    expect(await titles(demo.manager)).toContain("Extrait du jugement du 12 mars");
    const refused = await get(`/api/documents/${extract.id}/file`, demo.counselor);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().code).toBe("document.notFound");
    expect((await get(`/api/documents/${extract.id}/file`, demo.cpip)).statusCode).toBe(200);
    for (const url of [`/api/people/${karimId}`, `/api/people/${karimId}/timeline`]) {
      expect((await get(url, demo.counselor)).body).not.toContain("Extrait du jugement");
    }
    // Its upload is in the history of those who see it, with its kind; a counselor's history has
    // no line about it, not even its kind.
    const history = async (email: string) =>
      (await get(`/api/people/${karimId}/timeline`, email)).json().events as {
        kind: string;
        title: string;
        detail: string;
      }[];
    expect(
      (await history(demo.cpip)).find((e) => e.title.includes("Extrait du jugement du 12 mars")),
    ).toEqual(
      expect.objectContaining({
        kind: "document",
        title: "Document déposé : « Extrait du jugement du 12 mars »",
        detail: "Extrait de jugement",
      }),
    );
    const counselorHistory = await history(demo.counselor);
    expect(counselorHistory.some((e) => e.kind === "document")).toBe(true);
    expect(JSON.stringify(counselorHistory)).not.toMatch(/Extrait de jugement|Expertise/);
    // A counselor cannot remove it either (it does not exist for them).
    const removal = await t.app.inject({
      method: "DELETE",
      url: `/api/documents/${extract.id}`,
      headers: await t.sessionFor(demo.counselor),
    });
    expect(removal.statusCode).toBe(404);
  });

  it("cannot be shared under consent; a share with a structure needs a legal basis and a date", async () => {
    const o = await aCafOrientation();
    const underConsent = await post(`/api/documents/${extract.id}/shares`, demo.cpip, {
      to: "orientation",
      orientationId: o,
      reason: "Pièce du dossier",
    });
    expect(underConsent.statusCode).toBe(409);
    expect(underConsent.json().code).toBe("document.judicialNeedsLegalBasis");
    const noBasis = await post(`/api/documents/${extract.id}/shares`, demo.cpip, {
      to: "structure",
      recipientStructureId: t.demoStructureId,
      reason: "Transfert",
    });
    expect(noBasis.statusCode).toBe(400);
    expect(
      noBasis
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.legalBasis", "body.until"]);
    // An impossible day is a field error, not a failed statement.
    for (const until of ["2027-02-30", "2027-13-45", "0000-00-00"]) {
      const impossible = await post(`/api/documents/${extract.id}/shares`, demo.cpip, {
        to: "outside",
        recipientLabel: "Hébergement",
        legalBasis: "Article 712-1 CPP",
        reason: "Hébergement",
        until,
      });
      expect(impossible.statusCode).toBe(400);
      expect(impossible.json().issues[0]).toMatchObject({ path: "body.until" });
      expect(impossible.json().issues[0].message).toMatch(/^Date invalide/);
    }
    // A share lasts a year at most: the day after that, or 2199 typed by mistake, is refused under the field.
    const lastDay = addDays(parisDay(t.clock.now()), SHARE_MAX_DAYS);
    for (const until of [addDays(lastDay, 1), "2199-12-31"]) {
      const tooFar = await post(`/api/documents/${extract.id}/shares`, demo.cpip, {
        to: "outside",
        recipientLabel: "Hébergement",
        legalBasis: "Article 712-1 CPP",
        reason: "Hébergement",
        until,
      });
      expect(tooFar.statusCode).toBe(400);
      expect(tooFar.json()).toMatchObject({
        code: "document.untilTooFar",
        issues: [
          {
            path: "body.until",
            message: expect.stringContaining(`le ${lastDay.split("-").reverse().join("/")} au plus tard`),
          },
        ],
      });
    }
    const past = await post(`/api/documents/${extract.id}/shares`, demo.cpip, {
      to: "outside",
      recipientLabel: "Hébergement",
      legalBasis: "Article 712-1 CPP",
      reason: "Hébergement",
      until: addDays(parisDay(t.clock.now()), -1),
    });
    expect(past.json()).toMatchObject({ code: "document.untilInPast", issues: [{ path: "body.until" }] });
    expect(
      (
        await post(`/api/documents/${extract.id}/shares`, demo.counselor, {
          to: "outside",
          recipientLabel: "Employeur",
          legalBasis: "Article 712-1 CPP",
          reason: "Embauche",
          until: "2026-12-31",
        })
      ).statusCode,
    ).toBe(404);
  });

  it("shared with a receiving structure under a legal basis: its CPIP sees the basis and downloads; withdrawn, 404", async () => {
    const other = await aStructure(t.handle.db);
    // The form offers the other structures by name (never the person's own), to the CPIP side only.
    const offered = (await get(`/api/people/${karimId}/documents`, demo.cpip)).json().shareStructures;
    expect(offered).toContainEqual({ id: other.structure.id, name: other.structure.name });
    expect(offered.map((s: { id: string }) => s.id)).not.toContain(t.demoStructureId);
    expect((await get(`/api/people/${karimId}/documents`, demo.counselor)).json().shareStructures).toEqual(
      [],
    );
    const unchosen = await post(`/api/documents/${extract.id}/shares`, demo.cpip, {
      to: "structure",
      recipientStructureId: "",
      legalBasis: "Transfert du suivi (art. D. 574 CPP)",
      reason: "Changement de résidence",
      until: "2026-12-31",
    });
    expect(unchosen.json().issues).toEqual([
      { path: "body.recipientStructureId", message: "Choisissez la structure destinataire dans la liste." },
    ]);
    const receiver = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["probation_officer"],
      serviceId: other.spipServiceId,
    });
    const receiverCounselor = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["counselor"],
    });
    expect((await get(`/api/documents/${extract.id}/file`, receiver.email)).statusCode).toBe(404);
    const shared = await post(`/api/documents/${extract.id}/shares`, demo.cpip, {
      to: "structure",
      recipientStructureId: other.structure.id,
      legalBasis: "Transfert du suivi (art. D. 574 CPP)",
      reason: "Changement de résidence",
      until: "2026-12-31",
    });
    expect(shared.statusCode, shared.body).toBe(200);
    const share = shared.json().shares[0];
    expect(share).toMatchObject({
      to: "structure",
      live: true,
      legalBasis: "Transfert du suivi (art. D. 574 CPP)",
    });
    const received = await get(`/api/structures/${other.structure.id}/received-documents`, receiver.email);
    expect(received.statusCode).toBe(200);
    expect(received.json().documents).toEqual([
      expect.objectContaining({
        id: extract.id,
        legalBasis: "Transfert du suivi (art. D. 574 CPP)",
        until: "2026-12-31",
      }),
    ]);
    expect((await get(`/api/documents/${extract.id}/file`, receiver.email)).statusCode).toBe(200);
    // The receiving structure's counselor: never.
    expect((await get(`/api/documents/${extract.id}/file`, receiverCounselor.email)).statusCode).toBe(404);
    expect(
      (await get(`/api/structures/${other.structure.id}/received-documents`, receiverCounselor.email))
        .statusCode,
    ).toBe(403);
    // The receiving direction's journal says whom the share concerns: the name its inbox shows.
    const receiverManager = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
      serviceId: other.spipServiceId,
    });
    const concerns = async (action: string) =>
      (await get(`/api/audit?structureId=${other.structure.id}&action=${action}`, receiverManager.email))
        .json()
        .events.map((e: { subjectName: string | null }) => e.subjectName);
    expect(await concerns("document.shared")).toEqual(["BENALI Karim"]);
    expect(await concerns("document.received_read")).toEqual(["BENALI Karim"]);
    // Its reason agrees with its count (« 1 document reçu », not « 1 documents reçus »).
    const [receivedRead] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(
        and(eq(auditEvent.action, "document.received_read"), eq(auditEvent.structureId, other.structure.id)),
      );
    expect(receivedRead!.reason.split(" ; ")[0]).toBe("1 document reçu");
    const withdrawn = await post(`/api/document-shares/${share.id}/withdraw`, demo.cpip);
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().shares[0]).toMatchObject({ live: false });
    expect((await post(`/api/document-shares/${share.id}/withdraw`, demo.cpip)).statusCode).toBe(409);
    expect((await get(`/api/documents/${extract.id}/file`, receiver.email)).statusCode).toBe(404);
    // Journaled on both sides.
    const rows = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "document.share_withdrawn"));
    expect(rows.map((r) => r.structureId).sort()).toEqual([t.demoStructureId, other.structure.id].sort());
    // Withdrawn, the share no longer tells the receiving structure the person's name.
    expect(await concerns("document.shared")).toEqual([null]);
    expect(await concerns("document.share_withdrawn")).toEqual([null]);
  });
});

async function aCafOrientation(withConsent = true): Promise<string> {
  const cpip = await t.userId(demo.cpip);
  if (withConsent) {
    await t.handle.db.update(consent).set({ revokedAt: t.clock.now() }).where(eq(consent.personId, karimId));
    await t.handle.db.insert(consent).values({
      structureId: t.demoStructureId,
      personId: karimId,
      shareDemarcheDetails: true,
      shareNotes: false,
      recipients: ["spip"],
      partnerIds: [cafId],
      purpose: "Ouverture des droits CAF",
      collectedBy: cpip,
      collectedAt: t.clock.now(),
    });
  }
  const [o] = await t.handle.db
    .insert(orientation)
    .values({
      structureId: t.demoStructureId,
      personId: karimId,
      target: "partner_back_office",
      partnerId: cafId,
      reason: "Dossier RSA bloqué",
      status: "sent",
      createdBy: cpip,
      sentAt: t.clock.now(),
      expiresAt: new Date(t.clock.now().getTime() + 30 * 86_400_000),
    })
    .returning();
  return o!.id;
}

describe("sharing with a partner under consent", () => {
  it("the CAF referent sees and downloads the proof; withdrawing the consent hides it", async () => {
    const proof = await uploaded(demo.counselor, "proof", "Attestation de domicile");
    const o = await aCafOrientation();
    expect((await get(`/api/documents/${proof.id}/file`, demo.partner)).statusCode).toBe(404);
    // A counselor does not share outside the structure.
    const byCounselor = await post(`/api/documents/${proof.id}/shares`, demo.counselor, {
      to: "orientation",
      orientationId: o,
      reason: "Pièce pour le RSA",
    });
    expect(byCounselor.statusCode).toBe(403);
    const shared = await post(`/api/documents/${proof.id}/shares`, demo.cpip, {
      to: "orientation",
      orientationId: o,
      reason: "Pièce pour le RSA",
    });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(shared.json().shares[0]).toMatchObject({
      to: "orientation",
      recipient: "CAF (Caisse d'allocations familiales)",
      live: true,
    });
    // The inbox card says it has one (the page asks for the list of those cards only).
    const countOf = async () =>
      (await get("/api/orientations/inbox", demo.partner))
        .json()
        .orientations.find((x: { id: string }) => x.id === o).documentCount;
    expect(await countOf()).toBe(1);
    const inbox = await get(`/api/orientations/${o}/documents`, demo.partner);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.json().documents.map((d: { id: string }) => d.id)).toEqual([proof.id]);
    const [read] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.requestId, String(inbox.headers["x-request-id"])));
    expect(read).toMatchObject({ action: "orientation.documents_read", reason: "1 document partagé" });
    const download = await get(`/api/documents/${proof.id}/file`, demo.partner);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    const journaled = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.requestId, String(download.headers["x-request-id"])));
    // Its own row only: no second, empty `person.data_read` row from the mount (ADR 0010).
    expect(journaled).toHaveLength(1);
    expect(journaled[0]).toMatchObject({ action: "document.download", targetId: karimId });
    // Another partner's referent, the mediator: 404.
    expect((await get(`/api/documents/${proof.id}/file`, demo.mediator)).statusCode).toBe(404);
    expect((await get(`/api/orientations/${o}/documents`, demo.mediator)).statusCode).toBe(404);
    // The consent is withdrawn: the document disappears from the inbox item and the download.
    const [active] = await t.handle.db
      .select()
      .from(consent)
      .where(and(eq(consent.personId, karimId), sql`${consent.revokedAt} is null`));
    expect((await post(`/api/consents/${active!.id}/revoke`, demo.cpip)).statusCode).toBe(200);
    expect((await get(`/api/orientations/${o}/documents`, demo.partner)).json().documents).toEqual([]);
    expect(await countOf()).toBe(0);
    expect((await get(`/api/documents/${proof.id}/file`, demo.partner)).statusCode).toBe(404);
    const list = await get(`/api/people/${karimId}/documents`, demo.cpip);
    const seen = list.json().documents.find((d: { id: string }) => d.id === proof.id);
    expect(seen.shares[0].live).toBe(false);
  });

  it("no consent naming the partner: the share is refused (409), nothing written", async () => {
    const proof = await uploaded(demo.cpip, "proof", "Avis d'imposition");
    await t.handle.db.update(consent).set({ revokedAt: t.clock.now() }).where(eq(consent.personId, karimId));
    const o = await aCafOrientation(false);
    const refused = await post(`/api/documents/${proof.id}/shares`, demo.cpip, {
      to: "orientation",
      orientationId: o,
      reason: "Pièce",
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("orientation.consentRequired");
    expect(
      await t.handle.db.select().from(documentShare).where(eq(documentShare.documentId, proof.id)),
    ).toEqual([]);
  });
});

describe("removal", () => {
  it("a soft removal: gone from the list and the download, kept in the journal", async () => {
    const doc = await uploaded(demo.counselor, "other", "Courrier à retirer");
    const removal = await t.app.inject({
      method: "DELETE",
      url: `/api/documents/${doc.id}`,
      headers: await t.sessionFor(demo.counselor),
    });
    expect(removal.statusCode).toBe(200);
    expect((await get(`/api/documents/${doc.id}/file`, demo.counselor)).statusCode).toBe(404);
    const [row] = await t.handle.db.select().from(document).where(eq(document.id, doc.id));
    expect(row!.deletedAt).not.toBeNull();
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "document.removed"));
    expect(journal.at(-1)!.reason).toContain("Courrier à retirer");
  });

  it("the history says who added and who removed a document, and the history's read is journaled", async () => {
    const doc = await uploaded(demo.counselor, "proof", "Avis d'imposition 2025");
    const removal = await t.app.inject({
      method: "DELETE",
      url: `/api/documents/${doc.id}`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(removal.statusCode).toBe(200);
    for (const email of [demo.counselor, demo.cpip]) {
      const response = await get(`/api/people/${karimId}/timeline`, email);
      expect(response.statusCode).toBe(200);
      const lines = (response.json().events as { kind: string; title: string }[]).filter((e) =>
        e.title.includes("Avis d'imposition 2025"),
      );
      // Newest first: the removal, then the upload.
      expect(lines).toEqual([
        {
          at: expect.any(String),
          kind: "document",
          title: "Document supprimé : « Avis d'imposition 2025 »",
          detail: "Justificatif",
          actorName: "Camille Martin",
        },
        {
          at: expect.any(String),
          kind: "document",
          title: "Document déposé : « Avis d'imposition 2025 »",
          detail: "Justificatif",
          actorName: "Inès Moreau",
        },
      ]);
      const [read] = await t.handle.db
        .select()
        .from(auditEvent)
        .where(
          and(
            eq(auditEvent.requestId, response.headers["x-request-id"] as string),
            eq(auditEvent.targetId, karimId),
          ),
        );
      expect(read).toMatchObject({ action: "person.timeline_read", outcome: "success" });
    }
  });

  it("removed twice at once: removed (and journaled) once, the other 404", async () => {
    for (const title of ["Doublon A", "Doublon B", "Doublon C"]) {
      const doc = await uploaded(demo.counselor, "other", title);
      const [a, b] = [await t.sessionFor(demo.counselor), await t.sessionFor(demo.counselor)];
      const url = `/api/documents/${doc.id}`;
      const answers = await Promise.all([
        t.app.inject({ method: "DELETE", url, headers: a }),
        t.app.inject({ method: "DELETE", url, headers: b }),
      ]);
      expect(answers.map((r) => r.statusCode).sort(), answers.map((r) => r.body).join("\n")).toEqual([
        200, 404,
      ]);
      const journal = (
        await t.handle.db.select().from(auditEvent).where(eq(auditEvent.action, "document.removed"))
      ).filter((e) => e.reason.includes(title));
      expect(journal).toHaveLength(1);
    }
  });
});

describe("retention", () => {
  it("the data export lists the documents (no content); erasing the person deletes documents, shares and files", async () => {
    const cpip = await t.userId(demo.cpip);
    const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
    const someone = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: cpip,
      referentServiceId: spip!.id,
    });
    const proof = await upload(
      demo.cpip,
      { kind: "proof", title: "Quittance de loyer" },
      {
        name: "quittance.pdf",
        bytes: aPdf(),
      },
      someone.id,
    );
    expect(proof.statusCode).toBe(200);
    const extract = await upload(
      demo.cpip,
      { kind: "judgment_extract", title: "Extrait" },
      {
        name: "extrait.pdf",
        bytes: aPdf(),
      },
      someone.id,
    );
    await post(`/api/documents/${extract.json().id}/shares`, demo.cpip, {
      to: "outside",
      recipientLabel: "Structure d'hébergement",
      legalBasis: "Article 712-1 du code de procédure pénale",
      reason: "Hébergement",
      until: "2026-12-31",
    });
    const exported = await get(`/api/people/${someone.id}/data-export/json`, demo.manager);
    const section = JSON.parse(exported.body).sections.find((s: { key: string }) => s.key === "documents");
    expect(section.rows.map((r: { title: string }) => r.title).sort()).toEqual([
      "Extrait",
      "Quittance de loyer",
    ]);
    expect(exported.body).not.toContain("%PDF");
    const before = await counts();
    await t.handle.db
      .update(person)
      .set({ archivedAt: new Date("2025-01-01T00:00:00Z") })
      .where(eq(person.id, someone.id));
    // Archived: gone from the staff's lists except the direction's, and from downloads by shares.
    expect((await get(`/api/people/${someone.id}/documents`, demo.cpip)).statusCode).toBe(404);
    expect(await erasePerson(t.handle.db, someone.id, new Date("2025-06-01T00:00:00Z"), t.clock.now())).toBe(
      true,
    );
    expect(await counts()).toEqual({ documents: before.documents - 2, files: before.files - 2 });
    expect(await t.handle.db.select().from(document).where(eq(document.personId, someone.id))).toEqual([]);
  });
});
