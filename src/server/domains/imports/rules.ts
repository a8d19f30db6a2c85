import { birthDateUntil, requiredDate } from "../../../common/dates";
import {
  type ReleaseKind,
  releaseKindLabels,
  releaseKinds,
} from "../../../common/detention/detention.schema";
import { sasReleaseError } from "../../../common/detention/sas";
import { optionalEmail, phoneMessage, requiredText } from "../../../common/fields";
import {
  type ImportField,
  type ImportMapping,
  importFieldLabels,
  importFields,
} from "../../../common/imports/imports.schema";
import { personName } from "../../../common/people/people.schema";
import { type MeasureType, measureTypeLabels, measureTypes, type PersonStatus } from "../../../common/roles";
import { normalizePhone } from "../people/rules";

/** Letters and digits only, without accents or case: "N° dossier" → "ndossier". */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/[^\p{L}\p{N}]/gu, "")
    .toLowerCase();
}

/** Column names seen in case-management exports, folded, for each field (exact names first). */
const presets: Record<ImportField, string[]> = {
  sourceNumber: [
    "ndossier",
    "numerodossier",
    "numerodedossier",
    "nodossier",
    "numdossier",
    "dossier",
    "identifiant",
    "nppsmj",
    "numeroppsmj",
    "id",
  ],
  lastName: ["nom", "nomdenaissance", "nomdefamille", "nomdusage", "nomusage", "nompatronymique"],
  firstName: ["prenom", "prenoms"],
  birthDate: [
    "datedenaissance",
    "datenaissance",
    "naissance",
    "nele",
    "neele",
    "datedenaiss",
    "datenaiss",
    "ddn",
  ],
  phone: ["telephone", "tel", "portable", "telportable", "mobile", "numerodetelephone", "telephoneportable"],
  email: ["email", "courriel", "mail", "adresseelectronique", "adressemail", "adressecourriel"],
  measureType: ["mesure", "typedemesure", "typemesure", "naturedelamesure", "naturemesure"],
  measureStart: ["debutdemesure", "datededebut", "debutmesure", "datedebutmesure", "datedebut", "debut"],
  measureEnd: ["findemesure", "datedefin", "finmesure", "datefinmesure", "datefin", "fin"],
  referent: ["referent", "cpip", "cpipreferent", "referentcpip", "conseiller", "agent", "agentreferent"],
  detentionSite: [
    "etablissement",
    "etablissementpenitentiaire",
    "etablissementdedetention",
    "lieudedetention",
    "lieudetention",
    "prison",
  ],
  prisonNumber: ["numerodecrou", "numeroecrou", "necrou", "nodecrou", "ecrou", "numecrou"],
  expectedReleaseDate: [
    "datedeliberationprevue",
    "liberationprevue",
    "datedesortieprevue",
    "sortieprevue",
    "datedeliberation",
    "datedesortie",
  ],
  releaseKind: ["typedesortie", "typesortie", "modedesortie", "modalitedesortie", "typedeliberation"],
};

/** The mapping guessed from the column names: each field takes the first column that fits, once. */
export function guessMapping(headers: readonly string[]): ImportMapping {
  const folded = headers.map(fold);
  const taken = new Set<number>();
  const mapping = Object.fromEntries(importFields.map((f) => [f, ""])) as ImportMapping;
  const pick = (field: ImportField, fits: (header: string, name: string) => boolean) => {
    if (mapping[field] !== "") return;
    for (const name of presets[field]) {
      const index = folded.findIndex((h, i) => !taken.has(i) && fits(h, name));
      if (index >= 0) {
        taken.add(index);
        mapping[field] = headers[index] ?? "";
        return;
      }
    }
  };
  for (const field of importFields) pick(field, (h, name) => h === name);
  for (const field of importFields) pick(field, (h, name) => name.length >= 5 && h.includes(name));
  return mapping;
}

