import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { type ConvocationView, convocationStatusLabels } from "../../../common/agenda/agenda.schema";
import { attendanceTooEarly } from "../../../common/agenda/attendance";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatAppointment } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";

/**
 * Why the visit cannot be recorded yet, said before any field (the server refuses the same): a
 * convocation that has started, or whose person is noted arrived on its day, is marked honoured here
 * in one click when the agent may; a future one waits; a missed or cancelled one has no visit; a recorded visit is not recorded twice.
 */
export function VisitNotReady({
  convocation,
  now = new Date(),
}: {
  convocation: ConvocationView | undefined;
  now?: Date;
}): ReactNode {
  const queryClient = useQueryClient();
  const honour = useMutation({
    mutationFn: (c: ConvocationView) =>
      call(agendaRoutes.setStatus, { params: { convocationId: c.id }, body: { status: "honoured" } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["convocations"] });
      await queryClient.invalidateQueries({ queryKey: ["home"] });
    },
  });
  const back = convocation ? (
    <Link to={`/personnes/${convocation.personId}?onglet=convocations`}>Revenir aux convocations</Link>
  ) : null;
  if (!convocation)
    return (
      <Alert
        as="h2"
        severity="warning"
        title="Convocation introuvable"
        description="Cette convocation n'existe pas ou n'est pas dans votre agenda : la visite se saisit depuis la liste des convocations de la personne."
        className="fr-mb-3w"
      />
    );
  const when = formatAppointment(convocation.startsAt);
  const timing = {
    startsAt: new Date(convocation.startsAt),
    arrivedAt: convocation.arrivedAt ? new Date(convocation.arrivedAt) : null,
  };
  if (convocation.status === "planned" && attendanceTooEarly("honoured", timing, now))
    return (
      <Alert
        as="h2"
        severity="info"
        title="Cette convocation n'a pas encore eu lieu"
        description={
          <>
            Elle est prévue le {when}. La visite se saisit une fois la personne venue : marquez alors la
            convocation comme honorée, puis saisissez la visite. {back}
          </>
        }
        className="fr-mb-3w"
      />
    );
  if (convocation.status === "planned")
    return (
      <Alert
        as="h2"
        severity="info"
        title="Marquez d'abord la convocation comme honorée"
        description={
          <>
            <p>
              La convocation du {when} est encore « prévue ». Si la personne est venue, marquez-la comme
              honorée : le formulaire de la visite s'affichera ici.
            </p>
            <ErrorAlert error={honour.error} title="Statut non enregistré" />
            {convocation.permissions.setStatus ? (
              <Button
                className="fr-mt-2w"
                onClick={() => honour.mutate(convocation)}
                disabled={honour.isPending}
              >
                La personne est venue : marquer comme honorée
              </Button>
            ) : (
              <p>
                Votre rôle ne permet pas de changer son statut : demandez-le au CPIP référent ou au conseiller
                de la permanence. {back}
              </p>
            )}
          </>
        }
        className="fr-mb-3w"
      />
    );
  if (convocation.status === "honoured")
    return (
      <Alert
        as="h2"
        severity="info"
        title={convocation.hasVisit ? "La visite est déjà saisie" : "Visite non modifiable ici"}
        description={
          <>
            {convocation.hasVisit
              ? "Le compte rendu de cette visite est enregistré : il figure dans le dossier de la personne."
              : "Votre rôle ne permet pas de saisir la visite de cette convocation."}{" "}
            {back}
          </>
        }
        className="fr-mb-3w"
      />
    );
  return (
    <Alert
      as="h2"
      severity="info"
      title="Pas de visite pour cette convocation"
      description={
        <>
          Son statut est « {convocationStatusLabels[convocation.status]} » : la personne n'a pas été reçue ce
          jour-là. {back}
        </>
      }
      className="fr-mb-3w"
    />
  );
}
