import { randomBytes } from "node:crypto";
import { Faker, fr } from "@faker-js/faker";

/** A multipart/form-data body holding one file under "file", as a browser sends it. */
export function multipartFile(
  fileName: string,
  content: Uint8Array | string,
  type = "text/csv",
): { payload: Buffer; headers: { "content-type": string } } {
  const boundary = `----passerelle${randomBytes(8).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  return {
    payload: Buffer.concat([head, body, tail]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** Windows-1252 bytes of a text (the characters of French names fit in Latin-1's range). */
export function windows1252(text: string): Uint8Array {
  const euro: Record<string, number> = { "€": 0x80, "’": 0x92, œ: 0x9c, Œ: 0x8c };
  return Uint8Array.from([...text].map((c) => euro[c] ?? c.charCodeAt(0)));
}

const LAST_NAMES = [
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Richard",
  "Petit",
  "Durand",
  "Leroy",
  "Moreau",
  "Simon",
  "Laurent",
  "Lefèvre",
  "Michel",
  "García",
  "N'Diaye",
];
const FIRST_NAMES = [
  "Léa",
  "Hugo",
  "Chloé",
  "Lucas",
  "Inès",
  "Karim",
  "Zoé",
  "Noah",
  "Aïcha",
  "Mathéo",
  "Sofia",
  "Yanis",
];
const MEASURES = ["Sursis probatoire", "LC", "TIG", "DDSE", "Suivi socio-judiciaire", "sursis_probatoire"];

/** Rows past the first ones take faker's French names: a large file has as many names as a real caseload. */
const FIXED_NAMES = 200;

/**
 * A caseload export of `count` generated people (French column names, `;`, JJ/MM/AAAA dates, phones
 * in several French formats), source numbers `prefix-1`, `prefix-2`… The first 200 rows cycle
 * through fixed names (what the tests look for); the next ones have seeded French names.
 */
export function generatedCaseload(count: number, prefix = "D", referent = ""): string {
  const header =
    "N° dossier;NOM;Prénom;Date de naissance;Téléphone;Mesure;Début de mesure;Fin de mesure;CPIP référent";
  const pad = (n: number) => String(n).padStart(2, "0");
  const faker = new Faker({ locale: [fr] });
  faker.seed(13);
  const names = (i: number): [string, string] =>
    i < FIXED_NAMES
      ? [
          LAST_NAMES[i % LAST_NAMES.length]!.toUpperCase(),
          `${FIRST_NAMES[i % FIRST_NAMES.length]}${i >= FIRST_NAMES.length ? ` ${String.fromCharCode(65 + (i % 26))}` : ""}`,
        ]
      : [faker.person.lastName().toUpperCase(), faker.person.firstName()];
  const rows = Array.from({ length: count }, (_, i) => {
    const phone = [
      // Never the demo's 06 12 34 56 78 (Karim's): the search journey finds him alone by it.
      `06 ${pad(i % 100)} 34 56 70`,
      `+33 7 12 ${pad(i % 100)} 56 78`,
      `0612${String(i % 1_000_000).padStart(6, "0")}`,
    ][i % 3];
    return [
      `${prefix}-${i + 1}`,
      ...names(i),
      `${pad((i % 28) + 1)}/${pad((i % 12) + 1)}/${1960 + (i % 45)}`,
      phone,
      MEASURES[i % MEASURES.length],
      `${pad((i % 28) + 1)}/01/2025`,
      `${pad((i % 28) + 1)}/01/2027`,
      referent,
    ].join(";");
  });
  return `${header}\r\n${rows.join("\r\n")}\r\n`;
}
