import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { roleLabels } from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import type { StructureUser } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { CreateUserForm } from "./CreateUserForm";

function UserActions({
  structureId,
  user,
  self,
}: {
  structureId: string;
  user: StructureUser;
  self: boolean;
}): ReactNode {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const toggle = useMutation({
    mutationFn: () =>
      call(user.disabled ? structuresRoutes.enableUser : structuresRoutes.disableUser, {
        params: { structureId, userId: user.id },
      }),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ["structure", structureId, "users"] });
    },
  });
  if (self) return <span className="fr-text--sm">Votre compte</span>;
  if (user.disabled) {
    return (
      <Button size="small" priority="secondary" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
        Réactiver
      </Button>
    );
  }
  if (!confirming) {
    return (
      <Button size="small" priority="secondary" onClick={() => setConfirming(true)}>
        Désactiver
      </Button>
    );
  }
  return (
    <div role="alert">
      <p className="fr-text--sm fr-mb-1w">
        Désactiver {user.displayName} ? Ses sessions seront fermées immédiatement.
      </p>
      <ErrorAlert error={toggle.error} />
      <Button size="small" onClick={() => toggle.mutate()} disabled={toggle.isPending} className="fr-mr-1w">
        Confirmer la désactivation
      </Button>
      <Button size="small" priority="tertiary" onClick={() => setConfirming(false)}>
        Annuler
      </Button>
    </div>
  );
}

export function UsersPage(): ReactNode {
  const { structureId, session, roles } = useSession();
  const query = useQuery({
    queryKey: ["structure", structureId, "users"],
    queryFn: () => call(structuresRoutes.users, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  return (
    <>
      <h1>Agents de la structure</h1>
      <ErrorAlert error={query.error} />
      {query.data && query.data.users.length === 0 && <p>Aucun agent.</p>}
      {query.data && structureId && query.data.users.length > 0 && (
        <Table
          caption="Agents"
          noCaption
          headers={[
            "Nom",
            "Adresse électronique",
            "Rôles",
            "Service",
            "Double authentification",
            "État",
            "Action",
          ]}
          data={query.data.users.map((u) => [
            u.displayName,
            u.email,
            u.roles.map((r) => roleLabels[r]).join(", "),
            u.serviceName ?? "—",
            u.totpEnabled ? "Activée" : "Non activée",
            u.disabled ? (
              <Badge key="s" severity="error">
                Désactivé
              </Badge>
            ) : (
              <Badge key="s" severity="success">
                Actif
              </Badge>
            ),
            <UserActions key="a" structureId={structureId} user={u} self={u.id === session?.user.id} />,
          ])}
        />
      )}
      {structureId && <CreateUserForm structureId={structureId} isAdmin={roles.includes("admin")} />}
    </>
  );
}
