import { z } from "zod";
import { demarcheStatusSchema } from "../accompaniment/accompaniment.schema";
import { needDomainSchema } from "../agenda/agenda.schema";
import { consentBodySchema } from "../consent/consent.schema";
import { uuid } from "../contract";
import { birthDate, isoDate, requiredDate } from "../dates";
import { detentionViewSchema } from "../detention/detention.schema";
import {
  choice,
  optionalEmail,
  optionalPhone,
  optionalText,
  queryWholeNumber,
  requiredText,
} from "../fields";
import { measureTypeSchema, personStatusSchema, retiredMeasureTypes } from "../roles";
import { closureSchema, sexSchema } from "./closing.schema";

export const readsFrenchValues = ["", "yes", "with_help", "no"] as const;
export const readsFrenchSchema = z.enum(readsFrenchValues);
export const readsFrenchLabels: Record<(typeof readsFrenchValues)[number], string> = {
  "": "Non renseigné",
  yes: "Oui",
  with_help: "Avec de l'aide",
  no: "Non",
};

export const personIdParamsSchema = z.object({ personId: uuid });

/** Columns a people list may be sorted by; without `sort`, by name (by relevance while searching). */
export const peopleSorts = ["name", "birthDate", "nextConvocation", "measureEnd", "referent"] as const;
export type PeopleSort = (typeof peopleSorts)[number];
/** Open (not closed) files by default; closed ones on demand. */
export const fileStates = ["active", "closed", "all"] as const;
export type FileState = (typeof fileStates)[number];
export const fileStateLabels: Record<FileState, string> = {
  active: "Dossiers ouverts",
  closed: "Dossiers clos",
  all: "Tous les dossiers",
};
export const PEOPLE_PAGE_SIZE = 50;
const flag = z.enum(["true", "false"]).optional();

/** Filters, sort and page of a people list: the web page keeps them in its address. */
export const peopleQuerySchema = z.strictObject({
  /** Names in any order, part of a name, a phone number in any format, a birth date (jj/mm/aaaa). */
  search: z.string().trim().max(100).optional(),
  /** Only the people the agent refers. */
  mine: flag,
  /** Only the people this agent refers. */
  referent: uuid.optional(),
  /** Only the people convoked at least once to this site. */
  site: uuid.optional(),
  status: personStatusSchema.optional(),
  fileState: z.enum(fileStates).default("active"),
  /** Only people with a démarche not finished yet. */
  openDemarche: flag,
  /** Only people with a planned convocation to come. */
  upcoming: flag,
  /** Only people with no convocation in the last N weeks and none planned. */
  withoutConvocationWeeks: queryWholeNumber({ min: 1, max: 104 }).optional(),
  sort: z.enum(peopleSorts).optional(),
  order: z.enum(["asc", "desc"]).optional(),
  page: queryWholeNumber({ min: 1, max: 10_000 }).default(1),
});
export type PeopleQuery = z.infer<typeof peopleQuerySchema>;

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
  /** The establishment (site id) the person is held in today, or null: where they may be convoked. */
  heldIn: z.string().nullable(),
  /** Held today: the first day out (recorded or expected release; null: no date known). */
  releaseDay: z.string().nullable(),
});
export type PersonSummary = z.infer<typeof personSummarySchema>;
export const peopleListSchema = z.object({
  people: z.array(personSummarySchema),
  /** A name search that found nobody: the closest names (a letter missing or swapped), best first. */
  closeMatches: z.array(personSummarySchema),
  /** How many people match the filters, over every page. */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** What the list's filters offer: the referents of the people the agent sees, the structure's sites. */
export const peopleFilterOptionsSchema = z.object({
  referents: z.array(z.object({ id: z.string(), displayName: z.string() })),
  sites: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type PeopleFilterOptions = z.infer<typeof peopleFilterOptionsSchema>;

/** The essentials shown at the top of the file, computed in SQL with the file. */
export const fileSummarySchema = z.object({
  /** When the consent in force was collected; null when the person shared nothing. */
  consentSince: z.string().nullable(),
  nextConvocation: z.object({ id: z.string(), startsAt: z.string(), siteName: z.string() }).nullable(),
  /** Need domains whose latest assessment says there is a need. */
  openNeeds: z.array(needDomainSchema),
  openDemarches: z.array(z.object({ id: z.string(), label: z.string(), status: demarcheStatusSchema })),
  lastVisitAt: z.string().nullable(),
});
export type FileSummary = z.infer<typeof fileSummarySchema>;

/** What the agent may do on the file; a closed file allows only `reopen`. */
export const filePermissionsSchema = z.object({
  /** Book, correct identity and measure: the active referent and the direction. */
  edit: z.boolean(),
  /** Correct contacts: those who may edit, and the structure's counselors. */
  editContacts: z.boolean(),
  changeReferent: z.boolean(),
  close: z.boolean(),
  reopen: z.boolean(),
});
export type FilePermissions = z.infer<typeof filePermissionsSchema>;

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
  sex: sexSchema,
  /** Milieu fermé (ADR 0028): establishment and release, seen by counselors too; null in milieu ouvert. */
  detention: detentionViewSchema.nullable(),
  /** Set when the file is closed: it is then read-only until reopened. */
  closure: closureSchema.nullable(),
  summary: fileSummarySchema,
  permissions: filePermissionsSchema,
  /**
   * Retention (ADR 0024): set when the file is archived (read-only, seen by the direction only);
   * what the direction may do: restore it, export everything the structure holds (access request).
   */
  retention: z.object({
    archivedAt: z.string().nullable(),
    mayRestore: z.boolean(),
    mayExportData: z.boolean(),
  }),
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
    /** The numéro d'écrou: judicial, SPIP side only. */
    prisonNumber: z.string().nullable(),
  }),
  z.object({
    view: z.literal("restricted"),
    ...identityFields,
    measures: z.array(restrictedMeasureSchema),
  }),
]);
export type PersonFile = z.infer<typeof personFileSchema>;

