import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { type Role, roleLabels } from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { createUserBodySchema } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { SuccessNotice } from "../../components/SuccessNotice";

const createUserLabels = {
  displayName: "Prénom et nom",
  email: "Adresse électronique professionnelle",
  roles: "Rôles dans la structure",
  serviceId: "Service employeur",
} as const;

/**
 * Gives roles in the structure to an e-mail address. The answer does not say whether the address
 * already had an account: a new one receives an activation e-mail, an existing one a notice.
 */
export function CreateUserForm({
  structureId,
  grantable,
}: {
  structureId: string;
  grantable: Role[];
}): ReactNode {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [chosen, setChosen] = useState<Role[]>([]);
  const [serviceId, setServiceId] = useState("");
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId } }),
  });
  const errors = useFormErrors("create-user", createUserLabels);
  const body = () => ({ email, displayName, roles: chosen, serviceId: serviceId || null });
  // Clicked twice, the form sends once (`useMutation`): a second request sent a second activation
  // e-mail, whose link replaced the first one's.
  const create = useMutation({
    mutationFn: () => call(structuresRoutes.createUser, { params: { structureId }, body: body() }),
    onSuccess: async () => {
      setEmail("");
      setDisplayName("");
      setChosen([]);
      setServiceId("");
      await queryClient.invalidateQueries({ queryKey: ["structure", structureId, "users"] });
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(createUserBodySchema, body())) create.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Ajouter un agent" className="fr-mt-6w" noValidate>
      <h2>Ajouter un agent</h2>
      <p>
        L'agent reçoit un courriel : s'il n'a pas encore de compte Passerelle, un lien d'activation (valable
        72 heures) pour choisir son mot de passe ; sinon, un message lui indiquant qu'il a été ajouté à la
        structure. Aucun mot de passe ne vous est communiqué.
      </p>
      {/* The submit button, disabled while saving, dropped the focus: the notice takes it. */}
      {create.data && (
        <SuccessNotice
          className="fr-mb-3w"
          message="Agent enregistré. Un courriel a été envoyé à l'agent (lien d'activation s'il n'avait pas encore de compte). Il apparaît dans la liste ci-dessus."
        />
      )}
      {errors.summary}
      <Input
        label="Prénom et nom"
        {...errors.state("displayName")}
        nativeInputProps={{
          ...errors.native("displayName"),
          autoComplete: "off",
          value: displayName,
          required: true,
          onChange: (e) => setDisplayName(e.target.value),
        }}
      />
      <Input
        label="Adresse électronique professionnelle"
        {...errors.state("email")}
        nativeInputProps={{
          ...errors.native("email"),
          type: "email",
          value: email,
          required: true,
          onChange: (e) => setEmail(e.target.value),
        }}
      />
      <Checkbox
        legend="Rôles dans la structure"
        {...errors.state("roles")}
        id={errors.native("roles").id}
        options={grantable.map((role) => ({
          label: roleLabels[role],
          nativeInputProps: {
            checked: chosen.includes(role),
            onChange: (e) =>
              setChosen(e.target.checked ? [...chosen, role] : chosen.filter((r) => r !== role)),
          },
        }))}
      />
      <Select
        label="Service employeur"
        {...errors.state("serviceId")}
        nativeSelectProps={{
          ...errors.native("serviceId"),
          value: serviceId,
          onChange: (e) => setServiceId(e.target.value),
        }}
      >
        <option value="">Aucun (pilotage, partenaire, administration)</option>
        {overview.data?.services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      <Button type="submit" disabled={create.isPending}>
        Enregistrer l'agent
      </Button>
    </form>
  );
}
