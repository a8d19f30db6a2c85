import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { type FormEvent, type ReactNode, useState } from "react";
import { authRoutes } from "../../../common/auth/auth.routes";
import { recoveryCodesBodySchema } from "../../../common/auth/auth.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { RecoveryCodes } from "../../components/RecoveryCodes";
import { TotpEnrolment } from "../auth/TotpEnrolment";
import { ProofInput, proofErrorFields, sessionClosedByProofs } from "./ProofInput";

const proofLabels = { proof: "Mot de passe ou code" } as const;

/** New recovery codes (the old ones stop working), on proof of identity; shown once. */
function RegenerateRecoveryCodes({ onDone }: { onDone: () => void }): ReactNode {
  const [proof, setProof] = useState("");
  const errors = useFormErrors("recovery-codes", proofLabels, proofErrorFields, "Codes non créés");
  const regenerate = useMutation({
    mutationFn: () => call(authRoutes.recoveryCodes, { body: { proof } }),
    onError: (error) => {
      if (!sessionClosedByProofs(error)) errors.showApiError(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(recoveryCodesBodySchema, { proof })) regenerate.mutate();
  };
  if (regenerate.data) {
    return (
      <div>
        <Alert
          severity="success"
          title="Nouveaux codes de secours"
          description="Les anciens codes ne valent plus. Conservez ceux-ci en lieu sûr : ils ne seront plus affichés."
          className="fr-mb-3w"
        />
        <RecoveryCodes codes={regenerate.data.recoveryCodes} />
        <Button onClick={onDone}>J'ai noté mes codes</Button>
      </div>
    );
  }
  return (
    <form onSubmit={submit} aria-label="Créer de nouveaux codes de secours" noValidate>
      {errors.summary}
      <ProofInput
        value={proof}
        onChange={setProof}
        error={regenerate.error}
        message={errors.message("proof")}
        id={errors.native("proof").id}
      />
      <Button type="submit" disabled={regenerate.isPending}>
        Créer de nouveaux codes de secours
      </Button>
    </form>
  );
}

/** Second factor already on: replace the app, or the recovery codes; both ask for a proof. */
export function SecondFactorSettings({
  recoveryCodesLeft,
  onDone,
}: {
  recoveryCodesLeft: number;
  onDone: () => void;
}): ReactNode {
  const [open, setOpen] = useState<null | "replace" | "codes">(null);
  const done = () => {
    setOpen(null);
    onDone();
  };
  return (
    <>
      <p>
        Activée. Codes de secours restants : {recoveryCodesLeft}. Vous recevez un courriel à chaque
        changement.
      </p>
      {open === null && (
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button priority="secondary" onClick={() => setOpen("replace")}>
              Remplacer mon application d'authentification
            </Button>
          </li>
          <li>
            <Button priority="secondary" onClick={() => setOpen("codes")}>
              Créer de nouveaux codes de secours
            </Button>
          </li>
        </ul>
      )}
      {open === "replace" && <TotpEnrolment replacing onDone={done} />}
      {open === "codes" && <RegenerateRecoveryCodes onDone={done} />}
      {open !== null && (
        <Button priority="tertiary" onClick={() => setOpen(null)} className="fr-mt-2w">
          Annuler
        </Button>
      )}
    </>
  );
}
