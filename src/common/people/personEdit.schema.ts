import { z } from "zod";
import { birthDate, isoDate } from "../dates";
import { detentionEditSchema } from "../detention/detention.schema";
import { releasedOnProblem } from "../detention/release";
import { optionalEmail, optionalPhone, whenFieldsValid } from "../fields";
import { measureTypeSchema } from "../roles";
import { sexSchema } from "./closing.schema";
import { personName, readsFrenchSchema } from "./people.schema";

/** The identity part of a correction: the referent's service and the direction only. */
export const identityEditSchema = z.strictObject({
  firstName: personName("Saisissez le prénom."),
  lastName: personName("Saisissez le nom."),
  birthDate,
  birthPlace: z.string().trim().max(120, "120 caractères au plus."),
  sex: sexSchema,
});

/** Contacts: also correctable by the structure's counselors (they meet the person). */
export const contactsEditSchema = z.strictObject({
  /** The same rules and messages as the new-person form: every bad field is said at once, client side. */
  phone: optionalPhone,
  email: optionalEmail,
  address: z.string().trim().max(300, "300 caractères au plus."),
  domiciliation: z.string().trim().max(200, "200 caractères au plus."),
  preferredLanguage: z.string().trim().min(2, "Indiquez la langue de la personne.").max(60),
  readsFrench: readsFrenchSchema,
  /**
   * Asked again when the phone changes to another number: whether the person accepts SMS there.
   * Required then (400 otherwise); ignored when the phone does not change.
   */
  smsAtNewNumber: z.boolean().nullable().default(null),
});

/**
 * The current measure. Type and end date for whoever may edit; the judicial fields (start date,
 * offence, court, judgment date) only for those who see them: anyone else sending one gets a 403.
 */
export const measureEditSchema = z
  .strictObject({
    type: measureTypeSchema,
    endDate: isoDate,
    startDate: isoDate.optional(),
    offence: z.string().trim().max(200, "200 caractères au plus.").optional(),
    court: z.string().trim().max(200, "200 caractères au plus.").optional(),
    judgmentDate: isoDate.nullable().optional(),
  })
  .refine((m) => m.startDate === undefined || m.startDate <= m.endDate, {
    message: "La fin de mesure doit suivre son début.",
    path: ["endDate"],
  });

/** The actual release before the birth date sent beside it: the field's message, or null. */
const beforeBirth = (b: {
  identity?: { birthDate: string };
  detention?: { releasedOn: string | null };
}): string | null => releasedOnProblem(b.detention?.releasedOn ?? null, { birthDate: b.identity?.birthDate });

/** Values as a form showed them (strings, or null for an empty date). */
const seenValues = z.record(z.string().max(40), z.string().max(2000).nullable()).optional();

export const editPersonBodySchema = z
  .strictObject({
    identity: identityEditSchema.optional(),
    contacts: contactsEditSchema.optional(),
    measure: measureEditSchema.optional(),
    /** Milieu fermé (ADR 0028): establishment, prison number, release; referent and direction only. */
    detention: detentionEditSchema.optional(),
    /**
     * The values the form was filled with, field by field (as in `identity`, `contacts`, `measure`).
     * A field someone else changed since is kept as they left it when this correction leaves it as it
     * was shown, and refused (409 `person.editedMeanwhile`) when this correction changes it too:
     * two tabs or two agents never silently undo each other's correction.
     */
    expected: z.strictObject({ identity: seenValues, contacts: seenValues, measure: seenValues }).optional(),
    /** Why the file is corrected (kept with each change). */
    reason: z.string().trim().max(300, "300 caractères au plus.").default(""),
  })
  .refine((b) => b.identity || b.contacts || b.measure || b.detention, {
    message: "Rien à enregistrer : modifiez au moins une rubrique.",
    path: ["identity"],
  })
  // The actual release is not before the birth date sent beside it (the server also checks it
  // against the recorded birth date and the server's day, `applyDetentionEdit`).
  .refine((b) => beforeBirth(b) === null, {
    path: ["detention", "releasedOn"],
    error: (issue) => beforeBirth(issue.input as Parameters<typeof beforeBirth>[0]) ?? "",
    when: whenFieldsValid("identity", "detention"),
  });
export type EditPersonBody = z.infer<typeof editPersonBodySchema>;

export const editResultSchema = z.object({
  id: z.string(),
  /** Fields whose value changed (nothing is written for a field left as it was). */
  changed: z.array(z.string()),
  /** Messages not yet sent to the former number or address, withdrawn. */
  withdrawnMessages: z.number().int(),
  /** Of those, queued again to the new number or address. */
  requeuedMessages: z.number().int(),
});
export type EditResult = z.infer<typeof editResultSchema>;

/** Labels of the fields of a file, for the history and the journal. */
export const personFieldLabels: Record<string, string> = {
  firstName: "Prénom",
  lastName: "Nom",
  birthDate: "Date de naissance",
  birthPlace: "Lieu de naissance",
  sex: "Sexe",
  phone: "Téléphone",
  email: "Adresse électronique",
  address: "Adresse postale",
  domiciliation: "Domiciliation",
  preferredLanguage: "Langue",
  readsFrench: "Lit le français",
  smsChoice: "Accord pour les SMS",
  "measure.type": "Type de mesure",
  "measure.endDate": "Fin de mesure",
  "measure.startDate": "Début de mesure",
  "measure.offence": "Infraction",
  "measure.court": "Juridiction",
  "measure.judgmentDate": "Date du jugement",
  "detention.site": "Établissement de détention",
  "detention.prisonNumber": "Numéro d'écrou",
  "detention.expectedReleaseDate": "Date de libération prévue",
  "detention.releaseKind": "Type de sortie",
  "detention.releasedOn": "Date de libération effective",
  referent: "CPIP référent",
  closed: "Clôture du dossier",
  reopened: "Réouverture du dossier",
  archive: "Dossier restauré (archivé le)",
};