/** Whether a saved mapping still fits a file: every column it names is there. */
export function mappingFits(mapping: ImportMapping, headers: readonly string[]): boolean {
  const present = new Set(headers);
  return importFields.every((f) => (mapping[f] ?? "") === "" || present.has(mapping[f]));
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A day as exports write it → AAAA-MM-JJ (checked afterwards by the date schemas): JJ/MM/AAAA (also
 * with "-" or "."), AAAA-MM-JJ (with a time after it), or an Excel day number. Anything else is
 * returned as it is, for the schema to refuse it with its message.
 */
export function parseDay(value: string): string {
  const text = value.trim();
  const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$/.exec(text);
  if (french) return `${french[3]}-${french[2]!.padStart(2, "0")}-${french[1]!.padStart(2, "0")}`;
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T\s].*)?$/.exec(text);
  if (iso) return iso[1]!;
  if (/^\d{4,5}$/.test(text)) {
    const day = new Date(EXCEL_EPOCH + Number(text) * 86_400_000);
    return day.toISOString().slice(0, 10);
  }
  return text;
}

const measureAliases: Record<string, MeasureType> = {
  ...Object.fromEntries(measureTypes.map((t) => [fold(measureTypeLabels[t]), t])),
  ...Object.fromEntries(measureTypes.map((t) => [fold(t), t])),
  sp: "sursis_probatoire",
  sme: "sursis_probatoire",
  sursismiseallepreuve: "sursis_probatoire",
  sursisavecmiseallepreuve: "sursis_probatoire",
  lc: "liberation_conditionnelle",
  sl: "semi_liberte",
  ddse: "detention_domicile_surveillance_electronique",
  pse: "detention_domicile_surveillance_electronique",
  placementsoussurveillanceelectronique: "detention_domicile_surveillance_electronique",
  tig: "travail_interet_general",
  ssj: "suivi_socio_judiciaire",
  cp: "contrainte_penale",
  cj: "controle_judiciaire",
  detenu: "detention",
  incarceration: "detention",
};

/** A measure type as an export writes it (label, code or usual abbreviation) → the enum; null if unknown. */
export function measureTypeFrom(value: string): MeasureType | null {
  return measureAliases[fold(value)] ?? null;
}

const releaseKindAliases: Record<string, ReleaseKind> = {
  ...Object.fromEntries(releaseKinds.map((k) => [fold(releaseKindLabels[k]), k])),
  ...Object.fromEntries(releaseKinds.map((k) => [fold(k), k])),
  findepeine: "end_of_sentence",
  sortiesche: "end_of_sentence",
  finpeine: "end_of_sentence",
  amenagement: "sentence_adjustment",
  amenagementdepeine: "sentence_adjustment",
  sas: "sas_placement",
  placementsas: "sas_placement",
};

/** A release kind as a file writes it (label, code or usual words) → the enum; null if unknown. */
export function releaseKindFrom(value: string): ReleaseKind | null {
  return releaseKindAliases[fold(value)] ?? null;
}

/** The file's status follows its measure (or its establishment): detention, semi-liberté, else milieu ouvert. */
export function statusFor(type: MeasureType | null, detained = false): PersonStatus {
  if (type === "detention" || detained) return "detenu";
  if (type === "semi_liberte") return "semi_liberte";
  return "milieu_ouvert";
}

export interface Referent {
  userId: string;
  serviceId: string;
}

/** A valid row, ready to be written. */
export interface ImportRecord {
  sourceNumber: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  phone: string;
  email: string;
  status: PersonStatus;
  measure: { type: MeasureType; startDate: string; endDate: string } | null;
  referent: Referent;
  /** Milieu fermé (ADR 0028): the establishment, prison number, expected release; null otherwise. */
  detention: {
    siteId: string;
    prisonNumber: string;
    expectedReleaseDate: string | null;
    releaseKind: ReleaseKind | null;
  } | null;
}

export interface RowCheck {
  values: Record<ImportField, string>;
  errors: { field: ImportField; message: string }[];
  record: ImportRecord | null;
}

/** Finds the referent named in a cell ("" → the default one); null when nobody fits. */
export type ReferentFinder = (cell: string) => Referent | null;

