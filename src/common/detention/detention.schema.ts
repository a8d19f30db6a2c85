import { z } from "zod";
import { demarcheStatusSchema } from "../accompaniment/accompaniment.schema";
import { needDomainSchema } from "../agenda/agenda.schema";
import { uuid } from "../contract";
import { isoDate, requiredDate } from "../dates";
import { choice, requiredText, settingDays } from "../fields";
import { siteKindSchema } from "../roles";

/** How a person leaves detention (ADR 0028). */
export const releaseKinds = ["end_of_sentence", "sentence_adjustment", "sas_placement"] as const;
export const releaseKindSchema = z.enum(releaseKinds);
export type ReleaseKind = z.infer<typeof releaseKindSchema>;
export const releaseKindLabels: Record<ReleaseKind, string> = {
  end_of_sentence: "Fin de peine",
  sentence_adjustment: "Aménagement de peine",
  sas_placement: "Placement en SAS",
};

/** Site kinds of milieu fermé: no SMS or e-mail to the person, convocations through the establishment. */
export const detentionSiteKinds = ["prison", "sas"] as const;
export const isDetentionSiteKind = (kind: string): boolean =>
  (detentionSiteKinds as readonly string[]).includes(kind);

/** What everyone who may see the file sees of a detention (a counselor included): no prison number. */
export const detentionViewSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  siteKind: siteKindSchema,
  expectedReleaseDate: isoDate.nullable(),
  releaseKind: releaseKindSchema.nullable(),
  releasedOn: isoDate.nullable(),
});
export type DetentionView = z.infer<typeof detentionViewSchema>;

/**
 * The detention part of a file's correction (the referent CPIP, the direction): `siteId` null = not
 * in detention (the other fields are then cleared). The prison number is judicial data.
 */
export const detentionEditSchema = z
  .strictObject({
    siteId: uuid.nullable(),
    prisonNumber: z.string().trim().max(30, "30 caractères au plus.").default(""),
    expectedReleaseDate: isoDate.nullable().default(null),
    releaseKind: releaseKindSchema.nullable().default(null),
    /** The day the person actually left (then the release plan closes and the figures count it). */
    releasedOn: isoDate.nullable().default(null),
  })
  .refine((d) => d.siteId !== null || (d.prisonNumber === "" && d.expectedReleaseDate === null), {
    message: "Choisissez l'établissement de détention.",
    path: ["siteId"],
  });
export type DetentionEdit = z.infer<typeof detentionEditSchema>;

export const siteIdParamsSchema = z.object({ siteId: uuid });

/**
 * The places of each SAS of a structure (ADR 0028, addendum "SAS"): the people held there today
 * (`heldIn`) against its capacity. Counts only, no name: for the structure's CPIP and direction.
 */
export const sasOccupancySchema = z.object({
  /** The server's Paris day the count was made for. */
  today: isoDate,
  sites: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** Places of the SAS; null when not recorded. */
      capacity: z.number().int().nullable(),
      occupied: z.number().int(),
    }),
  ),
});
export type SasOccupancy = z.infer<typeof sasOccupancySchema>;
export const movementsQuerySchema = z.strictObject({ date: requiredDate("Indiquez le jour.") });

/** The movements list on screen (the PDF's lines): who is expected at the establishment that day. */
export const movementsListSchema = z.object({
  siteName: z.string(),
  day: isoDate,
  lines: z.array(
    z.object({
      personId: uuid,
      startsAt: z.string(),
      personName: z.string(),
      prisonNumber: z.string(),
      place: z.string(),
      agents: z.string(),
      status: z.string(),
    }),
  ),
});
export type MovementsList = z.infer<typeof movementsListSchema>;

