import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import { type ActionDetail, actionKindLabels, isSeriesKind } from "../../../common/actions/actions.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatDateTime, formatShortDateTime, formatTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useStepFocus } from "../../components/useStepFocus";
import { placesText } from "../../components/wording";
import { ConvocationTable } from "../agenda/ConvocationTable";
import { ActionDocuments } from "./ActionDocuments";
import { StatusBadge } from "./ActionsPage";
import { ConvokeForm } from "./ConvokeForm";
import { InvitationAnswersHint } from "./InvitationAnswersHint";
import { InviteForm } from "./InviteForm";
import { OutcomesForm } from "./OutcomesForm";
import { WorkingGroupSection } from "./WorkingGroupSection";

const answerText = { yes: "Participe", no: "Ne participe pas" } as const;

function CancelAction({ action }: { action: ActionDetail }): ReactNode {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  // The button gives way to the question, and back ("Ne pas annuler", Échap): the focus follows.
  const step = useStepFocus(asking, asking ? () => setAsking(false) : undefined);
  const cancel = useMutation({
    mutationFn: () => call(actionsRoutes.cancel, { params: { actionId: action.id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["convocations", "action", action.id] }),
  });
  if (!asking)
    return (
      <div ref={step.box}>
        <Button priority="tertiary" onClick={step.opens(() => setAsking(true))}>
          Annuler l'action
        </Button>
      </div>
    );
  return (
    <div ref={step.box}>
      <Alert
        severity="warning"
        title="Annuler cette action ?"
        description={
          <>
            <p>
              Les partenaires invités recevront une annulation et les convocations prévues seront annulées
              (les personnes prévenues recevront un message). Cette annulation est définitive.
            </p>
            {action.cofunders.length > 0 && (
              <p>
                Cofinanceurs : {action.cofunders.map((c) => c.name).join(", ")}. Les financements rattachés à
                cette action restent enregistrés et comptés comme reçus, marqués « action annulée » sur la
                page des conventions ; s'ils sont restitués, la direction les supprime ou les corrige.
              </p>
            )}
            <ErrorAlert error={cancel.error} />
            <ul className="fr-btns-group fr-btns-group--inline-md">
              <li>
                <Button onClick={() => cancel.mutate()} disabled={cancel.isPending}>
                  Confirmer l'annulation
                </Button>
              </li>
              <li>
                <Button priority="secondary" onClick={() => setAsking(false)}>
                  Ne pas annuler
                </Button>
              </li>
            </ul>
          </>
        }
      />
    </div>
  );
}

/** One collective action: invitations and answers, people convoked (as the agent may see them), outcomes. */
export function ActionPage(): ReactNode {
  const { actionId = "" } = useParams();
  const query = useQuery({
    queryKey: ["convocations", "action", actionId],
    queryFn: () => call(actionsRoutes.get, { params: { actionId } }),
  });
  usePageTitle(query.data ? query.data.title : "Action collective");
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const a = query.data;
  const started = new Date(a.startsAt) <= new Date();
  // A working group or the steering committee invites its members to each meeting and convokes
  // nobody: no generic sections.
  const group = isSeriesKind(a.kind);
  return (
    <>
      <p>
        <Link to="/actions" className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
          Toutes les actions collectives
        </Link>
      </p>
      <h1>{a.title}</h1>
      <p>
        {actionKindLabels[a.kind]} <StatusBadge status={a.status} />
      </p>
      <ul>
        <li>
          Date : {formatDateTime(a.startsAt)} – fin à {formatTime(a.endsAt)}
        </li>
        <li>Lieu : {a.place}</li>
        {!group && <li>Places : {placesText(a.convoked, a.capacity)}</li>}
        {a.organisers.length > 0 && <li>Organisation : {a.organisers.map((o) => o.name).join(", ")}</li>}
        {a.host && <li>Locaux prêtés par : {a.host.name}</li>}
        {a.cofunders.length > 0 && <li>Cofinanceurs : {a.cofunders.map((c) => c.name).join(", ")}</li>}
        {a.theme && <li>Thème : {a.theme}</li>}
      </ul>
      {a.description && <p>{a.description}</p>}
      {a.permissions.edit && (
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Link className="fr-btn fr-btn--secondary" to={`/actions/${a.id}/modifier`}>
              Modifier
            </Link>
          </li>
          {!started && a.status === "planned" && (
            <li>
              <CancelAction action={a} />
            </li>
          )}
        </ul>
      )}

      {isSeriesKind(a.kind) && <WorkingGroupSection actionId={a.id} kind={a.kind} />}

      <section className="fr-mb-6w">
        <h2>{group ? "Membres invités à cette réunion" : "Partenaires invités"}</h2>
        {a.invitations.length === 0 ? (
          <p>
            {group
              ? "Aucun membre invité à cette réunion : les membres du groupe sont invités à chaque réunion planifiée après leur ajout."
              : "Aucun partenaire invité pour l'instant."}
          </p>
        ) : (
          <>
            <InvitationAnswersHint />
            <ScrollableTable
              stacked
              caption={
                group
                  ? "Membres invités à cette réunion et leurs réponses"
                  : "Partenaires invités et leurs réponses"
              }
              headers={["Contact", "Organisation", "Réponse", "Présence"]}
              data={a.invitations.map((i) => [
                <span key="name">
                  {i.name} ({i.email}){" "}
                  {i.notWritten && (
                    <Badge small severity="warning" noIcon>
                      Plus prévenu·e par courriel
                    </Badge>
                  )}
                </span>,
                i.organisation || "—",
                i.answer
                  ? `${answerText[i.answer]} (${formatShortDateTime(i.answeredAt ?? a.startsAt)})`
                  : "Pas de réponse",
                i.present === null ? "—" : i.present ? "Présent" : "Absent",
              ])}
            />
          </>
        )}
        {a.permissions.invite && <InviteForm action={a} />}
      </section>

      {/* A working group convokes nobody; one convoked before this rule stays listed, to be cancelled. */}
      {(!group || a.convocations.length > 0) && (
        <section className="fr-mb-6w">
          <h2>Personnes convoquées</h2>
          <ConvocationTable
            convocations={a.convocations}
            caption="Personnes convoquées à l'action"
            emptyText={
              a.seesAllConvoked
                ? "Aucune personne convoquée à cette action."
                : "Aucune des personnes que vous suivez ou avez convoquées n'est convoquée à cette action."
            }
            headingLevel="h3"
          />
          {a.permissions.convoke && <ConvokeForm action={a} />}
        </section>
      )}

      {a.permissions.recordOutcomes && started && <OutcomesForm action={a} />}
      {(!a.permissions.recordOutcomes || !started) &&
        Object.keys(a.outcomes).length + a.minutes.length > 0 && (
          <section className="fr-mb-6w">
            <h2>Bilan</h2>
            {a.minutes && <p>{a.minutes}</p>}
          </section>
        )}
      <ActionDocuments action={a} />
    </>
  );
}
