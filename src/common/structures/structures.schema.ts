import { z } from "zod";
import { parisDay } from "../calendar";
import { uuid } from "../contract";
import { requiredDate } from "../dates";
import {
  choice,
  eachOnce,
  email,
  optionalPhone,
  optionalText,
  requiredText,
  whenFieldsValid,
  wholeNumber,
} from "../fields";
import { personName } from "../people/people.schema";
import {
  demarcheCategorySchema,
  partnerKindSchema,
  roleSchema,
  roles,
  serviceKindSchema,
  siteKindSchema,
} from "../roles";

/** A French département's code: 01–95 (no 20), 2A, 2B, 971–976. */
export const DEPARTEMENT_CODE = /^(0[1-9]|1\d|2[1-9]|2A|2B|[3-8]\d|9[0-5]|97[1-6])$/;

export const structureIdParamsSchema = z.object({ structureId: uuid });
export const structureUserParamsSchema = z.object({ structureId: uuid, userId: uuid });
export const structureSiteParamsSchema = z.object({ structureId: uuid, siteId: uuid });

/** The structure's own details, as `npm run setup` created them; edited by its direction or an administrator. */
export const structureDetailsBodySchema = z.strictObject({
  name: requiredText(200, "Saisissez le nom de la structure."),
  labelNumber: requiredText(50, "Saisissez le numéro de label France services."),
  departement: z.string().trim().regex(DEPARTEMENT_CODE, "Saisissez un numéro de département : 77, 2A, 971…"),
  coHolders: z
    .array(requiredText(200, "Saisissez le nom du co-porteur."))
    .min(1, "Saisissez au moins un co-porteur.")
    .max(10, "10 co-porteurs au plus.")
    .refine(
      (names) => new Set(names.map((n) => n.toLocaleLowerCase("fr"))).size === names.length,
      "Chaque co-porteur ne figure qu'une fois.",
    ),
  minLeadHours: wholeNumber({
    notNumber: "Saisissez un nombre d'heures.",
    notWhole: "Saisissez un nombre entier d'heures.",
    min: 0,
    tooSmall: "Saisissez 0 ou plus.",
    max: 168,
    tooBig: "168 heures (une semaine) au plus.",
  }),
});
export type StructureDetailsBody = z.infer<typeof structureDetailsBodySchema>;

/**
 * A site of the structure. `capacity`: the places of a SAS only. The kind of a detention site
 * (prison, SAS) cannot be changed, nor can another site become one (ADR 0028: access
 * authorisations and movements hang on it); the server refuses it.
 */
export const siteBodySchema = z
  .strictObject({
    name: requiredText(200, "Saisissez le nom du lieu."),
    kind: siteKindSchema,
    address: requiredText(500, "Saisissez l'adresse du lieu."),
    accessInstructions: optionalText(1000),
    phone: optionalPhone,
    capacity: wholeNumber({
      notNumber: "Saisissez un nombre de places.",
      notWhole: "Saisissez un nombre entier.",
      min: 1,
      tooSmall: "Saisissez un nombre positif.",
      max: 10_000,
      tooBig: "10 000 places au plus.",
    }).nullable(),
  })
  .check(
    z.refine((body) => body.capacity === null || body.kind === "sas", {
      path: ["capacity"],
      message: "Le nombre de places ne concerne qu'une SAS : laissez-le vide.",
      when: whenFieldsValid("kind", "capacity"),
    }),
  );
export type SiteBody = z.infer<typeof siteBodySchema>;

export const structureOverviewSchema = z.object({
  id: z.string(),
  name: z.string(),
  labelNumber: z.string(),
  departement: z.string(),
  coHolders: z.array(z.string()),
  /** No slot may be booked sooner than this many hours ahead. */
  minLeadHours: z.number().int(),
  services: z.array(z.object({ id: z.string(), name: z.string(), kind: serviceKindSchema })),
  sites: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: siteKindSchema,
      address: z.string(),
      accessInstructions: z.string(),
      phone: z.string(),
      capacity: z.number().int().nullable(),
    }),
  ),
});
export type StructureOverview = z.infer<typeof structureOverviewSchema>;

export const structureUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  serviceName: z.string().nullable(),
  /** False: the membership of this structure was ended ("désactivé dans la structure"). */
  activeInStructure: z.boolean(),
  /**
   * True: added by the direction, the agent has not signed in since. The list then shows the name
   * the direction typed and nothing of the account (whether it existed is not the direction's to know).
   */
  invitationPending: z.boolean(),
  /**
   * True: an e-mail about this invitation was queued (the direction's invitation, a resend). False
   * for an account created by `npm run setup`: its activation link was printed for the operator to
   * hand over, no e-mail was sent.
   */
  invitationEmailed: z.boolean(),
  /** True: a platform administrator disabled the account, for every structure. */
  accountDisabled: z.boolean(),
  totpEnabled: z.boolean(),
  /** The France services training recorded by the direction (ADR 0038), or null. */
  training: z.object({ trainedOn: z.string(), organisation: z.string() }).nullable(),
  /** What the viewer may do on this row; the server refuses the rest. */
  permissions: z.object({
    changeRoles: z.boolean(),
    recordTraining: z.boolean(),
    deactivate: z.boolean(),
    reactivate: z.boolean(),
    resendInvitation: z.boolean(),
    /** A temporary password: the structure's direction only (ADR 0016). */
    resetPassword: z.boolean(),
    disableAccount: z.boolean(),
    enableAccount: z.boolean(),
  }),
});
export const structureUsersSchema = z.object({
  users: z.array(structureUserSchema),
  /** The roles the viewer may grant in this structure. */
  grantableRoles: z.array(roleSchema),
});
export type StructureUser = z.infer<typeof structureUserSchema>;

