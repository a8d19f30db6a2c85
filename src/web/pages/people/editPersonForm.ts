import { isPhoneNumber } from "../../../common/fields";
import type { PersonFile } from "../../../common/people/people.schema";
import { formatPhone } from "../../../common/phone";

export const labels = {
  "identity.lastName": "Nom",
  "identity.firstName": "Prénom",
  "identity.birthDate": "Date de naissance",
  "identity.birthPlace": "Lieu de naissance",
  "identity.sex": "Sexe",
  "contacts.phone": "Téléphone",
  "contacts.smsAtNewNumber": "SMS au nouveau numéro",
  "contacts.email": "Adresse électronique",
  "contacts.address": "Adresse postale",
  "contacts.domiciliation": "Domiciliation",
  "contacts.preferredLanguage": "Langue",
  "contacts.readsFrench": "Lit le français",
  "measure.type": "Mesure",
  "measure.startDate": "Début de la mesure",
  "measure.endDate": "Fin de la mesure",
  "measure.offence": "Infraction",
  "measure.court": "Juridiction",
  "measure.judgmentDate": "Date du jugement",
  "detention.siteId": "Établissement de détention",
  "detention.prisonNumber": "Numéro d'écrou",
  "detention.expectedReleaseDate": "Date de libération prévue",
  "detention.releaseKind": "Type de sortie",
  "detention.releasedOn": "Date de libération effective",
  reason: "Motif de la correction",
} as const;
export type Key = keyof typeof labels;

export function initialForm(p: PersonFile): Record<Key, string> {
  const m = p.measures[0];
  const full = p.view === "full" ? p.measures[0] : undefined;
  return {
    "identity.lastName": p.lastName,
    "identity.firstName": p.firstName,
    "identity.birthDate": p.birthDate,
    "identity.birthPlace": p.birthPlace,
    "identity.sex": p.sex,
    "contacts.phone": phoneForInput(p.phone),
    "contacts.smsAtNewNumber": "",
    "contacts.email": p.email,
    "contacts.address": p.address,
    "contacts.domiciliation": p.domiciliation,
    "contacts.preferredLanguage": p.preferredLanguage,
    "contacts.readsFrench": p.readsFrench,
    "measure.type": m?.type ?? "sursis_probatoire",
    "measure.startDate": full?.startDate ?? "",
    "measure.endDate": m?.endDate ?? "",
    "measure.offence": full?.offence ?? "",
    "measure.court": full?.court ?? "",
    "measure.judgmentDate": full?.judgmentDate ?? "",
    "detention.siteId": p.detention?.siteId ?? "",
    "detention.prisonNumber": p.view === "full" ? (p.prisonNumber ?? "") : "",
    "detention.expectedReleaseDate": p.detention?.expectedReleaseDate ?? "",
    "detention.releaseKind": p.detention?.releaseKind ?? "",
    "detention.releasedOn": p.detention?.releasedOn ?? "",
    reason: "",
  };
}

/**
 * The file's phone in the edit field: written as everywhere else (shared formatPhone), with plain
 * spaces that a person can type over, and empty — not "—" — when there is none.
 */
export function phoneForInput(phone: string): string {
  return phone.trim() ? formatPhone(phone).replace(/\u00a0/g, " ") : "";
}

export const SMS_CHOICE_MISSING = "Indiquez si la personne accepte de recevoir des SMS à ce nouveau numéro.";

/** The phone as typed, compared without spaces or dots (the server normalises it). */
export const digits = (phone: string): string => phone.replace(/[\s.-]/g, "").replace(/^0(\d{9})$/, "+33$1");

/**
 * Whether `typed` is another number than the file's, and a real one: only then is the person's
 * consent to SMS asked — a mistyped number is said under the field first, never asked about.
 */
export function isNewValidPhone(current: string, typed: string): boolean {
  return typed.trim() !== "" && digits(typed) !== digits(current) && isPhoneNumber(typed);
}

