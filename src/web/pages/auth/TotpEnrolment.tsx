import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { type FormEvent, type ReactNode, useState } from "react";
import { authRoutes } from "../../../common/auth/auth.routes";
import { totpConfirmBodySchema } from "../../../common/auth/auth.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { RecoveryCodes } from "../../components/RecoveryCodes";
import { ProofInput, proofErrorFields, sessionClosedByProofs } from "../account/ProofInput";

/** The proof is asked (and so in error) only when replacing an app. */
const totpLabels = { code: "Code à 6 chiffres", proof: "Mot de passe ou code actuel" } as const;

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
  const errors = useFormErrors(
    "totp",
    totpLabels,
    { "auth.invalidTotp": "code", ...proofErrorFields },
    "Code refusé",
  );
  const body = () => (replacing ? { code, proof } : { code });
  const confirm = useMutation({
    mutationFn: () => call(authRoutes.totpConfirm, { body: body() }),
    onError: (error) => {
      if (!sessionClosedByProofs(error)) errors.showApiError(error);
    },
  });

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
    if (errors.check(totpConfirmBodySchema, body())) confirm.mutate();
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
        <form onSubmit={submit} aria-label="Activer la double authentification" noValidate>
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
          {errors.summary}
          <Input
            label="Code à 6 chiffres affiché par l'application"
            {...errors.state("code")}
            nativeInputProps={{
              ...errors.native("code"),
              value: code,
              onChange: (e) => setCode(e.target.value),
              inputMode: "numeric",
              autoComplete: "one-time-code",
              required: true,
            }}
          />
          {replacing && (
            <ProofInput
              value={proof}
              onChange={setProof}
              error={confirm.error}
              message={errors.message("proof")}
              id={errors.native("proof").id}
            />
          )}
          <Button type="submit" disabled={confirm.isPending}>
            {replacing ? "Remplacer" : "Activer"}
          </Button>
        </form>
      )}
    </div>
  );
}
