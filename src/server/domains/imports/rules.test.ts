import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { longestPause } from "../../testing/eventLoop";
import { generatedCaseload, windows1252 } from "../../testing/importFiles";
import { decodeText, detectDelimiter, readCsv } from "./fileReading";
import { checkRow, guessMapping, measureTypeFrom, parseDay, reasonOf, rowValues } from "./rules";

const referent = { userId: "u", serviceId: "s" };
const TODAY = "2026-06-01";
const valid = {
  sourceNumber: "A-1",
  lastName: "Martin",
  firstName: "Léa",
  birthDate: "01/02/1990",
  phone: "",
  email: "",
  measureType: "",
  measureStart: "",
  measureEnd: "",
  referent: "",
  detentionSite: "",
  prisonNumber: "",
  expectedReleaseDate: "",
  releaseKind: "",
};
const prisons = {
  find: (cell: string) =>
    cell.toLowerCase().includes("chauconin")
      ? "site-prison"
      : cell.toLowerCase().startsWith("sas")
        ? "site-sas"
        : null,
  names: ["Centre pénitentiaire de Meaux-Chauconin", "SAS de Meaux"],
  isSas: (siteId: string) => siteId === "site-sas",
};

describe("dates of an export", () => {
  const days = fc
    .date({
      min: new Date("1900-01-01T00:00:00Z"),
      max: new Date("2199-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  it("reads JJ/MM/AAAA (with /, - or .), AAAA-MM-JJ and Excel day numbers as the same day", () => {
    fc.assert(
      fc.property(days, fc.constantFrom("/", "-", "."), (iso, sep) => {
        const [y, m, d] = iso.split("-");
        expect(parseDay(`${d}${sep}${m}${sep}${y}`)).toBe(iso);
        expect(parseDay(`${Number(d)}/${Number(m)}/${y}`)).toBe(iso);
        expect(parseDay(`${iso} 00:00:00`)).toBe(iso);
        const serial = Math.round((Date.parse(iso) - Date.UTC(1899, 11, 30)) / 86_400_000);
        if (serial >= 1000 && serial < 100_000) expect(parseDay(String(serial))).toBe(iso);
      }),
    );
  });

  it("refuses an impossible day or a two-digit year with a French message in jj/mm/aaaa", () => {
    for (const birthDate of ["31/02/1990", "01/13/1990", "01/02/90", "hier"]) {
      expect(checkRow({ ...valid, birthDate }, () => referent, TODAY).errors).toEqual([
        { field: "birthDate", message: "Saisissez une date réelle, au format jj/mm/aaaa." },
      ]);
    }
  });

  it("refuses a placeholder or implausible birth date with the person form's rule (13 to 110 years)", () => {
    expect(checkRow({ ...valid, birthDate: "01/01/1900" }, () => referent, TODAY)).toMatchObject({
      record: null,
      errors: [
        {
          field: "birthDate",
          message:
            "Cette date donne 126 ans : au-delà de 110 ans, la date est sans doute erronée. Vérifiez l'année.",
        },
      ],
    });
    expect(checkRow({ ...valid, birthDate: "02/06/2013" }, () => referent, TODAY).errors).toEqual([
      {
        field: "birthDate",
        message: "Cette date donne 12 ans : une personne suivie a au moins 13 ans. Vérifiez l'année.",
      },
    ]);
    expect(checkRow({ ...valid, birthDate: "01/06/2013" }, () => referent, TODAY).errors).toEqual([]);
  });
});

describe("phones of an export", () => {
  it("normalises any French writing of a mobile number to the same E.164", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("6", "7"),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }),
        (first, rest) => {
          const digits = `0${first}${rest.join("")}`;
          const pairs = digits.match(/../g)!;
          const writings = [
            digits,
            pairs.join(" "),
            pairs.join("."),
            pairs.join("-"),
            `+33 ${digits.slice(1)}`,
            `0033${digits.slice(1)}`,
            `+33 (0)${digits.slice(1)}`,
          ];
          const phones = writings.map(
            (phone) => checkRow({ ...valid, phone }, () => referent, TODAY).record?.phone,
          );
          expect(new Set(phones)).toEqual(new Set([`+33${digits.slice(1)}`]));
        },
      ),
    );
  });
});

