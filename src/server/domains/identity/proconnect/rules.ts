/**
 * ProConnect's rules that need no I/O (ADR 0023): when its login counts as a second factor, and
 * the reason code journaled for each refusal.
 */

/** ProConnect's `acr` values that assert a second factor. */
export const PROCONNECT_2FA_ACRS = [
  "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
  "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
] as const;

/** `amr` values (RFC 8176) that are a second factor on their own, or say several were used. */
const SECOND_FACTOR_AMRS = new Set(["mfa", "otp", "hwk", "swk", "sms", "fido", "face", "fpt", "iris"]);

/**
 * ProConnect asserts a second factor when its `acr` is one of its 2FA levels, or `amr` says `mfa`
 * or names a factor beyond the password. Then Passerelle does not ask its own TOTP.
 */
export function assertsSecondFactor(amr: readonly string[], acr: string | null): boolean {
  if (acr && (PROCONNECT_2FA_ACRS as readonly string[]).includes(acr)) return true;
  return amr.some((method) => SECOND_FACTOR_AMRS.has(method));
}

export type ProConnectRefusal =
  | "disabled"
  | "email_missing"
  | "email_unverified"
  | "id_token_expired"
  | "id_token_invalid"
  | "id_token_signature"
  | "issuer_mismatch"
  | "nonce_mismatch"
  | "provider_error"
  | "provider_unreachable"
  | "state_mismatch"
  | "state_unknown"
  | "token_exchange_failed"
  | "unknown_account";

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  error?: unknown;
}

/** The refusal an openid-client error stands for (the token itself is never kept). */
export function refusalOfError(error: unknown): ProConnectRefusal {
  const shape = (error ?? {}) as ErrorShape;
  // openid-client wraps oauth4webapi's error, whose own cause names the claim.
  const inner = (shape.cause ?? {}) as ErrorShape & { claim?: unknown };
  const claim = inner.claim ?? ((inner.cause ?? {}) as { claim?: unknown }).claim;
  const message = [shape.message, inner.message].filter((m) => typeof m === "string").join(" ");
  switch (shape.code) {
    case "OAUTH_JWT_TIMESTAMP_CHECK_FAILED":
      return "id_token_expired";
    case "OAUTH_JWT_CLAIM_COMPARISON_FAILED":
      return claim === "nonce" ? "nonce_mismatch" : "id_token_invalid";
    case "OAUTH_KEY_SELECTION_FAILED":
      return "id_token_signature";
    case "OAUTH_INVALID_RESPONSE":
      if (/signature/i.test(message)) return "id_token_signature";
      return /"iss"|issuer/i.test(message) ? "issuer_mismatch" : "id_token_invalid";
    case "OAUTH_AUTHORIZATION_RESPONSE_ERROR":
      return "provider_error";
    case "OAUTH_RESPONSE_BODY_ERROR":
      return "token_exchange_failed";
    case "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED":
      return "state_mismatch";
    default:
      return error instanceof TypeError ? "provider_unreachable" : "id_token_invalid";
  }
}

/** Where the browser goes after a refusal: the page that explains it (in French). */
export function refusalPage(reason: ProConnectRefusal): string {
  switch (reason) {
    case "unknown_account":
      return "/connexion/proconnect/compte-inconnu";
    case "disabled":
      return "/connexion/proconnect/compte-desactive";
    case "email_missing":
    case "email_unverified":
      return "/connexion/proconnect/adresse-non-verifiee";
    case "provider_unreachable":
      return "/connexion/proconnect/indisponible";
    default:
      return "/connexion/proconnect/echec";
  }
}
