import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";

/**
 * The direction's home (ADR 0038): agents who stand in the pool of a permanence in force or to come
 * without a recorded France services training, until the direction records it (or changes the
 * permanence).
 */
export function UntrainedInPools({ structureId }: { structureId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["structure", structureId, "untrainedInPools"],
    queryFn: () => call(structuresRoutes.untrainedInPools, { params: { structureId } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  const agents = query.data?.agents ?? [];
  if (agents.length === 0) return null;
  return (
    <Alert
      severity="warning"
      as="h2"
      className="fr-mb-4w"
      title="Conseillers non formés dans un pool de permanence"
      description={
        <>
          <p>
            Le label France services demande des conseillers formés. Ces agents tiennent des permanences sans
            formation France services enregistrée :
          </p>
          <ul>
            {agents.map((a) => (
              <li key={a.userId}>
                <strong>{a.displayName}</strong> : {a.permanences.join(" ; ")}
              </li>
            ))}
          </ul>
          <p>
            <Link to="/agents">Enregistrer leur formation dans « Agents de la structure »</Link> ou{" "}
            <Link to="/permanences">modifier les permanences</Link>.
          </p>
        </>
      }
    />
  );
}
