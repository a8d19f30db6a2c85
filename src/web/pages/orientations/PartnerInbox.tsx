import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { needDomainLabels } from "../../../common/agenda/agenda.schema";
import { orientationsRoutes } from "../../../common/orientations/orientations.routes";
import {
  type InboxItem,
  orientationStatusLabels,
  orientationTargetLabels,
} from "../../../common/orientations/orientations.schema";
import { call } from "../../api/client";
import { formatDate, formatDateTime, formatPhone } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { orientationSeverity } from "./OrientationsSection";

function Answer({ item }: { item: InboxItem }): ReactNode {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [show, setShow] = useState(false);
  const [outcome, setOutcome] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["inbox"] });
  const answer = useMutation({
    mutationFn: (decision: "accept" | "refuse") =>
      call(orientationsRoutes.answer, {
        params: { orientationId: item.id },
        body: { decision, reason, showReasonToPerson: show },
      }),
    onSuccess: refresh,
  });
  const complete = useMutation({
    mutationFn: () =>
      call(orientationsRoutes.complete, { params: { orientationId: item.id }, body: { outcome } }),
    onSuccess: refresh,
  });
  if (item.status === "sent") {
    return (
      <div>
        <Button size="small" onClick={() => answer.mutate("accept")} className="fr-mb-1w">
          Accepter
        </Button>
        <Input
          label="Raison d'un refus"
          nativeInputProps={{ value: reason, maxLength: 500, onChange: (e) => setReason(e.target.value) }}
        />
        <Checkbox
          small
          options={[
            {
              label: "La raison peut être dite à la personne",
              nativeInputProps: { checked: show, onChange: (e) => setShow(e.target.checked) },
            },
          ]}
        />
        <Button size="small" priority="secondary" onClick={() => answer.mutate("refuse")}>
          Refuser
        </Button>
        <ErrorAlert error={answer.error} />
      </div>
    );
  }
  if (item.status === "accepted") {
    return (
      <div>
        <Input
          label="Résultat"
          nativeInputProps={{ value: outcome, maxLength: 1000, onChange: (e) => setOutcome(e.target.value) }}
        />
        <Button size="small" onClick={() => complete.mutate()}>
          Indiquer le résultat
        </Button>
        <ErrorAlert error={complete.error} />
      </div>
    );
  }
  return null;
}

const OPEN_STATUSES: readonly InboxItem["status"][] = ["sent", "accepted"];
/** Closed: answered for good, expired, cancelled, or the person withdrew their consent. */
const isClosed = (item: InboxItem): boolean => item.person === null || !OPEN_STATUSES.includes(item.status);

function InboxCard({ item: o }: { item: InboxItem }): ReactNode {
  const who = o.person
    ? `${o.person.lastName.toUpperCase()} ${o.person.firstName}`
    : "Personne non communiquée";
  return (
    <article className="fr-card fr-p-3w fr-mb-3w" aria-label={`Orientation : ${who}`}>
      <h4 className="fr-h6 fr-mb-1w">
        {who}{" "}
        <Badge small noIcon severity={orientationSeverity[o.status]}>
          {orientationStatusLabels[o.status]}
        </Badge>
      </h4>
      {o.person ? (
        <p className="fr-text--sm fr-mb-1w">
          Né·e le {formatDate(o.person.birthDate)} — dossier n° {o.person.fileNumber} de {o.structureName}
        </p>
      ) : (
        <p className="fr-text--sm fr-mb-1w">
          La personne a retiré son consentement au partage : son identité n'est plus communiquée.
        </p>
      )}
      <p className="fr-text--sm fr-mb-1w">
        {orientationTargetLabels[o.target]} — de {o.structureName}, envoyée le {formatDateTime(o.sentAt)}
        {o.status === "sent" && <>, réponse attendue avant le {formatDateTime(o.expiresAt)}</>}
      </p>
      <p className="fr-mb-1w">{o.reason}</p>
      {o.demarcheLabel && <p className="fr-text--sm fr-mb-1w">Démarche : {o.demarcheLabel}</p>}
      {o.sharedNeeds.length > 0 && (
        <p className="fr-text--sm fr-mb-1w">
          Besoins partagés : {o.sharedNeeds.map((d) => needDomainLabels[d]).join(", ")}
        </p>
      )}
      {o.person && (o.person.phone || o.person.email) && (
        <p className="fr-text--sm fr-mb-1w">
          Contact :{" "}
          {[o.person.phone && formatPhone(o.person.phone), o.person.email].filter(Boolean).join(", ")}
        </p>
      )}
      {o.outcome && <p className="fr-text--sm">Résultat : {o.outcome}</p>}
      {o.person && <Answer item={o} />}
    </article>
  );
}

/** The partner referent's home: what was addressed to their organisation, and their answers. */
export function PartnerInbox(): ReactNode {
  const query = useQuery({ queryKey: ["inbox"], queryFn: () => call(orientationsRoutes.inbox) });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const open = query.data.orientations.filter((o) => !isClosed(o));
  const closed = query.data.orientations.filter(isClosed);
  return (
    <section className="fr-mb-6w">
      <h2>Orientations adressées à votre organisation</h2>
      <h3>En cours ({open.length})</h3>
      {open.length === 0 && <p>Aucune orientation en cours.</p>}
      {open.map((o) => (
        <InboxCard key={o.id} item={o} />
      ))}
      <h3>Clôturées ({closed.length})</h3>
      {closed.length === 0 && <p>Aucune orientation clôturée.</p>}
      {closed.map((o) => (
        <InboxCard key={o.id} item={o} />
      ))}
    </section>
  );
}
