import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import { actionKindLabels, actionStatusLabels } from "../../../common/actions/actions.schema";
import { call } from "../../api/client";
import { formatShortDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { InvitationAnswersHint } from "./InvitationAnswersHint";

const answerText = { yes: "Participe", no: "Ne participe pas" } as const;

/** The partner referent's home: the actions their organisation's contacts are invited to (their own answers only). */
export function PartnerActions(): ReactNode {
  const query = useQuery({
    queryKey: ["partner", "actions"],
    queryFn: () => call(actionsRoutes.partnerActions),
  });
  return (
    <section className="fr-mb-6w">
      <h2>Actions collectives où votre organisation est invitée</h2>
      <ErrorAlert error={query.error} />
      {query.data && query.data.actions.length === 0 && (
        <p>Aucune invitation à une action collective à venir.</p>
      )}
      {query.data && query.data.actions.length > 0 && <InvitationAnswersHint />}
      {query.data && query.data.actions.length > 0 && (
        <ScrollableTable
          stacked
          caption="Invitations à venir"
          headers={["Date", "Action", "Lieu", "Vos invités et leurs réponses"]}
          data={query.data.actions.map((a) => [
            formatShortDateTime(a.startsAt),
            `${a.title} (${actionKindLabels[a.kind]}${a.status === "cancelled" ? `, ${actionStatusLabels.cancelled.toLowerCase()}` : ""})`,
            a.place,
            a.invitees
              .map((i) => `${i.name} : ${i.answer ? answerText[i.answer] : "Pas de réponse"}`)
              .join(" ; "),
          ])}
        />
      )}
    </section>
  );
}
