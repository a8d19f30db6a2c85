import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { frenchList } from "../../../common/frenchList";
import { ofName } from "../../../common/placeName";
import { type Role, roleLabels } from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { membershipBodySchema, type StructureUser } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useStepFocus } from "../../components/useStepFocus";

const rolesLabels = { roles: "Rôles dans la structure" } as const;

/**
 * Replaces the agent's roles in this structure (their other structures do not change). Only the
 * roles the viewer may grant are offered; removing a role takes an access away, so it is confirmed.
 */
export function EditRolesForm({
  structureId,
  user,
  grantable,
  onClose,
}: {
  structureId: string;
  user: StructureUser;
  grantable: Role[];
  onClose: () => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<Role[]>(user.roles);
  const [confirming, setConfirming] = useState(false);
  const removed = user.roles.filter((r) => !chosen.includes(r));
  // The question replaces "Enregistrer les rôles", and Échap brings it back with the focus
  // (useStepFocus; in the agent's row, a second Échap closes the form).
  const step = useStepFocus(confirming, confirming ? () => setConfirming(false) : undefined);
  /** A role ticked or unticked, or the server's refusal shown: the question goes, the focus stays. */
  const leave = () => {
    if (!confirming) return;
    step.quiet();
    setConfirming(false);
  };
  const errors = useFormErrors(`roles-${user.id}`, rolesLabels, { "user.roleNotGrantable": "roles" });
  const save = useMutation({
    mutationFn: () =>
      call(structuresRoutes.changeMembership, {
        params: { structureId, userId: user.id },
        // Without a service, the agent keeps the one they have in the structure.
        body: { roles: chosen },
      }),
    onError: (error) => {
      leave();
      errors.showApiError(error);
    },
    onSuccess: async () => {
      onClose();
      await queryClient.invalidateQueries({ queryKey: ["structure", structureId, "users"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (removed.length > 0 && !confirming) {
      setConfirming(true);
      return;
    }
    if (errors.check(membershipBodySchema, { roles: chosen })) save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label={`Rôles ${ofName(user.displayName)}`} noValidate>
      {errors.summary}
      <Checkbox
        small
        legend={`Rôles ${ofName(user.displayName)} dans la structure`}
        {...errors.state("roles")}
        id={errors.native("roles").id}
        options={grantable.map((role) => ({
          label: roleLabels[role],
          nativeInputProps: {
            checked: chosen.includes(role),
            onChange: (e) => {
              leave();
              setChosen(e.target.checked ? [...chosen, role] : chosen.filter((r) => r !== role));
            },
          },
        }))}
      />
      <div ref={step.box}>
        {confirming && (
          <p className="fr-text--sm fr-mb-1w" role="alert">
            {`Retirer ${frenchList(removed.map((r) => roleLabels[r]))} à ${user.displayName} ? Cet agent perd les accès de ce rôle dans la structure dès sa prochaine action.`}
          </p>
        )}
        <Button size="small" type="submit" disabled={save.isPending} className="fr-mr-1w">
          {confirming ? "Confirmer le retrait" : "Enregistrer les rôles"}
        </Button>
        <Button size="small" priority="tertiary" type="button" onClick={onClose}>
          Annuler
        </Button>
      </div>
    </form>
  );
}