/** The request body: identity and measure only for those who may edit them, judicial fields only in the full view. */
export function editBody(file: PersonFile, form: Record<Key, string>, phoneChanged: boolean) {
  const judicial = file.view === "full";
  return {
    ...(file.permissions.edit
      ? {
          identity: {
            firstName: form["identity.firstName"],
            lastName: form["identity.lastName"],
            birthDate: form["identity.birthDate"],
            birthPlace: form["identity.birthPlace"],
            sex: form["identity.sex"],
          },
          measure: {
            type: form["measure.type"],
            endDate: form["measure.endDate"],
            ...(judicial
              ? {
                  startDate: form["measure.startDate"],
                  offence: form["measure.offence"],
                  court: form["measure.court"],
                  judgmentDate: form["measure.judgmentDate"] || null,
                }
              : {}),
          },
          // Milieu fermé (ADR 0028): editors see the judicial view, prison number included.
          ...(judicial
            ? {
                detention: {
                  siteId: form["detention.siteId"] || null,
                  prisonNumber: form["detention.siteId"] ? form["detention.prisonNumber"] : "",
                  expectedReleaseDate:
                    (form["detention.siteId"] && form["detention.expectedReleaseDate"]) || null,
                  releaseKind: (form["detention.siteId"] && form["detention.releaseKind"]) || null,
                  releasedOn: form["detention.releasedOn"] || null,
                },
              }
            : {}),
        }
      : {}),
    contacts: {
      phone: form["contacts.phone"],
      email: form["contacts.email"],
      address: form["contacts.address"],
      domiciliation: form["contacts.domiciliation"],
      preferredLanguage: form["contacts.preferredLanguage"],
      readsFrench: form["contacts.readsFrench"],
      smsAtNewNumber: phoneChanged
        ? form["contacts.smsAtNewNumber"] === ""
          ? null
          : form["contacts.smsAtNewNumber"] === "yes"
        : null,
    },
    reason: form.reason,
  };
}

type Seen = Record<string, string | null>;
const seenOf = (section: Record<string, unknown> | undefined): Seen | undefined =>
  section &&
  Object.fromEntries(
    Object.entries(section)
      .filter(([key, value]) => key !== "smsAtNewNumber" && value !== undefined)
      .map(([key, value]) => [key, value === null ? null : String(value)]),
  );

/**
 * The values the form was filled with, as the body sends them (`expected`): the server keeps what
 * another correction changed since, unless this one changes it too (then it says so, 409).
 */
export function expectedValues(shown: PersonFile): {
  identity?: Seen;
  contacts?: Seen;
  measure?: Seen;
} {
  const as = editBody(shown, initialForm(shown), false);
  return {
    ...("identity" in as ? { identity: seenOf(as.identity) } : {}),
    contacts: seenOf(as.contacts),
    ...("measure" in as ? { measure: seenOf(as.measure) } : {}),
  };
}

const REACH_KEYS = [
  "contacts.phone",
  "contacts.email",
  "contacts.address",
  "contacts.domiciliation",
] as const;

/**
 * Whether the correction leaves no way at all to reach the person (phone, e-mail, postal address or
 * domiciliation) where the file had one: asked for a confirmation before saving.
 */
export function removesEveryContact(
  file: Pick<PersonFile, "phone" | "email" | "address" | "domiciliation">,
  form: Readonly<Record<Key, string>>,
): boolean {
  const had = [file.phone, file.email, file.address, file.domiciliation].some((v) => (v ?? "").trim() !== "");
  return had && REACH_KEYS.every((key) => form[key].trim() === "");
}

type Expected = ReturnType<typeof expectedValues>;

/**
 * After a 409 `person.editedMeanwhile`: the fields it names are now seen as they are saved (the
 * message showed their value), so saving again applies this correction; the others stay as shown.
 */
export function seenAfterConflict(
  expected: Expected,
  fresh: Expected,
  issues: readonly { path: string }[],
): Expected {
  const next: Expected = {
    identity: expected.identity && { ...expected.identity },
    contacts: expected.contacts && { ...expected.contacts },
    measure: expected.measure && { ...expected.measure },
  };
  for (const { path } of issues) {
    const [, section, key] = path.split(".") as [string, keyof Expected | undefined, string | undefined];
    if (!section || !key || !(section in next)) continue;
    const seen = next[section];
    const now = fresh[section];
    if (seen && now && Object.hasOwn(now, key)) seen[key] = now[key] ?? null;
  }
  return next;
}