describe("rows", () => {
  it("reads measure types by label, code or usual abbreviation", () => {
    expect(measureTypeFrom("Libération conditionnelle")).toBe("liberation_conditionnelle");
    expect(measureTypeFrom("LC")).toBe("liberation_conditionnelle");
    expect(measureTypeFrom("tig")).toBe("travail_interet_general");
    expect(measureTypeFrom("DDSE")).toBe("detention_domicile_surveillance_electronique");
    expect(measureTypeFrom("sursis_probatoire")).toBe("sursis_probatoire");
    for (const cell of ["Contrôle judiciaire", "controle judiciaire", "CONTROLE JUDICIAIRE", "CJ"]) {
      expect(measureTypeFrom(cell)).toBe("controle_judiciaire");
    }
    expect(measureTypeFrom("Amende")).toBeNull();
  });

  it("asks for the referent when the importing agent is not a CPIP", () => {
    expect(checkRow(valid, () => null, TODAY).errors).toEqual([
      { field: "referent", message: "Indiquez le CPIP référent : vous n'êtes pas CPIP de la structure." },
    ]);
  });

  it("takes a measure whole or not at all, and derives the file's status from it", () => {
    expect(checkRow(valid, () => referent, TODAY).record).toMatchObject({
      measure: null,
      status: "milieu_ouvert",
    });
    const half = checkRow({ ...valid, measureType: "SL" }, () => referent, TODAY);
    expect(half.errors.map((e) => e.field)).toEqual(["measureStart", "measureEnd"]);
    const whole = checkRow(
      { ...valid, measureType: "SL", measureStart: "01/01/2025", measureEnd: "01/01/2026" },
      () => referent,
      TODAY,
    );
    expect(whole.record).toMatchObject({
      status: "semi_liberte",
      measure: { type: "semi_liberte", startDate: "2025-01-01", endDate: "2026-01-01" },
    });
  });
});

describe("milieu fermé columns", () => {
  const detained = {
    ...valid,
    detentionSite: "CP Meaux-Chauconin",
    prisonNumber: "77-12345",
    expectedReleaseDate: "15/09/2026",
    releaseKind: "Aménagement de peine",
  };

  it("writes the establishment, prison number, release date and kind; the file is in detention", () => {
    expect(checkRow(detained, () => referent, TODAY, prisons).record).toMatchObject({
      status: "detenu",
      detention: {
        siteId: "site-prison",
        prisonNumber: "77-12345",
        expectedReleaseDate: "2026-09-15",
        releaseKind: "sentence_adjustment",
      },
    });
    expect(
      checkRow({ ...detained, releaseKind: "SAS", expectedReleaseDate: "" }, () => referent, TODAY, prisons)
        .record?.detention,
    ).toMatchObject({ releaseKind: "sas_placement", expectedReleaseDate: null });
    expect(checkRow(valid, () => referent, TODAY, prisons).record?.detention).toBeNull();
  });

  it("refuses, each under its field in French: no or unknown establishment, bad date, unknown kind", () => {
    const unknown = checkRow(
      {
        ...detained,
        detentionSite: "Fleury-Mérogis",
        expectedReleaseDate: "31/02/2026",
        releaseKind: "évasion",
      },
      () => referent,
      TODAY,
      prisons,
    );
    expect(unknown.record).toBeNull();
    expect(unknown.errors).toEqual([
      {
        field: "detentionSite",
        message:
          "Aucun établissement pénitentiaire ni SAS de la structure ne porte ce nom : Centre pénitentiaire de Meaux-Chauconin, SAS de Meaux.",
      },
      { field: "expectedReleaseDate", message: "Saisissez une date réelle, au format jj/mm/aaaa." },
      {
        field: "releaseKind",
        message: "Type de sortie inconnu : fin de peine, aménagement de peine ou placement en SAS.",
      },
    ]);
    const noSite = checkRow({ ...valid, prisonNumber: "77-1" }, () => referent, TODAY, prisons);
    expect(noSite.errors).toEqual([
      { field: "detentionSite", message: "Indiquez l'établissement (prison ou SAS) de la personne détenue." },
    ]);
    expect(
      checkRow({ ...detained, prisonNumber: "9".repeat(31) }, () => referent, TODAY, prisons).errors,
    ).toEqual([{ field: "prisonNumber", message: "30 caractères au plus." }]);
  });

  it("a SAS takes a release two years ahead at most (ADR 0028, addendum SAS), said under the date", () => {
    const sas = { ...detained, detentionSite: "SAS de Meaux" };
    // TODAY is 1 June 2026: 1 June 2028 is the last day allowed.
    expect(
      checkRow({ ...sas, expectedReleaseDate: "01/06/2028" }, () => referent, TODAY, prisons).record,
    ).toMatchObject({ detention: { siteId: "site-sas", expectedReleaseDate: "2028-06-01" } });
    const late = checkRow({ ...sas, expectedReleaseDate: "02/06/2028" }, () => referent, TODAY, prisons);
    expect(late.record).toBeNull();
    expect(late.errors).toEqual([
      {
        field: "expectedReleaseDate",
        message:
          "Une SAS accueille des personnes dont le reliquat de peine est de deux ans au plus : la sortie prévue doit être au plus tard le 1er\u00a0juin\u00a02028.",
      },
    ]);
    expect(reasonOf(late.errors)).toMatch(/^Date de libération prévue : Une SAS accueille/);
    const missing = checkRow({ ...sas, expectedReleaseDate: "" }, () => referent, TODAY, prisons);
    expect(missing.errors.map((e) => [e.field, e.message.slice(-45)])).toEqual([
      ["expectedReleaseDate", "sortie prévue, au plus tard le 1er\u00a0juin\u00a02028."],
    ]);
    // A date that is not one is said once, as for a prison.
    expect(
      checkRow({ ...sas, expectedReleaseDate: "31/02/2027" }, () => referent, TODAY, prisons).errors,
    ).toEqual([
      { field: "expectedReleaseDate", message: "Saisissez une date réelle, au format jj/mm/aaaa." },
    ]);
    // A prison has no such limit.
    expect(
      checkRow({ ...detained, expectedReleaseDate: "01/06/2035" }, () => referent, TODAY, prisons).errors,
    ).toEqual([]);
  });
});

