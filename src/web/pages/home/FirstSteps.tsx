import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { firstSteps } from "./firstSteps";

/**
 * The direction's home, on a structure not ready yet (just set up by `npm run setup`): the steps
 * before a CPIP can convoke, each with its state and the page that does it; gone once all are done.
 * Same queries (and cache) as the agents' and the permanences' pages.
 */
export function FirstSteps({ structureId }: { structureId: string }): ReactNode {
  const users = useQuery({
    queryKey: ["structure", structureId, "users"],
    queryFn: () => call(structuresRoutes.users, { params: { structureId } }),
  });
  const openings = useQuery({
    queryKey: ["openings", structureId],
    queryFn: () => call(agendaRoutes.openings, { params: { structureId } }),
  });
  if (users.error || openings.error) return <ErrorAlert error={users.error ?? openings.error} />;
  if (!users.data || !openings.data) return null;
  const steps = firstSteps(users.data.users, openings.data);
  if (steps.every((s) => s.done)) return null;
  return (
    <CallOut title="Premiers pas" titleAs="h2" bodyAs="div" className="fr-mb-4w">
      <p className="fr-mb-1w">
        Avant qu'un CPIP puisse convoquer une personne, la structure doit être prête :
      </p>
      {/* The list at the size of the sentences around it, not the callout's larger text. */}
      <ol className="fr-text--md">
        {steps.map((s) => (
          <li key={s.key} className="fr-mb-1w">
            <Badge small noIcon severity={s.done ? "success" : "new"} className="fr-mr-1w">
              {s.done ? "Fait" : "À faire"}
            </Badge>
            <Link to={s.to}>{s.title}</Link> : {s.what}
            {s.missing && <p className="fr-text--sm fr-mb-0">{s.missing}</p>}
          </li>
        ))}
      </ol>
      <p className="fr-text--sm fr-mb-0">Ce rappel disparaît une fois les trois étapes faites.</p>
    </CallOut>
  );
}
