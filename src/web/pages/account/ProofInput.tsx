import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import type { ReactNode } from "react";
import { ApiError } from "../../api/client";
import { passwordState } from "../../components/form/passwordState";

/** The errors shown under the proof field. */
export const proofErrorFields = { "auth.proofRequired": "proof", "auth.wrongProof": "proof" } as const;

/** After too many wrong proofs the server closed the session: the agent must sign in again. */
export function sessionClosedByProofs(error: unknown): boolean {
  return error instanceof ApiError && error.body.code === "auth.tooManyProofAttempts";
}

/**
 * Proof of identity before the second factor changes: password, current code or recovery code.
 * `error` is the request's error: a wrong proof shows under the field; once the session was
 * closed (too many wrong proofs), the agent is told so and sent to the login page.
 */
export function ProofInput({
  value,
  onChange,
  error,
  message,
  id,
}: {
  value: string;
  onChange: (value: string) => void;
  error: unknown;
  /** The field's message from the form's errors (its check, or the server's answer). */
  message: string | undefined;
  id: string;
}): ReactNode {
  if (sessionClosedByProofs(error)) {
    return (
      <Alert
        severity="error"
        title="Session fermée par sécurité"
        description={
          <>
            <span className="fr-mb-1w" style={{ display: "block" }}>
              Trop d'essais incorrects de mot de passe ou de code : votre session a été fermée.
              Reconnectez-vous pour réessayer ; si vous ne retrouvez pas votre mot de passe, prévenez la
              direction de votre structure.
            </span>
            <Button size="small" onClick={() => window.location.assign("/connexion")}>
              Se reconnecter
            </Button>
          </>
        }
      />
    );
  }
  return (
    <PasswordInput
      label="Pour confirmer : votre mot de passe actuel, ou un code de votre application actuelle, ou un code de secours"
      {...passwordState(message)}
      nativeInputProps={{
        id,
        "aria-invalid": message ? true : undefined,
        autoComplete: "current-password",
        value,
        required: true,
        onChange: (e) => onChange(e.target.value),
      }}
    />
  );
}