describe("columns", () => {
  it("guesses the mapping from usual column names, each column used once", () => {
    expect(
      guessMapping([
        "N° dossier",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Tél. portable",
        "Courriel",
        "Nature de la mesure",
        "Date début mesure",
        "Date fin mesure",
        "CPIP",
      ]),
    ).toEqual({
      sourceNumber: "N° dossier",
      lastName: "Nom",
      firstName: "Prénom",
      birthDate: "Date de naissance",
      phone: "Tél. portable",
      email: "Courriel",
      measureType: "Nature de la mesure",
      measureStart: "Date début mesure",
      measureEnd: "Date fin mesure",
      referent: "CPIP",
      detentionSite: "",
      prisonNumber: "",
      expectedReleaseDate: "",
      releaseKind: "",
    });
    expect(
      guessMapping(["Établissement", "N° d'écrou", "Date de libération prévue", "Type de sortie"]),
    ).toMatchObject({
      detentionSite: "Établissement",
      prisonNumber: "N° d'écrou",
      expectedReleaseDate: "Date de libération prévue",
      releaseKind: "Type de sortie",
    });
    expect(guessMapping(["Colonne A", "Colonne B"]).sourceNumber).toBe("");
    // The birth date as exports abbreviate it; « Nom de naissance » stays the last name.
    for (const header of ["Né(e) le", "Né le", "Née le", "Date de naiss.", "Date naiss"])
      expect(guessMapping(["NOM", "Prénom", header]).birthDate, header).toBe(header);
    expect(guessMapping(["Nom de naissance", "Né(e) le"])).toMatchObject({
      lastName: "Nom de naissance",
      birthDate: "Né(e) le",
    });
  });

  it("reads each field from its column, whatever the order", () => {
    const mapping = { ...guessMapping(["Prénom", "NOM"]) };
    expect(rowValues(["Léa", "MARTIN"], ["Prénom", "NOM"], mapping)).toMatchObject({
      firstName: "Léa",
      lastName: "MARTIN",
      phone: "",
    });
  });
});

describe("files", () => {
  it("decodes UTF-8 (BOM or not) and Windows-1252 to the same text, and refuses binary", () => {
    const text = "Nom;Prénom\r\nLEFÈVRE;Hélène\r\n";
    expect(decodeText(new TextEncoder().encode(`\uFEFF${text}`))).toBe(text);
    expect(decodeText(windows1252(text))).toBe(text);
    expect(() => decodeText(Uint8Array.from([0x50, 0x4b, 0, 0, 0x12]))).toThrow(/encodage/);
  });

  it("detects the delimiter and keeps each row's line in the file", async () => {
    expect(detectDelimiter('Nom,"Prénom; second",Tél\n')).toBe(",");
    expect(detectDelimiter("Nom;Prénom,composé;Tél\n")).toBe(";");
    const table = await readCsv(new TextEncoder().encode('Nom;Prénom\n\nMARTIN;"Léa\nMarie"\nPETIT;Inès\n'));
    expect(table.headers).toEqual(["Nom", "Prénom"]);
    expect(table.rows.map((r) => r.line)).toEqual([3, 5]);
  });

  it("reads a large file in slices: other requests get their turn every few dozen milliseconds", async () => {
    // 49,000 rows (4.5 MB) took 1–2 s in one go; a header of a million `;` as long.
    const file = new TextEncoder().encode(generatedCaseload(49_000, "G"));
    const read = await longestPause(() => readCsv(file));
    expect(read.result.rows).toHaveLength(49_000);
    expect(read.result.rows.at(-1)).toMatchObject({
      line: 49_001,
      cells: expect.arrayContaining(["G-49000"]),
    });
    expect(read.gaveTurns, read.seen).toBe(true);
    const semicolons = await longestPause(() =>
      readCsv(new TextEncoder().encode(";".repeat(1_000_000))).catch((e) => e),
    );
    expect(semicolons.result.code).toBe("import.notATable");
    expect(semicolons.gaveTurns, semicolons.seen).toBe(true);
  }, 60_000);
});
