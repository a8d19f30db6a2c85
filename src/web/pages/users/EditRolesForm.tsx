import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { type Role, roleLabels, roles } from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import type { StructureUser } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { ErrorAlert } from "../../components/ErrorAlert";

/** Replaces the agent's roles in this structure (their other structures do not change). */
export function EditRolesForm({
  structureId,
  user,
  onClose,
}: {
  structureId: string;
  user: StructureUser;
  onClose: () => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const { roles: held } = useSession();
  const [chosen, setChosen] = useState<Role[]>(user.roles);
  const save = useMutation({
    mutationFn: () =>
      call(structuresRoutes.changeMembership, {
        params: { structureId, userId: user.id },
        // Without a service, the agent keeps the one they have in the structure.
        body: { roles: chosen },
      }),
    onSuccess: async () => {
      onClose();
      await queryClient.invalidateQueries({ queryKey: ["structure", structureId, "users"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const grantable = roles.filter((r) => held.includes("admin") || r !== "admin");
  return (
    <form onSubmit={submit} aria-label={`Rôles de ${user.displayName}`}>
      <ErrorAlert error={save.error} title="Rôles non modifiés" />
      <Checkbox
        small
        legend={`Rôles de ${user.displayName} dans la structure`}
        options={grantable.map((role) => ({
          label: roleLabels[role],
          nativeInputProps: {
            checked: chosen.includes(role),
            onChange: (e) =>
              setChosen(e.target.checked ? [...chosen, role] : chosen.filter((r) => r !== role)),
          },
        }))}
      />
      <Button size="small" type="submit" disabled={save.isPending} className="fr-mr-1w">
        Enregistrer les rôles
      </Button>
      <Button size="small" priority="tertiary" type="button" onClick={onClose}>
        Annuler
      </Button>
    </form>
  );
}
