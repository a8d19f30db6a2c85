import { defineRoute, okSchema } from "../contract";
import {
  activateBodySchema,
  changePasswordBodySchema,
  loginBodySchema,
  loginResultSchema,
  recoveryCodesBodySchema,
  recoveryCodesSchema,
  secondFactorBodySchema,
  sessionViewSchema,
  totpConfirmBodySchema,
  totpSetupSchema,
} from "./auth.schema";

export const authRoutes = {
  login: defineRoute({
    method: "POST",
    path: "/api/auth/login",
    summary: "Connexion par adresse électronique et mot de passe",
    access: "public",
    body: loginBodySchema,
    response: loginResultSchema,
  }),
  secondFactor: defineRoute({
    method: "POST",
    path: "/api/auth/second-factor",
    summary: "Vérification du code TOTP ou d'un code de secours",
    access: "partial",
    body: secondFactorBodySchema,
    response: loginResultSchema,
  }),
  session: defineRoute({
    method: "GET",
    path: "/api/auth/session",
    summary: "La session courante",
    access: "partial",
    response: sessionViewSchema,
  }),
  logout: defineRoute({
    method: "POST",
    path: "/api/auth/logout",
    summary: "Déconnexion",
    access: "partial",
    response: okSchema,
  }),
  changePassword: defineRoute({
    method: "POST",
    path: "/api/account/password",
    summary: "Changer son mot de passe",
    body: changePasswordBodySchema,
    response: okSchema,
  }),
  totpSetup: defineRoute({
    method: "POST",
    path: "/api/account/totp/setup",
    summary: "Générer un secret TOTP et son QR code",
    access: "partial",
    response: totpSetupSchema,
  }),
  totpConfirm: defineRoute({
    method: "POST",
    path: "/api/account/totp/confirm",
    summary:
      "Activer la double authentification avec un premier code (la remplacer demande le mot de passe ou un code actuel)",
    access: "partial",
    body: totpConfirmBodySchema,
    response: recoveryCodesSchema,
  }),
  recoveryCodes: defineRoute({
    method: "POST",
    path: "/api/account/totp/recovery-codes",
    summary: "Créer de nouveaux codes de secours (mot de passe ou code actuel demandé)",
    body: recoveryCodesBodySchema,
    response: recoveryCodesSchema,
  }),
  activate: defineRoute({
    method: "POST",
    path: "/api/auth/activate",
    summary: "Activer un nouveau compte : choisir son mot de passe avec le lien reçu par courriel",
    access: "public",
    body: activateBodySchema,
    response: okSchema,
  }),
} as const;
