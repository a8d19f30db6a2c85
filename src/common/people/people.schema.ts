import { z } from "zod";
import { consentBodySchema } from "../consent/consent.schema";
import { uuid } from "../contract";
import { birthDate, isoDate } from "../dates";
import { measureTypeSchema, personStatusSchema } from "../roles";

export const readsFrenchValues = ["", "yes", "with_help", "no"] as const;
export const readsFrenchSchema = z.enum(readsFrenchValues);
export const readsFrenchLabels: Record<(typeof readsFrenchValues)[number], string> = {
  "": "Non renseigné",
  yes: "Oui",
  with_help: "Avec de l'aide",
  no: "Non",
};

export const personIdParamsSchema = z.object({ personId: uuid });

export const peopleQuerySchema = z.object({
  search: z.string().trim().max(100).optional(),
  mine: z.enum(["true", "false"]).optional(),
});

/** A line of a people list: no judicial field, whoever asks. */
export const personSummarySchema = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate,
  status: personStatusSchema,
  measureType: measureTypeSchema.nullable(),
  measureEndDate: isoDate.nullable(),
  referentName: z.string().nullable(),
  /** The next planned convocation, if any. */
  nextConvocationAt: z.string().nullable(),
  isMine: z.boolean(),
});
export type PersonSummary = z.infer<typeof personSummarySchema>;
export const peopleListSchema = z.object({ people: z.array(personSummarySchema) });

const identityFields = {
  id: z.string(),
  structureId: z.string(),
  /** The file number in the structure: the reference partners quote. */
  fileNumber: z.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate,
  birthPlace: z.string(),
  phone: z.string(),
  email: z.string(),
  address: z.string(),
  domiciliation: z.string(),
  preferredLanguage: z.string(),
  readsFrench: readsFrenchSchema,
  status: personStatusSchema,
  referent: z.object({ userId: z.string(), displayName: z.string(), since: z.string() }).nullable(),
  /** Former referents, newest first (one active at a time). */
  referentHistory: z.array(z.object({ displayName: z.string(), since: z.string(), until: z.string() })),
};

/** What a counselor sees of a measure: its type and end date only (DESIGN §2). */
export const restrictedMeasureSchema = z.object({ type: measureTypeSchema, endDate: isoDate });

/** What SPIP roles (referent CPIP, their service, the direction) see of a measure. */
export const fullMeasureSchema = restrictedMeasureSchema.extend({
  startDate: isoDate,
  offence: z.string(),
  court: z.string(),
  judgmentDate: isoDate.nullable(),
});

export const personFileSchema = z.discriminatedUnion("view", [
  z.object({
    view: z.literal("full"),
    ...identityFields,
    measures: z.array(fullMeasureSchema),
    permissions: z.object({ edit: z.boolean() }),
  }),
  z.object({
    view: z.literal("restricted"),
    ...identityFields,
    measures: z.array(restrictedMeasureSchema),
    permissions: z.object({ edit: z.boolean() }),
  }),
]);
export type PersonFile = z.infer<typeof personFileSchema>;

/** Judicial fields that must never reach a counselor: the authorization matrix checks them. */
export const judicialFieldNames = ["offence", "court", "judgmentDate", "startDate"] as const;

/** A person's name: letters (any alphabet), with spaces, apostrophes, hyphens and dots between them. */
export function personName(missing: string) {
  return z
    .string()
    .trim()
    .min(1, { message: missing, abort: true })
    .max(80, { message: "80 caractères au plus.", abort: true })
    .regex(
      /^\p{L}[\p{L}\p{M}'’. -]*$/u,
      "Lettres seulement, avec espaces, apostrophes ou traits d'union (pas de chiffres ni de symboles).",
    );
}

export const newPersonBodySchema = z.object({
  structureId: uuid,
  firstName: personName("Saisissez le prénom."),
  lastName: personName("Saisissez le nom."),
  birthDate,
  birthPlace: z.string().trim().max(120).default(""),
  phone: z.string().trim().max(30).default(""),
  email: z.union([z.literal(""), z.email("Adresse électronique invalide.")]).default(""),
  address: z.string().trim().max(300).default(""),
  domiciliation: z.string().trim().max(200).default(""),
  preferredLanguage: z.string().trim().min(2).max(60).default("français"),
  readsFrench: readsFrenchSchema.default(""),
  status: personStatusSchema,
  measure: z
    .object({
      type: measureTypeSchema,
      startDate: isoDate,
      endDate: isoDate,
      offence: z.string().trim().max(200).default(""),
      court: z.string().trim().max(200).default(""),
    })
    .refine((m) => m.startDate <= m.endDate, {
      message: "La fin de mesure doit suivre son début.",
      path: ["endDate"],
    }),
  /** The person's consent to share information, when collected at creation. */
  consent: consentBodySchema.nullable().default(null),
  /** Set once the agent has seen the possible duplicates and confirms it is someone else. */
  confirmNotDuplicate: z.boolean().default(false),
});
export type NewPersonBody = z.infer<typeof newPersonBodySchema>;

export const duplicatesQuerySchema = z.object({
  structureId: uuid,
  lastName: z.string().trim().min(1).max(80),
  firstName: z.string().trim().min(1).max(80),
  birthDate,
  phone: z.string().trim().max(30).optional(),
});

/** Possible duplicates: those the agent may see, and how many others exist (never who). */
export const duplicatesSchema = z.object({
  visible: z.array(
    z.object({ id: z.string(), name: z.string(), birthDate: isoDate, reason: z.enum(["identity", "phone"]) }),
  ),
  hiddenCount: z.number().int(),
});
export type Duplicates = z.infer<typeof duplicatesSchema>;
export const createdPersonSchema = z.object({ id: z.string() });

/** One line of a person's history: what happened, when, by whom (no judicial detail). */
export const timelineEventSchema = z.object({
  at: z.string(),
  kind: z.enum(["convocation", "message", "person", "visit", "demarche", "need", "consent", "orientation"]),
  title: z.string(),
  detail: z.string(),
  actorName: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
export const timelineSchema = z.object({ events: z.array(timelineEventSchema) });

export const mergeBodySchema = z.object({
  /** The duplicate record, folded into the one of the URL and then hidden. */
  duplicateId: uuid,
});
