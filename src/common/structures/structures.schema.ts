import { z } from "zod";
import { uuid } from "../contract";
import { choice, eachOnce, email, optionalText, requiredText } from "../fields";
import { personName } from "../people/people.schema";
import {
  demarcheCategorySchema,
  partnerKindSchema,
  roleSchema,
  roles,
  serviceKindSchema,
  siteKindSchema,
} from "../roles";

export const structureIdParamsSchema = z.object({ structureId: uuid });
export const structureUserParamsSchema = z.object({ structureId: uuid, userId: uuid });

export const structureOverviewSchema = z.object({
  id: z.string(),
  name: z.string(),
  labelNumber: z.string(),
  departement: z.string(),
  coHolders: z.array(z.string()),
  services: z.array(z.object({ id: z.string(), name: z.string(), kind: serviceKindSchema })),
  sites: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: siteKindSchema,
      address: z.string(),
      accessInstructions: z.string(),
      phone: z.string(),
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
  /** What the viewer may do on this row; the server refuses the rest. */
  permissions: z.object({
    changeRoles: z.boolean(),
    deactivate: z.boolean(),
    reactivate: z.boolean(),
    resendInvitation: z.boolean(),
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