/** One line of a release plan: a démarche of the catalogue to do before release. */
export const releasePlanItemSchema = z.object({
  /** The démarche type code of the catalogue. */
  code: z.string(),
  label: z.string(),
  /** The need domain it answers; `needed`: the person's latest assessment says there is a need. */
  domain: needDomainSchema,
  needed: z.boolean(),
  /** The démarche type id, null when the catalogue lacks it. */
  demarcheTypeId: z.string().nullable(),
  /** The suggested due date before release (Europe/Paris day). */
  dueDate: isoDate,
  /** The latest démarche of that type: `done` once granted. */
  demarche: z
    .object({ id: z.string(), status: demarcheStatusSchema, dueDate: isoDate.nullable() })
    .nullable(),
  state: z.enum(["open", "in_progress", "done"]),
});
export type ReleasePlanItem = z.infer<typeof releasePlanItemSchema>;

export const releasePlanSchema = z.object({
  /** False when the person is not in detention or the release is further than the delay. */
  active: z.boolean(),
  expectedReleaseDate: isoDate.nullable(),
  /** From this day on, the plan shows (release date minus the structure's delay). */
  showsFrom: isoDate.nullable(),
  daysLeft: z.number().int().nullable(),
  /** The server's Paris day the plan was computed for: a line due before it is late. */
  today: isoDate,
  items: z.array(releasePlanItemSchema),
  mayStart: z.boolean(),
});
export type ReleasePlan = z.infer<typeof releasePlanSchema>;

export const startPlanItemBodySchema = z.object({
  code: z.string().trim().min(1, "Choisissez la démarche du plan.").max(60),
});

/** An agent's authorisation to enter a prison or SAS (managed by the direction). */
export const accessAuthorisationSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  userId: z.string(),
  userName: z.string(),
  reference: z.string(),
  validUntil: isoDate,
  state: z.enum(["valid", "expiring", "expired"]),
});
export type AccessAuthorisation = z.infer<typeof accessAuthorisationSchema>;
export const accessAuthorisationListSchema = z.object({
  authorisations: z.array(accessAuthorisationSchema),
  /** Prison and SAS sites of the structure, and its agents, for the form. */
  sites: z.array(
    z.object({ id: z.string(), name: z.string(), kind: siteKindSchema, capacity: z.number().nullable() }),
  ),
  agents: z.array(z.object({ id: z.string(), displayName: z.string() })),
  alertDays: z.number().int(),
});
export const newAccessAuthorisationSchema = z.object({
  siteId: choice("Choisissez l'établissement."),
  userId: choice("Choisissez l'agent."),
  reference: requiredText(60, "Saisissez la référence de l'autorisation (numéro de badge ou de décision)."),
  validUntil: requiredDate("Indiquez la date de fin de validité."),
});
export type NewAccessAuthorisation = z.infer<typeof newAccessAuthorisationSchema>;
/** The release plan's delay before the expected release, set by the direction (ADR 0028). */
export const RELEASE_PLAN_DAYS = { min: 30, max: 365, default: 90 } as const;
export const detentionSettingsSchema = z
  .object({
    releasePlanDays: settingDays(RELEASE_PLAN_DAYS),
  })
  .strict();
export type DetentionSettingsBody = z.infer<typeof detentionSettingsSchema>;
export const authorisationIdParamsSchema = z.object({ structureId: uuid, authorisationId: uuid });

/** Milieu fermé steering figures (ADR 0028): exact for the direction, protected for steering. */
export const milieuFermeFigureKeys = [
  "released",
  "metBeforeRelease",
  "demarchesBeforeRelease",
  "identityOnRelease",
  "healthOnRelease",
  "incomeOnRelease",
  "registrationOnRelease",
  "medianDaysToFirstVisit",
] as const;
export type MilieuFermeFigureKey = (typeof milieuFermeFigureKeys)[number];
export const milieuFermeFiguresSchema = z.object({
  protected: z.boolean(),
  figures: z.array(
    z.object({
      key: z.enum(milieuFermeFigureKeys),
      label: z.string(),
      /** Null: hidden ("< 5" for a count, "non significatif" for the median). */
      value: z.number().nullable(),
      kind: z.enum(["count", "days"]),
      definition: z.string(),
    }),
  ),
});
export type MilieuFermeFigures = z.infer<typeof milieuFermeFiguresSchema>;