/** Finds a prison or SAS of the structure by its name (folded); `names` for the error message. */
export interface DetentionSiteFinder {
  find(cell: string): string | null;
  names: readonly string[];
  /** Whether the site found is a SAS (its rule: a release two years ahead at most). */
  isSas(siteId: string): boolean;
}
export const noDetentionSite: DetentionSiteFinder = { find: () => null, names: [], isSas: () => false };

const sourceNumberSchema = requiredText(60, "Indiquez le numéro de dossier.");
const lastNameSchema = personName("Saisissez le nom.");
const firstNameSchema = personName("Saisissez le prénom.");
/** What a date of the file that is no real day is told: files write dates jj/mm/aaaa. */
const FILE_DATE_MESSAGE = "Saisissez une date réelle, au format jj/mm/aaaa.";

/** The birth date schema for a given Paris day, built once per day rather than once per row. */
let birthDateSchema = { today: "", schema: birthDateUntil(() => "", FILE_DATE_MESSAGE) };
function birthDateAsOf(today: string) {
  if (birthDateSchema.today !== today)
    birthDateSchema = { today, schema: birthDateUntil(() => today, FILE_DATE_MESSAGE) };
  return birthDateSchema.schema;
}
const measureStartSchema = requiredDate("Indiquez le début de la mesure.");
const measureEndSchema = requiredDate("Indiquez la fin de la mesure.");

/** The cells of a row by field, through the mapping (column header → its index). */
export function rowValues(
  cells: readonly string[],
  headers: readonly string[],
  mapping: ImportMapping,
): Record<ImportField, string> {
  return Object.fromEntries(
    importFields.map((f) => {
      const index = mapping[f] === "" ? -1 : headers.indexOf(mapping[f]);
      return [f, index >= 0 ? (cells[index] ?? "").trim() : ""];
    }),
  ) as Record<ImportField, string>;
}

/**
 * Checks a row with the same field rules as the creation form; every problem is reported, each
 * under its field, in French.
 */
export function checkRow(
  values: Record<ImportField, string>,
  findReferent: ReferentFinder,
  today: string,
  sites: DetentionSiteFinder = noDetentionSite,
): RowCheck {
  const errors: RowCheck["errors"] = [];
  const field = <T>(
    name: ImportField,
    result: { success: true; data: T } | { success: false; error: { issues: { message: string }[] } },
  ): T | null => {
    if (result.success) return result.data;
    errors.push({ field: name, message: result.error.issues[0]?.message ?? "Valeur invalide." });
    return null;
  };
  const sourceNumber = field("sourceNumber", sourceNumberSchema.safeParse(values.sourceNumber));
  const lastName = field("lastName", lastNameSchema.safeParse(values.lastName));
  const firstName = field("firstName", firstNameSchema.safeParse(values.firstName));
  const birth = field(
    "birthDate",
    birthDateAsOf(today).safeParse(values.birthDate && parseDay(values.birthDate)),
  );
  const phone = normalizePhone(values.phone.slice(0, 30));
  if (phone === null) errors.push({ field: "phone", message: phoneMessage });
  const email = field("email", optionalEmail.safeParse(values.email));
  const measure = checkMeasure(values, errors);
  const detention = checkDetention(values, sites, today, errors);
  const referent = findReferent(values.referent);
  if (!referent)
    errors.push({
      field: "referent",
      message: values.referent
        ? "Aucun CPIP de la structure n'a cette adresse ou ce nom."
        : "Indiquez le CPIP référent : vous n'êtes pas CPIP de la structure.",
    });
  if (errors.length > 0 || sourceNumber === null || lastName === null || firstName === null) {
    return { values, errors, record: null };
  }
  return {
    values,
    errors,
    record: {
      sourceNumber,
      lastName,
      firstName,
      birthDate: birth as string,
      phone: phone ?? "",
      email: email ?? "",
      status: statusFor(measure?.type ?? null, detention !== null),
      measure,
      referent: referent as Referent,
      detention,
    },
  };
}

