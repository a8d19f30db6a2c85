import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvent,
  caseloadImport,
  caseloadImportRow,
  measure,
  membership,
  person,
  referent,
  site,
} from "../db/schema";
import { aPerson, aStructure } from "../testing/builders";
import { aPdf, aPng, formOfParts } from "../testing/documentFiles";
import { longestPause } from "../testing/eventLoop";
import { aLongXlsx, anXlsxBomb, generatedCaseload, multipartFile, windows1252 } from "../testing/importFiles";
import { type AuthHeaders, convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let cpip: AuthHeaders;
beforeAll(async () => {
  t = await startTestApp();
  cpip = await t.sessionFor(demo.cpip);
});
afterAll(() => t.close());

const mapping = {
  sourceNumber: "N° dossier",
  lastName: "NOM",
  firstName: "Prénom",
  birthDate: "Date de naissance",
  phone: "Téléphone",
  email: "",
  measureType: "Mesure",
  measureStart: "Début de mesure",
  measureEnd: "Fin de mesure",
  referent: "CPIP référent",
};

async function upload(fileName: string, content: Uint8Array | string, headers: AuthHeaders | null = cpip) {
  const file = multipartFile(fileName, content);
  return t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}/imports`,
    payload: file.payload,
    headers: { ...file.headers, ...(headers ?? {}) },
  });
}
const post = (url: string, payload: object, headers: AuthHeaders = cpip) =>
  t.app.inject({ method: "POST", url, payload, headers });

/** Upload, preview with the mapping, then every batch: the final progress. */
async function importAll(fileName: string, content: string, run: object = { duplicates: "skip" }) {
  const uploaded = (await upload(fileName, content)).json();
  const preview = await post(`/api/imports/${uploaded.importId}/preview`, { mapping });
  expect(preview.statusCode, preview.body).toBe(200);
  let progress = (await post(`/api/imports/${uploaded.importId}/run`, run)).json();
  while (!progress.done) progress = (await post(`/api/imports/${uploaded.importId}/run`, run)).json();
  return { importId: uploaded.importId as string, preview: preview.json(), progress };
}
const countOf = async (table: typeof person | typeof caseloadImport) =>
  (await t.handle.db.select({ n: count() }).from(table))[0]!.n;

describe("caseload import: access and bad input", () => {
  it("401 anonymous, 403 for a counselor and in another structure, 400 without a file or with a bad mapping", async () => {
    expect((await upload("a.csv", generatedCaseload(2), null)).statusCode).toBe(401);
    const counselor = await upload("a.csv", generatedCaseload(2), await t.sessionFor(demo.counselor));
    expect(counselor.statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const file = multipartFile("a.csv", generatedCaseload(2));
    const elsewhere = await t.app.inject({
      method: "POST",
      url: `/api/structures/${other.structure.id}/imports`,
      payload: file.payload,
      headers: { ...file.headers, ...cpip },
    });
    expect(elsewhere.statusCode).toBe(403);
    const noFile = await post(`/api/structures/${t.demoStructureId}/imports`, {});
    expect(noFile.json().code).toBe("import.noFile");
    // No file part, however the request is sent: the missing file is said, never « "file" » as an
    // unknown key; another field is named too.
    const noFileMessage = "Choisissez un fichier CSV ou XLSX à importer.";
    const otherField = formOfParts([{ name: "other", value: "x" }]);
    const withoutFile = [
      await t.app.inject({
        method: "POST",
        url: `/api/structures/${t.demoStructureId}/imports`,
        payload: otherField.payload,
        headers: { ...otherField.headers, ...cpip },
      }),
      await post(`/api/structures/${t.demoStructureId}/imports`, { file: "a.csv", other: 1 }),
    ];
    for (const answer of withoutFile) {
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({
        code: "import.noFile",
        message: noFileMessage,
        issues: [
          { path: "body.file", message: noFileMessage },
          { path: "body.other", message: 'Clé non reconnue : "other"' },
        ],
      });
    }
    const jsonFile = await post(`/api/structures/${t.demoStructureId}/imports`, { file: "a.csv" });
    expect(jsonFile.json()).toEqual({
      code: "import.noFile",
      message: noFileMessage,
      requestId: expect.any(String),
    });
    const uploaded = (await upload("a.csv", generatedCaseload(2))).json();
    const bad = await post(`/api/imports/${uploaded.importId}/preview`, {
      mapping: { ...mapping, sourceNumber: "", lastName: "Prénom" },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.mapping.firstName", "body.mapping.lastName", "body.mapping.sourceNumber"]);
    const unknown = await post(`/api/imports/${uploaded.importId}/preview`, {
      mapping: { ...mapping, phone: "Portable" },
    });
    expect(unknown.json().issues).toEqual([
      { path: "body.mapping.phone", message: "Cette colonne n'est pas dans le fichier." },
    ]);
    // Another agent's import is not told apart from one that does not exist.
    const byOther = await post(
      `/api/imports/${uploaded.importId}/preview`,
      { mapping },
      await t.sessionFor(demo.cpip2),
    );
    expect(byOther.statusCode).toBe(404);
    expect((await post(`/api/imports/${uploaded.importId}/run`, { duplicates: "skip" })).json().code).toBe(
      "import.notPreviewed",
    );
  });

  it("refuses a 50 MB file, a binary file and a text that is not a table, writing nothing", async () => {
    const before = await countOf(caseloadImport);
    const huge = await upload("gros.csv", new Uint8Array(50 * 1024 * 1024).fill(0x41));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().message).toMatch(/^Le fichier dépasse 10 Mo/);
    // Announced under the limit but longer: refused while it is read.
    const streamed = await upload("juste-trop.csv", new Uint8Array(10 * 1024 * 1024 + 10_000).fill(0x41));
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().code).toBe("import.tooLarge");
    const binary = await upload("photo.csv", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0]));
    expect(binary.json().code).toBe("import.encoding");
    // A photo renamed .xlsx, a PDF renamed .csv: told what their content is, under the file field.
    const png = await upload("dossiers.xlsx", await aPng());
    expect(png.statusCode).toBe(400);
    expect(png.json().code).toBe("import.notASpreadsheet");
    expect(png.json().message).toMatch(
      /^Le contenu de ce fichier est une image PNG, pas un tableau CSV ou XLSX/,
    );
    expect(png.json().message).not.toMatch(/classeur XLSX|encodage/);
    expect(png.json().issues).toEqual([{ path: "body.file", message: png.json().message }]);
    const pdf = await upload("dossiers.csv", aPdf());
    expect(pdf.json().code).toBe("import.notASpreadsheet");
    expect(pdf.json().message).toMatch(/^Le contenu de ce fichier est un PDF, pas un tableau/);
    const prose = await upload("lettre.csv", "Bonjour,\nceci est une lettre\n");
    expect(prose.json().code).toBe("import.notATable");
    const empty = await upload("vide.csv", "N° dossier;NOM;Prénom\r\n");
    expect(empty.json().code).toBe("import.notATable");
    expect(await countOf(caseloadImport)).toBe(before);
  });
});

describe("caseload import: reading files", () => {
  it("reads UTF-8 with `;`, proposes a mapping from the column names, then the saved one", async () => {
    const first = (await upload("export.csv", `\uFEFF${generatedCaseload(3, "U")}`)).json();
    expect(first).toMatchObject({ rowCount: 3, mappingOrigin: "guessed", mapping });
    expect(first.sample[0]).toEqual([
      "U-1",
      "MARTIN",
      "Léa",
      "01/01/1960",
      "06 00 34 56 70",
      "Sursis probatoire",
      "01/01/2025",
      "01/01/2027",
      "",
    ]);
    await post(`/api/imports/${first.importId}/preview`, { mapping: { ...mapping, phone: "" } });
    const again = (await upload("export.csv", generatedCaseload(3, "U"))).json();
    expect(again).toMatchObject({ mappingOrigin: "saved", mapping: { ...mapping, phone: "" } });
  });

  it("reads Windows-1252 with `,` and an XLSX sheet with real dates", async () => {
    const latin = windows1252(
      "N° dossier,NOM,Prénom,Date de naissance,Téléphone,Mesure,Début de mesure,Fin de mesure,CPIP référent\r\nW-1,LEFÈVRE,Hélène,02/03/1981,0612345678,Libération conditionnelle,01/02/2025,01/02/2026,\r\n",
    );
    const read = (await upload("windows.csv", latin)).json();
    expect(read.sample[0].slice(0, 3)).toEqual(["W-1", "LEFÈVRE", "Hélène"]);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Dossiers");
    sheet.addRow(Object.values(mapping).filter(Boolean));
    sheet.addRow([
      "X-1",
      "ROBERT",
      "Zoé",
      new Date(Date.UTC(1975, 10, 23)),
      "07 12 34 56 78",
      "TIG",
      new Date(Date.UTC(2025, 0, 6)),
      new Date(Date.UTC(2026, 0, 6)),
      "",
    ]);
    const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
    const fromSheet = (await upload("export.xlsx", xlsx)).json();
    expect(fromSheet.sample[0].slice(0, 4)).toEqual(["X-1", "ROBERT", "Zoé", "23/11/1975"]);
    const preview = (await post(`/api/imports/${fromSheet.importId}/preview`, { mapping })).json();
    expect(preview).toMatchObject({ rowCount: 1, validCount: 1, errorCount: 0, issues: [] });
  });
});

describe("caseload import: an XLSX is read without trusting it", () => {
  it("a sheet unpacking past 100 MB (400,000 rows × 20 cells, 600 KB) is refused from the zip directory, at once", async () => {
    const before = await countOf(caseloadImport);
    const started = Date.now();
    const bomb = await upload("export.xlsx", anXlsxBomb(400_000, 20));
    expect(bomb.statusCode).toBe(413);
    expect(bomb.json().code).toBe("import.unpackedTooLarge");
    expect(bomb.json().message).toMatch(/dépasse 100 Mo une fois décompressé.*50 000 lignes/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await countOf(caseloadImport)).toBe(before);
  });

  it("a forged zip directory announcing 100 KB is caught when the sheet unpacks to more", async () => {
    const forged = await upload("export.xlsx", aLongXlsx(20_000, { claimedSize: 100_000 }));
    expect(forged.statusCode).toBe(413);
    expect(forged.json().code).toBe("import.unpackedTooLarge");
  });

  it("a sheet is read row by row and no further than one row past 50,000; other requests are answered meanwhile", async () => {
    // What follows row 50,002 is not XML: reading it would end in `import.notATable`.
    const file = aLongXlsx(60_000, { thenGarbage: true });
    let done = false;
    const long = upload("export.xlsx", file).finally(() => {
      done = true;
    });
    // A health check every 20 ms (on a timer: a blocked event loop delays it), until the answer.
    const answers = [Date.now()];
    while (!done && Date.now() < answers[0]! + 60_000) {
      await sleep(20);
      const health = await t.app.inject({ url: "/healthz" });
      expect(health.statusCode).toBe(200);
      if (!done) answers.push(Date.now());
    }
    const gaps = answers.slice(1).map((at, i) => at - answers[i]!);
    const response = await long;
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("import.tooManyRows");
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...gaps)).toBeLessThan(1000);
  });
});

describe("caseload import: rows, duplicates, idempotence, journal", () => {
  it("reports every bad row with its line and reason, and imports the others", async () => {
    const csv = [
      "N° dossier;NOM;Prénom;Date de naissance;Téléphone;Mesure;Début de mesure;Fin de mesure;CPIP référent",
      "B-1;PETIT;Inès;14/07/1990;06 11 22 33 44;SSJ;01/01/2025;01/01/2028;",
      "B-2;;Noah;31/02/1990;12;Amende;01/01/2025;01/01/2024;inconnu@nulle-part.fr",
      "B-1;PETIT;Inès;14/07/1990;;;;;",
      `B-3;DURAND;Yanis;05/05/1985;+33 7 00 00 00 01;LC;01/06/2025;01/06/2026;${demo.cpip2}`,
      "B-4;MOREAU;Jules;01/01/1900;;;;;",
    ].join("\n");
    const { importId, preview, progress } = await importAll("erreurs.csv", csv);
    expect(preview).toMatchObject({ rowCount: 5, validCount: 2, errorCount: 3 });
    expect(preview.issues).toEqual([
      { line: 3, field: "lastName", message: "Saisissez le nom." },
      { line: 3, field: "birthDate", message: "Saisissez une date réelle, au format jj/mm/aaaa." },
      { line: 3, field: "phone", message: expect.stringMatching(/^Saisissez un numéro de téléphone valide/) },
      { line: 3, field: "measureType", message: expect.stringMatching(/^Type de mesure inconnu/) },
      { line: 3, field: "measureEnd", message: "La fin de mesure doit suivre son début." },
      { line: 3, field: "referent", message: "Aucun CPIP de la structure n'a cette adresse ou ce nom." },
      { line: 4, field: "sourceNumber", message: "Ce numéro de dossier figure déjà ligne 2 du fichier." },
      // A placeholder birth date (an old application's 01/01/1900): the person form's rule, 13 to 110 years.
      {
        line: 6,
        field: "birthDate",
        message: expect.stringMatching(/^Cette date donne \d+ ans : au-delà de 110 ans/),
      },
    ]);
    expect(progress).toMatchObject({ done: true, counts: { created: 2, errors: 3, merged: 0, skipped: 0 } });
    const summary = (await t.app.inject({ url: `/api/imports/${importId}`, headers: cpip })).json();
    expect(summary.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 6]);
    expect(summary.errors[0].reason).toMatch(/^Nom : Saisissez le nom\. ; Date de naissance/);
    const [yanis] = await t.handle.db.select().from(person).where(eq(person.sourceNumber, "B-3"));
    expect(yanis).toMatchObject({ lastName: "DURAND", phone: "+33700000001", status: "milieu_ouvert" });
    const [ref] = await t.handle.db.select().from(referent).where(eq(referent.personId, yanis!.id));
    expect(ref!.userId).toBe(await t.userId(demo.cpip2));
    // The file's history opens with the import, by the agent who imported it (not its referent).
    const timeline = (await t.app.inject({ url: `/api/people/${yanis!.id}/timeline`, headers: cpip })).json();
    expect(timeline.events).toEqual([
      {
        at: t.clock.now().toISOString(),
        kind: "person",
        title: "Dossier créé",
        detail: "Import de dossiers",
        actorName: "Camille Martin",
      },
    ]);
    const report = await t.app.inject({ url: `/api/imports/${importId}/report`, headers: cpip });
    expect(report.body.split("\r\n").slice(0, 3)).toEqual([
      "\uFEFFligne;résultat;motif",
      "2;créé;",
      expect.stringMatching(/^3;erreur;"Nom : Saisissez le nom\./),
    ]);
    // The file's cells are not kept once imported.
    const kept = await t.handle.db
      .select({ n: count() })
      .from(caseloadImportRow)
      .where(and(eq(caseloadImportRow.importId, importId), isNull(caseloadImportRow.cells)));
    expect(kept[0]!.n).toBe(5);
  });

  it("names the report after the import's day in Paris, not in UTC", async () => {
    const before = t.clock.now();
    // 00:30 in Paris on 15 March is still 14 March in UTC.
    t.clock.set(new Date("2026-03-14T23:30:00Z"));
    try {
      const { importId } = await importAll("nuit.csv", generatedCaseload(1, "NUIT"));
      const report = await t.app.inject({ url: `/api/imports/${importId}/report`, headers: cpip });
      expect(report.statusCode).toBe(200);
      expect(report.headers["content-disposition"]).toMatch(
        /^attachment; filename="bilan-import-2026-03-15\.csv"/,
      );
    } finally {
      t.clock.set(before);
    }
  });

  it("reads the contrôle judiciaire by its label or abbreviation, in milieu ouvert", async () => {
    const csv = [
      "N° dossier;NOM;Prénom;Date de naissance;Téléphone;Mesure;Début de mesure;Fin de mesure;CPIP référent",
      "CJ-1;MOREAU;Anis;12/12/1992;;Contrôle judiciaire;01/03/2026;01/09/2026;",
      "CJ-2;MOREAU;Léa;13/12/1993;;CJ;01/04/2026;01/10/2026;",
      "CJ-3;MOREAU;Tom;14/12/1994;;controle judiciaire;01/05/2026;01/11/2026;",
    ].join("\n");
    const { preview, progress } = await importAll("cj.csv", csv);
    expect(preview).toMatchObject({ rowCount: 3, validCount: 3, errorCount: 0, issues: [] });
    expect(progress.counts).toMatchObject({ created: 3, errors: 0 });
    const imported = await t.handle.db
      .select({
        number: person.sourceNumber,
        status: person.status,
        type: measure.type,
        end: measure.endDate,
      })
      .from(person)
      .innerJoin(measure, eq(measure.personId, person.id))
      .where(inArray(person.sourceNumber, ["CJ-1", "CJ-2", "CJ-3"]))
      .orderBy(person.sourceNumber);
    expect(imported).toEqual([
      { number: "CJ-1", status: "milieu_ouvert", type: "controle_judiciaire", end: "2026-09-01" },
      { number: "CJ-2", status: "milieu_ouvert", type: "controle_judiciaire", end: "2026-10-01" },
      { number: "CJ-3", status: "milieu_ouvert", type: "controle_judiciaire", end: "2026-11-01" },
    ]);
  });

  it("matches existing people on normalised name and birth date: skip, merge or create as chosen", async () => {
    const cpipId = await t.userId(demo.cpip);
    const [m] = await t.handle.db.select().from(membership).where(eq(membership.userId, cpipId));
    const existing = async (lastName: string, firstName: string) =>
      aPerson(t.handle.db, {
        structureId: t.demoStructureId,
        referentUserId: cpipId,
        referentServiceId: m!.serviceId!,
        identity: { lastName, firstName, birthDate: "1970-04-04", phone: "" },
      });
    const merged = await existing("Gâteau", "Émile");
    await existing("Sable", "Rémi");
    await existing("Pain", "Noé");
    const csv = [
      "N° dossier;NOM;Prénom;Date de naissance;Téléphone;Mesure;Début de mesure;Fin de mesure;CPIP référent",
      "M-1;GATEAU;emile;04/04/1970;06 98 76 54 32;TIG;01/03/2025;01/03/2026;",
      "M-2;SABLE;Remi;04/04/1970;;;;;",
      "M-3;PAIN;Noé;04/04/1970;;;;;",
    ].join("\n");
    const choices = [
      { line: 2, decision: "merge" },
      { line: 4, decision: "create" },
    ];
    const peopleBefore = await countOf(person);
    const { preview, progress } = await importAll("doublons.csv", csv, { duplicates: "skip", choices });
    expect(preview.duplicates.map((d: { line: number }) => d.line)).toEqual([2, 3, 4]);
    expect(preview.duplicates[0].existing).toMatchObject({ id: merged.id, name: "GÂTEAU Émile" });
    expect(progress.counts).toEqual({ created: 1, merged: 1, skipped: 1, unchanged: 0, errors: 0 });
    expect(await countOf(person)).toBe(peopleBefore + 1);
    const [after] = await t.handle.db.select().from(person).where(eq(person.id, merged.id));
    expect(after).toMatchObject({ phone: "+33698765432", sourceNumber: "M-1", lastName: "Gâteau" });
    const measures = await t.handle.db.select().from(measure).where(eq(measure.personId, merged.id));
    expect(measures.map((x) => x.type).sort()).toEqual(["sursis_probatoire", "travail_interet_general"]);
  });

  it("lets the direction import with a referent column; a row without referent is an error", async () => {
    const direction = await t.sessionFor(demo.manager);
    const csv = [
      "N° dossier;NOM;Prénom;Date de naissance;Téléphone;Mesure;Début de mesure;Fin de mesure;CPIP référent",
      `R-1;LAURENT;Sofia;09/09/1999;;;;;${demo.cpip2.toUpperCase()}`,
      "R-2;LAURENT;Yanis;09/09/1998;;;;;",
    ].join("\n");
    const file = multipartFile("direction.csv", csv);
    const uploaded = await t.app.inject({
      method: "POST",
      url: `/api/structures/${t.demoStructureId}/imports`,
      payload: file.payload,
      headers: { ...file.headers, ...direction },
    });
    const importId = uploaded.json().importId;
    const preview = (await post(`/api/imports/${importId}/preview`, { mapping }, direction)).json();
    expect(preview.issues).toEqual([
      {
        line: 3,
        field: "referent",
        message: "Indiquez le CPIP référent : vous n'êtes pas CPIP de la structure.",
      },
    ]);
    const progress = (await post(`/api/imports/${importId}/run`, { duplicates: "skip" }, direction)).json();
    expect(progress).toMatchObject({ done: true, counts: { created: 1, errors: 1 } });
    const [sofia] = await t.handle.db.select().from(person).where(eq(person.sourceNumber, "R-1"));
    const [ref] = await t.handle.db.select().from(referent).where(eq(referent.personId, sofia!.id));
    expect(ref!.userId).toBe(await t.userId(demo.cpip2));
  });

  it("asks the direction for the referent column before checking rows; a CPIP may leave it out", async () => {
    const csv = [
      "N° dossier;NOM;Prénom;Date de naissance;Téléphone;Mesure;Début de mesure;Fin de mesure",
      "S-1;LAURENT;Inès;09/09/1997;;;;",
    ].join("\n");
    const uploadAs = async (session: AuthHeaders) =>
      (await upload("sans-referent.csv", csv, session)).json() as {
        importId: string;
        referentRequired: boolean;
      };
    const withoutReferent = { ...mapping, referent: "" };
    const direction = await t.sessionFor(demo.manager);
    const byDirection = await uploadAs(direction);
    expect(byDirection.referentRequired).toBe(true);
    const refused = await post(
      `/api/imports/${byDirection.importId}/preview`,
      { mapping: withoutReferent },
      direction,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([
      {
        path: "body.mapping.referent",
        message:
          "Choisissez la colonne du CPIP référent : vous n'êtes pas CPIP de la structure, chaque dossier doit en nommer un.",
      },
    ]);
    const byCpip = await uploadAs(cpip);
    expect(byCpip.referentRequired).toBe(false);
    const preview = await post(`/api/imports/${byCpip.importId}/preview`, { mapping: withoutReferent }, cpip);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ validCount: 1, errorCount: 0 });
  });

  it("reads the milieu fermé columns: checked per row in French, shown in the preview, written on the file", async () => {
    await t.handle.db.insert(site).values({
      structureId: t.demoStructureId,
      name: "Centre pénitentiaire de Meaux-Chauconin",
      kind: "prison",
      address: "Chauconin-Neufmontiers",
    });
    const csv = [
      "N° dossier;NOM;Prénom;Date de naissance;Établissement;N° d'écrou;Date de libération prévue;Type de sortie",
      "P-1;DURAND;Medhi;03/03/1993;Centre pénitentiaire de Meaux-Chauconin;77-4521;15/09/2026;Fin de peine",
      "P-2;DURAND;Ilyes;03/03/1994;Maison d'arrêt de Fresnes;77-4522;31/02/2026;Évasion",
      "P-3;DURAND;Nora;03/03/1995;;77-4523;;",
    ].join("\n");
    const uploaded = (await upload("detenus.csv", csv)).json();
    expect(uploaded.mapping).toMatchObject({
      detentionSite: "Établissement",
      prisonNumber: "N° d'écrou",
      expectedReleaseDate: "Date de libération prévue",
      releaseKind: "Type de sortie",
    });
    const preview = (
      await post(`/api/imports/${uploaded.importId}/preview`, { mapping: uploaded.mapping })
    ).json();
    expect(preview.rows[0].values).toMatchObject({ prisonNumber: "77-4521", releaseKind: "Fin de peine" });
    expect(preview.issues.map((i: { line: number; field: string }) => `${i.line}:${i.field}`)).toEqual([
      "3:detentionSite",
      "3:expectedReleaseDate",
      "3:releaseKind",
      "4:detentionSite",
    ]);
    expect(preview.issues[0].message).toBe(
      "Aucun établissement pénitentiaire ni SAS de la structure ne porte ce nom : Centre pénitentiaire de Meaux-Chauconin.",
    );
    let progress = (await post(`/api/imports/${uploaded.importId}/run`, { duplicates: "skip" })).json();
    while (!progress.done)
      progress = (await post(`/api/imports/${uploaded.importId}/run`, { duplicates: "skip" })).json();
    expect(progress.counts).toMatchObject({ created: 1, errors: 2 });
    const [medhi] = await t.handle.db.select().from(person).where(eq(person.sourceNumber, "P-1"));
    expect(medhi).toMatchObject({
      status: "detenu",
      prisonNumber: "77-4521",
      expectedReleaseDate: "2026-09-15",
      releaseKind: "end_of_sentence",
    });
    // Imported, never convoked: not a file of the counselor's (DESIGN §2)...
    const unseen = await t.app.inject({
      method: "GET",
      url: `/api/people/${medhi!.id}`,
      headers: await t.sessionFor(demo.counselor),
    });
    expect(unseen.statusCode).toBe(404);
    // ...once convoked, the counselor reads the establishment and the release date, never the prison number.
    await convokedOnce(t, medhi!.id);
    const asCounselor = await t.app.inject({
      method: "GET",
      url: `/api/people/${medhi!.id}`,
      headers: await t.sessionFor(demo.counselor),
    });
    expect(asCounselor.statusCode).toBe(200);
    expect(asCounselor.body).not.toContain("77-4521");
    expect(asCounselor.json().detention).toMatchObject({
      siteName: "Centre pénitentiaire de Meaux-Chauconin",
      expectedReleaseDate: "2026-09-15",
    });
  });

  it("reads cells and column names without invisible characters: the mapping can be chosen, the same number is the same file", async () => {
    const csv = generatedCaseload(2, "Z");
    const first = await importAll("propre.csv", csv, { duplicates: "create" });
    expect(first.progress.counts.created).toBe(2);
    // The same export, with a zero-width space in a column name, a file number, and a name.
    const [header, ...rows] = csv.split("\n");
    const hidden = [
      header!.replace("NOM", "NO\u200BM"),
      ...rows.map((row) => row.replace(/^Z-(\d+);([A-Z]+)/, "Z-$1\u200B;\u2060$2\u200E")),
    ].join("\n");
    const uploaded = (await upload("invisibles.csv", hidden)).json();
    expect(uploaded.headers).toContain("NOM");
    expect(uploaded.sample[0][0]).toBe("Z-1");
    const second = await importAll("invisibles.csv", hidden, { duplicates: "create" });
    expect(second.preview.alreadyImportedCount).toBe(2);
    expect(second.progress.counts).toMatchObject({ created: 0, unchanged: 2, errors: 0 });
  });

  it("imports the same file twice without changing anything, and journals who, which file and counts", async () => {
    const csv = generatedCaseload(620, "I");
    const first = await importAll("suivis.csv", csv, { duplicates: "create" });
    expect(first.progress).toMatchObject({ processed: 620, rowCount: 620, done: true });
    expect(first.progress.counts.created).toBe(620);
    const people = await countOf(person);
    const measures = (await t.handle.db.select({ n: count() }).from(measure))[0]!.n;
    const second = await importAll("suivis.csv", csv, { duplicates: "create" });
    expect(second.preview.alreadyImportedCount).toBe(620);
    expect(second.preview.duplicates).toEqual([]);
    expect(second.progress.counts).toEqual({ created: 0, merged: 0, skipped: 0, unchanged: 620, errors: 0 });
    expect(await countOf(person)).toBe(people);
    expect((await t.handle.db.select({ n: count() }).from(measure))[0]!.n).toBe(measures);
    const [journaled] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(
        and(eq(auditEvent.action, "caseload_import.completed"), eq(auditEvent.targetId, first.importId)),
      );
    expect(journaled).toMatchObject({
      actorUserId: await t.userId(demo.cpip),
      structureId: t.demoStructureId,
      reason:
        "fichier « suivis.csv » : 620 lignes, 620 créés, 0 complétés, 0 ignorés, 0 déjà importés, 0 en erreur",
    });
    const perPerson = await t.handle.db
      .select({ n: count() })
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "person.created"), eq(auditEvent.reason, "import de dossiers")));
    expect(perPerson[0]!.n).toBeGreaterThanOrEqual(620);
  });
});

// Last: its people would be duplicates of the rows the tests above import.
/** Reads the session every 20 ms until `work` settles: how long each read waited, and the time it all took. */
async function readsWhile(work: Promise<unknown>): Promise<{ waits: number[]; elapsedMs: number }> {
  let done = false;
  void work.finally(() => {
    done = true;
  });
  const waits: number[] = [];
  const started = performance.now();
  while (!done) {
    const asked = performance.now();
    const session = await t.app.inject({ method: "GET", url: "/api/auth/session", headers: cpip });
    expect(session.statusCode).toBe(200);
    waits.push(performance.now() - asked);
    await sleep(20);
  }
  return { waits, elapsedMs: performance.now() - started };
}

describe("caseload import: a large file does not hold the server", () => {
  it("a large upload does not hold the database: other requests that read it are answered meanwhile", async () => {
    // On PGlite (one transaction at a time) the upload's single transaction used to make every other
    // request wait for all of its rows; they now go in between its transactions.
    const uploading = upload("export.csv", generatedCaseload(20_000, "W"));
    const { waits, elapsedMs: uploadMs } = await readsWhile(uploading);
    const uploaded = await uploading;
    expect(uploaded.json()).toMatchObject({ rowCount: 20_000 });
    // Measured on a loaded machine: before, one request waited 66 % of the upload (4.4 s of 6.6 s);
    // now the longest waits 5–12 % of it. A share, not a time: the machine's load changes both.
    const seen = `${Math.round(uploadMs)} ms upload, waits ${JSON.stringify(waits.map(Math.round))}`;
    // Enough reads for the share to mean something (a quiet PostgreSQL run fits only ten or so).
    expect(waits.length, seen).toBeGreaterThan(4);
    expect(Math.max(...waits) / uploadMs, seen).toBeLessThan(0.3);
    // Every row is there, in order, once the answer came.
    const importId = uploaded.json().importId as string;
    const preview = await post(`/api/imports/${importId}/preview`, { mapping });
    expect(preview.json()).toMatchObject({ rowCount: 20_000, validCount: 20_000 });
    // While its rows are still being written, an import is not found (it could be half there).
    await t.handle.db.update(caseloadImport).set({ rowCount: -1 }).where(eq(caseloadImport.id, importId));
    const halfThere = await post(`/api/imports/${importId}/preview`, { mapping });
    expect(halfThere.statusCode).toBe(404);
  }, 120_000);

  it("a large preview does not hold the database: other requests that read it are answered meanwhile", async () => {
    // The preview used to check the whole file in one transaction: on PGlite (one transaction at a
    // time) every other request waited for it (a read waited 1,189 ms of a 1,266 ms preview; now
    // at most 21 ms of 1.3–1.6 s).
    const uploaded = await upload("export.csv", generatedCaseload(20_000, "P"));
    const importId = uploaded.json().importId as string;
    const previewing = post(`/api/imports/${importId}/preview`, { mapping });
    const { waits, elapsedMs } = await readsWhile(previewing);
    const preview = await previewing;
    expect(preview.json()).toMatchObject({ rowCount: 20_000, validCount: 20_000 });
    const seen = `${Math.round(elapsedMs)} ms preview, waits ${JSON.stringify(waits.map(Math.round))}`;
    // PostgreSQL once previewed in 466 ms: ten reads; the share is what this measures.
    expect(waits.length, seen).toBeGreaterThan(4);
    expect(Math.max(...waits) / elapsedMs, seen).toBeLessThan(0.3);
  }, 120_000);

  it("upload and preview of 10,000 rows give other requests their turn every few dozen milliseconds", async () => {
    // Each step used to keep the event loop for a second or more (reading, inserting, checking).
    const csv = generatedCaseload(10_000, "T");
    const uploaded = await longestPause(() => upload("export.csv", csv));
    expect(uploaded.result.json()).toMatchObject({ rowCount: 10_000 });
    const importId = uploaded.result.json().importId as string;
    const preview = await longestPause(() => post(`/api/imports/${importId}/preview`, { mapping }));
    expect(preview.result.json()).toMatchObject({ rowCount: 10_000, validCount: 10_000, errorCount: 0 });
    expect(uploaded.gaveTurns, `upload: ${uploaded.seen}`).toBe(true);
    expect(preview.gaveTurns, `preview: ${preview.seen}`).toBe(true);
    // A batch still writes its 500 rows, in statements of 100.
    const batch = await post(`/api/imports/${importId}/run`, { duplicates: "create" });
    expect(batch.json()).toMatchObject({ processed: 500, counts: { created: 500 } });
  }, 120_000);
});
