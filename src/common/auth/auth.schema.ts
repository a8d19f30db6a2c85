import { z } from "zod";
import { email, emailMessage } from "../fields";
import { roleSchema } from "../roles";

export const sessionStageSchema = z.enum(["totp_pending", "enrolment_required", "active"]);
export type SessionStage = z.infer<typeof sessionStageSchema>;

export const loginBodySchema = z.object({
  email: z.string().trim().min(1, "Saisissez votre adresse électronique.").max(254),
  password: z.string().min(1, "Saisissez votre mot de passe.").max(256),
});

/**
 * The login form's own check, before anything is sent: an address with no name, no "@" or no domain
 * ("jean@", "abc") is flagged under the field. The server keeps the looser `loginBodySchema` (any
 * unknown or odd address gets the same "identifiants incorrects" answer).
 */
export const loginFormSchema = loginBodySchema.extend({
  email: loginBodySchema.shape.email.pipe(z.email(emailMessage)),
});

export const loginResultSchema = z.object({ stage: sessionStageSchema });

/** Whether the login page shows the ProConnect button. */
export const proconnectStatusSchema = z.object({ enabled: z.boolean() });

const callbackValue = z.string().max(4096).optional();
/** ProConnect's answer in the callback's query; other parameters it may add are let through. */
export const proconnectCallbackQuerySchema = z
  .object({
    code: callbackValue,
    state: callbackValue,
    iss: callbackValue,
    error: callbackValue,
    error_description: callbackValue,
  })
  .loose();

/** `redirectTo`: ProConnect's logout address, for a session opened through ProConnect. */
export const logoutResultSchema = z.object({ ok: z.literal(true), redirectTo: z.string().nullable() });

export const secondFactorBodySchema = z.object({
  code: z.string().trim().min(6, "Saisissez le code à 6 chiffres ou un code de secours.").max(20),
});

export const membershipViewSchema = z.object({
  structureId: z.string(),
  structureName: z.string(),
  /** The structure's département: which public holidays it keeps (Alsace-Moselle has two more). */
  structureDepartement: z.string(),
  role: roleSchema,
  /** The partner organisation a partner referent works for (their pages carry its name). */
  partnerName: z.string().nullable(),
});
export type MembershipView = z.infer<typeof membershipViewSchema>;

export const sessionViewSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), displayName: z.string() }),
  stage: sessionStageSchema,
  csrfToken: z.string(),
  memberships: z.array(membershipViewSchema),
  totpEnabled: z.boolean(),
  totpRequired: z.boolean(),
  /** Signed in with a temporary password: every page waits for a new one. */
  mustChangePassword: z.boolean(),
  recoveryCodesLeft: z.number().int(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

/**
 * The session read: the session, or `{ authenticated: false }` for a visitor not signed in — a 200
 * rather than a 401, so the login page's first check logs no error in the browser's console (every
 * other route still answers 401 without a session).
 */
export const sessionReadSchema = z.union([
  sessionViewSchema.extend({ authenticated: z.literal(true) }),
  z.object({ authenticated: z.literal(false) }),
]);
export type SessionRead = z.infer<typeof sessionReadSchema>;

export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1, "Saisissez votre mot de passe actuel.").max(256),
  newPassword: z.string().min(1, "Saisissez un nouveau mot de passe.").max(256),
});

export const totpSetupSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});

/** Proof of identity before the second factor changes: password, current code or recovery code. */
const proofField = z.string().min(1, "Saisissez votre mot de passe actuel, ou un code.").max(256);

export const totpConfirmBodySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Le code comporte 6 chiffres."),
  /** Required when a second factor is already on (replacing it). */
  proof: proofField.optional(),
});

export const recoveryCodesBodySchema = z.object({ proof: proofField });

export const activateBodySchema = z.object({
  token: z.string().min(20).max(100),
  password: z.string().min(1, "Choisissez un mot de passe.").max(256),
});

export const passwordRecoveryBodySchema = z.strictObject({
  email,
});

export const recoverPasswordBodySchema = z.strictObject(activateBodySchema.shape);

export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
