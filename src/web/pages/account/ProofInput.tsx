import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import type { ReactNode } from "react";
import { ApiError } from "../../api/client";
import { fieldError } from "../../components/ErrorAlert";

/** The errors shown under the proof field. */
export const proofErrorCodes = ["auth.proofRequired", "auth.wrongProof"];

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
}: {
  value: string;
  onChange: (value: string) => void;
  error: unknown;
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
  const message = fieldError(error, proofErrorCodes, "body.proof");
  return (
    <PasswordInput
      label="Pour confirmer : votre mot de passe actuel, ou un code de votre application actuelle, ou un code de secours"
      messages={message ? [{ message, severity: "error" }] : []}
      nativeInputProps={{
        autoComplete: "current-password",
        value,
        required: true,
        onChange: (e) => onChange(e.target.value),
      }}
    />
  );
}
