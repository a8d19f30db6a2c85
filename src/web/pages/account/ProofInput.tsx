import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import type { ReactNode } from "react";

/** The errors shown under the proof field. */
export const proofErrorCodes = ["auth.proofRequired", "auth.wrongProof", "auth.tooManyProofAttempts"];

/** Proof of identity before the second factor changes: password, current code or recovery code. */
export function ProofInput({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}): ReactNode {
  return (
    <PasswordInput
      label="Pour confirmer : votre mot de passe actuel, ou un code de votre application actuelle, ou un code de secours"
      messages={error ? [{ message: error, severity: "error" }] : []}
      nativeInputProps={{
        autoComplete: "current-password",
        value,
        required: true,
        onChange: (e) => onChange(e.target.value),
      }}
    />
  );
}
