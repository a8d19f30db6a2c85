import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { ofName } from "../../../common/placeName";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import type { StructureUser } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useStepFocus } from "../../components/useStepFocus";

/**
 * "Réinitialiser le mot de passe": after a confirmation, a temporary password shown once, to hand
 * to the agent; they must choose their own at the next sign-in (the second factor is still asked).
 */
export function ResetPasswordAction({
  structureId,
  user,
}: {
  structureId: string;
  user: StructureUser;
}): ReactNode {
  const [confirming, setConfirming] = useState(false);
  // One request per confirmation (`useMutation` sends a call once): a double click sent two, and each
  // gave a new password, the one shown possibly replaced by the other.
  const reset = useMutation({
    mutationFn: () => call(structuresRoutes.resetPassword, { params: { structureId, userId: user.id } }),
  });
  const confirm = () => reset.mutate();
  // The button gives way to the confirmation, and back: the focus follows.
  const step = useStepFocus(confirming, confirming ? () => setConfirming(false) : undefined);
  // The password shown takes the focus: the confirmation it replaces held it (else left on the body).
  // A plain focus, not `useFocusWhenShown`: its scroll to the top of the window would take the row's
  // agent name (the title above this cell where the rows stack) out of view; this one leaves the page
  // where it is (the alert takes the place of the confirmation the agent just clicked in).
  const shown = useRef<HTMLDivElement>(null);
  const temporaryPassword = reset.data?.temporaryPassword;
  useEffect(() => {
    if (temporaryPassword) shown.current?.focus();
  }, [temporaryPassword]);
  if (reset.data)
    return (
      <div ref={shown} tabIndex={-1}>
        <Alert
          severity="info"
          small
          className="fr-mb-1w"
          description={
            <>
              Mot de passe provisoire {ofName(user.displayName)}, affiché une seule fois :{" "}
              <code data-testid="temporary-password">{reset.data.temporaryPassword}</code>. Transmettez-le à
              l'agent de vive voix ou par téléphone ; il devra en choisir un autre à sa prochaine connexion.
              Ses sessions ouvertes ont été fermées.
            </>
          }
        />
      </div>
    );
  if (!confirming)
    return (
      <div ref={step.box}>
        <Button size="small" priority="tertiary" onClick={step.opens(() => setConfirming(true))}>
          Réinitialiser le mot de passe<span className="fr-sr-only"> : {user.displayName}</span>
        </Button>
      </div>
    );
  return (
    <div role="alert" ref={step.box}>
      <p className="fr-text--sm fr-mb-1w">
        Donner un mot de passe provisoire à {user.displayName} ? Son mot de passe actuel ne vaudra plus et ses
        sessions seront fermées.
      </p>
      <ErrorAlert error={reset.error} />
      <Button size="small" onClick={confirm} disabled={reset.isPending} className="fr-mr-1w fr-mb-1w">
        Confirmer la réinitialisation
      </Button>
      <Button size="small" priority="tertiary" onClick={() => setConfirming(false)}>
        Annuler
      </Button>
    </div>
  );
}
