import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { atPlace } from "../../../common/placeName";
import { roleLabels } from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import type { StructureUser } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { CreateUserForm } from "./CreateUserForm";
import { mayHoldPermanences, UserActions } from "./UserActions";

function Status({ user }: { user: StructureUser }): ReactNode {
  return (
    <>
      {!user.activeInStructure ? (
        <Badge severity="warning" small>
          Désactivé dans la structure
        </Badge>
      ) : user.invitationPending ? (
        <Badge severity="info" small>
          {user.invitationEmailed ? "Invitation envoyée" : "En attente d'activation (aucun courriel envoyé)"}
        </Badge>
      ) : (
        <Badge severity="success" small>
          Actif
        </Badge>
      )}
      {user.accountDisabled && (
        <Badge severity="error" small className="fr-ml-1v">
          Compte désactivé (toutes structures)
        </Badge>
      )}
    </>
  );
}

/**
 * The day of the agent's France services training and who gave it; for an agent who may hold
 * permanences (a counselor, a CPIP) without one, a badge; "—" for the others (ADR 0038).
 */
function Training({ user }: { user: StructureUser }): ReactNode {
  if (!user.training && !mayHoldPermanences(user)) return "—";
  if (!user.training)
    return (
      <Badge severity="warning" small noIcon>
        Non enregistrée
      </Badge>
    );
  return (
    <>
      Le {formatDate(user.training.trainedOn)}
      {user.training.organisation && (
        <>
          <br />
          <span className="fr-text--sm">{user.training.organisation}</span>
        </>
      )}
    </>
  );
}

export function UsersPage(): ReactNode {
  usePageTitle("Agents de la structure");
  const { structureId, structureName, session } = useSession();
  const platformAdmin = session?.memberships.some((m) => m.role === "admin") ?? false;
  const query = useQuery({
    queryKey: ["structure", structureId, "users"],
    queryFn: () => call(structuresRoutes.users, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  return (
    <>
      <h1>Agents de la structure</h1>
      <p>
        Vous gérez les accès {structureName ? atPlace(structureName) : "à votre structure"} seulement :
        désactiver un agent ici ne change rien à ses autres structures.
        {platformAdmin && " En tant qu'administrateur, vous pouvez aussi désactiver un compte partout."}
      </p>
      <p>
        Enregistrez ici la formation initiale France services de chaque conseiller ou conseillère. Un agent
        dont la formation n'est pas enregistrée peut tout de même tenir une permanence : votre page d'accueil
        le rappelle jusqu'à ce qu'elle le soit.
      </p>
      <ErrorAlert error={query.error} />
      {query.data && query.data.users.length === 0 && <p>Aucun agent.</p>}
      {query.data && structureId && query.data.users.length > 0 && (
        <ScrollableTable
          stacked
          caption="Agents"
          noCaption
          headers={[
            "Nom",
            "Adresse électronique",
            "Rôles dans la structure",
            "Service",
            "Formation France services",
            "Double authentification",
            "État",
            "Actions",
          ]}
          data={query.data.users.map((u) => [
            u.displayName,
            u.email,
            u.roles.map((r) => roleLabels[r]).join(", "),
            u.serviceName ?? "—",
            <Training key="t" user={u} />,
            u.invitationPending ? "—" : u.totpEnabled ? "Activée" : "Non activée",
            <Status key="s" user={u} />,
            <UserActions
              key="a"
              structureId={structureId}
              user={u}
              self={u.id === session?.user.id}
              grantable={query.data.grantableRoles}
            />,
          ])}
        />
      )}
      {structureId && query.data && (
        <CreateUserForm structureId={structureId} grantable={query.data.grantableRoles} />
      )}
    </>
  );
}