function checkMeasure(
  values: Record<ImportField, string>,
  errors: RowCheck["errors"],
): ImportRecord["measure"] {
  if (values.measureType === "" && values.measureStart === "" && values.measureEnd === "") return null;
  const type = measureTypeFrom(values.measureType);
  if (!type)
    errors.push({
      field: "measureType",
      message: values.measureType
        ? `Type de mesure inconnu : ${measureTypes.map((t) => measureTypeLabels[t]).join(", ")}.`
        : "Indiquez le type de la mesure.",
    });
  const start = measureStartSchema.safeParse(parseDay(values.measureStart));
  if (!start.success)
    errors.push({ field: "measureStart", message: dateMessage(start.error.issues[0]?.message) });
  const end = measureEndSchema.safeParse(parseDay(values.measureEnd));
  if (!end.success) errors.push({ field: "measureEnd", message: dateMessage(end.error.issues[0]?.message) });
  if (!start.success || !end.success) return null;
  if (start.data > end.data) {
    errors.push({ field: "measureEnd", message: "La fin de mesure doit suivre son début." });
    return null;
  }
  return type ? { type, startDate: start.data, endDate: end.data } : null;
}

const expectedReleaseSchema = requiredDate("Indiquez la date de libération prévue.");

/**
 * The milieu fermé cells: all empty → null; else the establishment must be a prison or SAS of the
 * structure. A SAS takes a release two years after `today` at most (ADR 0028, addendum "SAS"): the
 * import writes a detention only on a file that has none, so every such row places the person there.
 */
function checkDetention(
  values: Record<ImportField, string>,
  sites: DetentionSiteFinder,
  today: string,
  errors: RowCheck["errors"],
): ImportRecord["detention"] {
  const { detentionSite, prisonNumber, expectedReleaseDate, releaseKind } = values;
  if (detentionSite === "" && prisonNumber === "" && expectedReleaseDate === "" && releaseKind === "")
    return null;
  const before = errors.length;
  const siteId = detentionSite === "" ? null : sites.find(detentionSite);
  if (detentionSite === "")
    errors.push({
      field: "detentionSite",
      message: "Indiquez l'établissement (prison ou SAS) de la personne détenue.",
    });
  else if (!siteId)
    errors.push({
      field: "detentionSite",
      message:
        sites.names.length > 0
          ? `Aucun établissement pénitentiaire ni SAS de la structure ne porte ce nom : ${sites.names.join(", ")}.`
          : "La structure n'a pas d'établissement pénitentiaire ni de SAS : ajoutez-le avant d'importer.",
    });
  if (prisonNumber.length > 30) errors.push({ field: "prisonNumber", message: "30 caractères au plus." });
  let release: string | null = null;
  if (expectedReleaseDate !== "") {
    const parsed = expectedReleaseSchema.safeParse(parseDay(expectedReleaseDate));
    if (parsed.success) release = parsed.data;
    else errors.push({ field: "expectedReleaseDate", message: dateMessage(parsed.error.issues[0]?.message) });
  }
  // A date already refused above is not refused a second time for the SAS.
  const sasMessage =
    siteId && !errors.some((e) => e.field === "expectedReleaseDate")
      ? sasReleaseError(null, { siteId, expectedReleaseDate: release }, sites.isSas(siteId), today)
      : null;
  if (sasMessage) errors.push({ field: "expectedReleaseDate", message: sasMessage });
  const kind = releaseKind === "" ? null : releaseKindFrom(releaseKind);
  if (releaseKind !== "" && !kind)
    errors.push({
      field: "releaseKind",
      message: "Type de sortie inconnu : fin de peine, aménagement de peine ou placement en SAS.",
    });
  if (errors.length > before || !siteId) return null;
  return { siteId, prisonNumber, expectedReleaseDate: release, releaseKind: kind };
}

/** The date schemas speak of AAAA-MM-JJ (the API's format); a file is read as JJ/MM/AAAA. */
function dateMessage(message: string | undefined): string {
  if (!message || message.startsWith("Date invalide")) return FILE_DATE_MESSAGE;
  return message;
}

/** "Date de naissance : Saisissez une date réelle…", for the report's reason column. */
export function reasonOf(errors: RowCheck["errors"]): string {
  return errors.map((e) => `${importFieldLabels[e.field]} : ${e.message}`).join(" ; ");
}