/** Judicial fields that must never reach a counselor: the authorization matrix checks them. */
export const judicialFieldNames = ["offence", "court", "judgmentDate", "startDate", "prisonNumber"] as const;

/**
 * A person's name: letters (any alphabet), with spaces, apostrophes, hyphens and dots between them —
 * never at its start or end ("Jean-" is a typing slip, not a name).
 */
export function personName(missing: string) {
  return z
    .string()
    .trim()
    .min(1, { message: missing, abort: true })
    .max(80, { message: "80 caractères au plus.", abort: true })
    .refine((value) => !/^['’-]|['’-]$/u.test(value), {
      message: "Un nom ne commence ni ne finit par un trait d'union ou une apostrophe.",
      abort: true,
    })
    .regex(
      /^\p{L}[\p{L}\p{M}'’. -]*$/u,
      "Lettres seulement, avec espaces, apostrophes ou traits d'union (pas de chiffres ni de symboles).",
    );
}

export const newPersonBodySchema = z.object({
  /** The file's id, chosen by the form and kept until saved: sent again, it is not created twice (ADR 0036). */
  id: z.string().uuid("Identifiant de dossier invalide.").toLowerCase().optional(),
  structureId: uuid,
  firstName: personName("Saisissez le prénom."),
  lastName: personName("Saisissez le nom."),
  birthDate,
  birthPlace: optionalText(120).default(""),
  phone: optionalPhone.default(""),
  email: optionalEmail.default(""),
  address: optionalText(300).default(""),
  domiciliation: optionalText(200).default(""),
  preferredLanguage: requiredText(60, "Saisissez la langue préférée (2 lettres au moins).", 2).default(
    "français",
  ),
  readsFrench: readsFrenchSchema.default(""),
  status: personStatusSchema,
  measure: z
    .object(
      {
        type: measureTypeSchema.refine((m) => !retiredMeasureTypes.has(m), {
          message:
            "Cette mesure n'existe plus : la contrainte pénale est remplacée par le sursis probatoire.",
        }),
        startDate: requiredDate("Indiquez le début de la mesure."),
        endDate: requiredDate("Indiquez la fin de la mesure."),
        offence: optionalText(200).default(""),
        court: optionalText(200).default(""),
      },
      {
        // Missing, the measure is named (the form has no field "measure", only its parts).
        error: (issue) =>
          issue.input === undefined || issue.input === null
            ? "Indiquez la mesure : son type, sa date de début et sa date de fin."
            : undefined,
      },
    )
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
  lastName: personName("Saisissez le nom."),
  firstName: personName("Saisissez le prénom."),
  birthDate,
  phone: optionalPhone.optional(),
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
  kind: z.enum([
    "convocation",
    "message",
    "person",
    "visit",
    "demarche",
    "need",
    "consent",
    "orientation",
    "document",
  ]),
  /**
   * Said in « Quand » instead of `at` (which still orders the rows): a message not sent, its state;
   * one not due yet, « Prévu le … » (its `at` is then when it will leave).
   */
  atLabel: z.string().nullable().optional(),
  title: z.string(),
  detail: z.string(),
  actorName: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
/** The history's line for the opening of the file (its author unknown once the journal is purged). */
export const FILE_CREATED_TITLE = "Dossier créé";
export const timelineSchema = z.object({ events: z.array(timelineEventSchema) });

export const mergeBodySchema = z.object({
  /** The duplicate record, folded into the one of the URL and then hidden. */
  duplicateId: choice("Choisissez le doublon à fusionner."),
});