/** An aggregate count: null means "between 1 and 4", hidden so nobody can be recognised. */
export const protectedCountSchema = z.number().int().nullable();
export const structureStatsSchema = z.object({
  peopleFollowed: protectedCountSchema,
  byStatus: z.array(z.object({ status: z.string(), count: protectedCountSchema })),
  measuresEndingWithin60Days: protectedCountSchema,
  sites: z.number().int(),
  agents: z.number().int(),
});
export type StructureStats = z.infer<typeof structureStatsSchema>;

export const catalogueSchema = z.object({
  partners: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      kind: partnerKindSchema,
      demarcheTypes: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          category: demarcheCategorySchema,
          documents: z.array(z.string()),
        }),
      ),
    }),
  ),
});
export type Catalogue = z.infer<typeof catalogueSchema>;

export const createUserBodySchema = z.object({
  email,
  displayName: personName("Saisissez le prénom et le nom."),
  roles: eachOnce(z.array(roleSchema).min(1, "Choisissez au moins un rôle.").max(roles.length)),
  serviceId: choice("Choisissez le service.").nullable(),
});
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

/**
 * The same answer whether the e-mail already had an account or not: a new account receives an
 * activation link by e-mail, an existing one a notice that it was added to the structure.
 */
export const createdUserSchema = z.object({ userId: z.string() });
export const createdSiteSchema = z.object({ siteId: z.string() });

/**
 * The roles (and employer service) of an agent in one structure, replacing the current ones;
 * without `serviceId`, the agent keeps their service there.
 */
export const membershipBodySchema = createUserBodySchema
  .pick({ roles: true })
  .extend({ serviceId: uuid.nullable().optional() });
export type MembershipBody = z.infer<typeof membershipBodySchema>;
export const userIdParamsSchema = z.object({ userId: uuid });

const documentsList = z
  .array(requiredText(120, "Saisissez le nom de la pièce, ou retirez la ligne vide."))
  .max(15, "15 pièces au plus.")
  .default([]);

export const newPartnerSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,40}$/, "Code en minuscules, chiffres et tirets (ex. mission-locale-meaux)."),
  name: requiredText(120, "Saisissez le nom (2 caractères au moins).", 2),
  kind: partnerKindSchema,
  description: optionalText(300).default(""),
});
/** A partner's new name (a typo fixed): the catalogue's other names are checked on the server. */
export const partnerNameBodySchema = z
  .object({ name: requiredText(120, "Saisissez le nom (2 caractères au moins).", 2) })
  .strict();
export const partnerIdParamsSchema = z.object({ partnerId: uuid });
export const demarcheTypeBodySchema = z.object({
  label: requiredText(150, "Saisissez l'intitulé (3 caractères au moins).", 3),
  category: demarcheCategorySchema,
  documents: documentsList,
});
export const newDemarcheTypeSchema = demarcheTypeBodySchema.extend({
  partnerId: choice("Choisissez le partenaire."),
});
export const demarcheTypeIdParamsSchema = z.object({ demarcheTypeId: uuid });

/** A temporary password, shown once to the direction: the agent must change it at the next sign-in. */
export const temporaryPasswordSchema = z.object({ temporaryPassword: z.string() });

/** What a training day after today is told, under its field (the form and the server say the same). */
export const TRAINING_IN_FUTURE =
  "Date dans le futur : saisissez le jour où la formation a eu lieu, au plus tard aujourd'hui.";

/**
 * "Formation initiale France services" of an agent (ADR 0038): its day, not after today (Paris
 * calendar; the server checks it against its own clock too), and optionally who gave it.
 */
export function trainingBodyUntil(today: () => string) {
  return z.strictObject({
    trainedOn: requiredDate("Saisissez la date de la formation initiale.").refine(
      (day) => day <= today(),
      TRAINING_IN_FUTURE,
    ),
    organisation: optionalText(200),
  });
}
export const trainingBodySchema = trainingBodyUntil(() => parisDay(new Date()));
export type TrainingBody = z.infer<typeof trainingBodySchema>;

/**
 * Agents without a recorded training who stand in the pool of a permanence in force or to come: the
 * training is a reminder, not a condition of the pool, so the direction is told (ADR 0038).
 */
export const untrainedInPoolsSchema = z.object({
  agents: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      /** "Meaux, le mardi de 09:00 à 12:30", one per permanence. */
      permanences: z.array(z.string()),
    }),
  ),
});
export type UntrainedInPools = z.infer<typeof untrainedInPoolsSchema>;
