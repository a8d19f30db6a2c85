import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { authRoutes } from "../../../common/auth/auth.routes";
import { call } from "../../api/client";
import { ErrorAlert, fieldError } from "../../components/ErrorAlert";
import { RecoveryCodes } from "../../components/RecoveryCodes";
import { ProofInput, proofErrorCodes, sessionClosedByProofs } from "../account/ProofInput";

/**
 * Enrols an authenticator app: QR code (and the secret as text), first code, recovery codes shown
 * once. Replacing an app already enrolled also asks for the password or a current code.
 */
export function TotpEnrolment({
  onDone,
  replacing = false,
}: {
  onDone: () => void;
  replacing?: boolean;
}): ReactNode {
  const [code, setCode] = useState("");
  const [proof, setProof] = useState("");
  const setup = useMutation({ mutationFn: () => call(authRoutes.totpSetup) });
  const confirm = useMutation({
    mutationFn: () => call(authRoutes.totpConfirm, { body: replacing ? { code, proof } : { code } }),
  });
  const codeError = fieldError(confirm.error, ["auth.invalidTotp"], "body.code");
  const proofError =
    fieldError(confirm.error, proofErrorCodes, "body.proof") ?? sessionClosedByProofs(confirm.error);

  if (confirm.data) {
    return (
      <div>
        <Alert
          severity="success"
          title={replacing ? "Application d'authentification remplacée" : "Double authentification activée"}
          description="Conservez ces codes de secours en lieu sûr : chacun permet une connexion si vous perdez votre téléphone. Ils ne seront plus affichés."
          className="fr-mb-3w"
        />
        <RecoveryCodes codes={confirm.data.recoveryCodes} />
        <Button onClick={onDone}>J'ai noté mes codes, continuer</Button>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };

  return (
    <div>
      <p>
        Installez une application d'authentification (par exemple FreeOTP, Aegis ou celle de votre téléphone),
        puis scannez le QR code.
      </p>
      {!setup.data && (
        <Button onClick={() => setup.mutate()} disabled={setup.isPending}>
          Générer mon QR code
        </Button>
      )}
      <ErrorAlert error={setup.error} />
      {setup.data && (
        <form onSubmit={submit}>
          <img
            src={`data:image/svg+xml;base64,${btoa(setup.data.qrSvg)}`}
            alt="QR code à scanner avec votre application d'authentification"
            width={200}
            height={200}
          />
          <p>
            Si vous ne pouvez pas scanner, saisissez cette clé :{" "}
            <code data-testid="totp-secret">{setup.data.secret}</code>
          </p>
          <ErrorAlert error={codeError || proofError ? null : confirm.error} title="Code refusé" />
          <Input
            label="Code à 6 chiffres affiché par l'application"
            state={codeError ? "error" : "default"}
            stateRelatedMessage={codeError}
            nativeInputProps={{
              value: code,
              onChange: (e) => setCode(e.target.value),
              inputMode: "numeric",
              autoComplete: "one-time-code",
              required: true,
            }}
          />
          {replacing && <ProofInput value={proof} onChange={setProof} error={confirm.error} />}
          <Button type="submit" disabled={confirm.isPending}>
            {replacing ? "Remplacer" : "Activer"}
          </Button>
        </form>
      )}
    </div>
  );
}
