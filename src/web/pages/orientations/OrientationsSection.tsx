import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { accompanimentRoutes } from "../../../common/accompaniment/accompaniment.routes";
import { finalDemarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import { orientationsRoutes } from "../../../common/orientations/orientations.routes";
import {
  iaeEligibilityHint,
  iaeKinds,
  type OrientationStatus,
  type OrientationTarget,
  type OrientationView,
  orientationStatusLabels,
  orientationTargetLabels,
  orientationTargets,
} from "../../../common/orientations/orientations.schema";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { formatDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";

export const orientationSeverity: Record<
  OrientationStatus,
  "info" | "success" | "error" | "warning" | "new"
> = {
  draft: "new",
  sent: "info",
  accepted: "success",
  refused: "error",
  expired: "warning",
  cancelled: "warning",
  completed: "success",
};

function NewOrientationForm({ personId }: { personId: string }): ReactNode {
  const queryClient = useQueryClient();
  const catalogue = useQuery({ queryKey: ["catalogue"], queryFn: () => call(structuresRoutes.catalogue) });
  const accompaniment = useQuery({
    queryKey: ["accompaniment", personId],
    queryFn: () => call(accompanimentRoutes.get, { params: { personId } }),
  });
  const [target, setTarget] = useState<OrientationTarget>("partner_back_office");
  const [partnerId, setPartnerId] = useState("");
  const [iaeKind, setIaeKind] = useState("");
  const [demarcheId, setDemarcheId] = useState("");
  const [reason, setReason] = useState("");
  const [send, setSend] = useState(true);
  const create = useMutation({
    mutationFn: () =>
      call(orientationsRoutes.create, {
        params: { personId },
        body: {
          target,
          partnerId: target === "mediation" ? null : partnerId || null,
          iaeKind: target === "iae_employer" ? iaeKind || null : null,
          demarcheId: demarcheId || null,
          reason,
          send,
        },
      }),
    onSuccess: async () => {
      setReason("");
      await queryClient.invalidateQueries({ queryKey: ["orientations", personId] });
      await queryClient.invalidateQueries({ queryKey: ["accompaniment", personId] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const open = (accompaniment.data?.demarches ?? []).filter((d) => !finalDemarcheStatuses.includes(d.status));
  return (
    <form onSubmit={submit} aria-label="Nouvelle orientation">
      <Select
        label="Vers"
        nativeSelectProps={{ value: target, onChange: (e) => setTarget(e.target.value as OrientationTarget) }}
      >
        {orientationTargets.map((t) => (
          <option key={t} value={t}>
            {orientationTargetLabels[t]}
          </option>
        ))}
      </Select>
      {target !== "mediation" && (
        <Select
          label="Organisation destinataire"
          hint="Elle ne verra que ce que la personne a accepté de partager avec elle."
          nativeSelectProps={{ value: partnerId, onChange: (e) => setPartnerId(e.target.value) }}
        >
          <option value="">Choisir</option>
          {(catalogue.data?.partners ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      )}
      {target === "iae_employer" && (
        <Select
          label="Type de structure IAE"
          hint={iaeEligibilityHint}
          nativeSelectProps={{ value: iaeKind, onChange: (e) => setIaeKind(e.target.value) }}
        >
          <option value="">Choisir</option>
          {iaeKinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </Select>
      )}
      {open.length > 0 && (
        <Select
          label="Démarche concernée (facultatif)"
          nativeSelectProps={{ value: demarcheId, onChange: (e) => setDemarcheId(e.target.value) }}
        >
          <option value="">Aucune</option>
          {open.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </Select>
      )}
      <Input
        label="Ce qui est demandé"
        hintText="N'indiquez ni infraction ni donnée de santé."
        textArea
        nativeTextAreaProps={{
          value: reason,
          maxLength: 1000,
          rows: 3,
          onChange: (e) => setReason(e.target.value),
        }}
      />
      <Checkbox
        options={[
          {
            label: "Envoyer maintenant",
            nativeInputProps: { checked: send, onChange: (e) => setSend(e.target.checked) },
          },
        ]}
      />
      <ErrorAlert error={create.error} title="Orientation non enregistrée" />
      <Button type="submit" disabled={create.isPending}>
        {send ? "Orienter la personne" : "Enregistrer le brouillon"}
      </Button>
    </form>
  );
}

function Actions({ personId, o }: { personId: string; o: OrientationView }): ReactNode {
  const queryClient = useQueryClient();
  const move = useMutation({
    mutationFn: (route: "send" | "cancel") =>
      call(orientationsRoutes[route], { params: { orientationId: o.id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["orientations", personId] }),
  });
  return (
    <>
      {o.permissions.send && (
        <Button size="small" onClick={() => move.mutate("send")} className="fr-mr-1w">
          Envoyer
        </Button>
      )}
      {o.permissions.cancel && (
        <Button size="small" priority="tertiary" onClick={() => move.mutate("cancel")}>
          Annuler
        </Button>
      )}
      <ErrorAlert error={move.error} />
    </>
  );
}

/** Referrals and escalations of a person, with the partners' answers. */
export function OrientationsSection({ personId }: { personId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["orientations", personId],
    queryFn: () => call(orientationsRoutes.ofPerson, { params: { personId } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return null;
  const { orientations, permissions } = query.data;
  return (
    <>
      <h2>Orientations et sollicitations</h2>
      {orientations.length === 0 ? (
        <p>Aucune orientation.</p>
      ) : (
        <ScrollableTable
          caption="Orientations de la personne"
          headers={["Vers", "Demande", "Statut", "Réponse", ...(permissions.create ? ["Actions"] : [])]}
          data={orientations.map((o) => [
            <span key="to">
              {o.partnerName ?? orientationTargetLabels[o.target]}
              {o.iaeKind ? ` (${o.iaeKind})` : ""}
              <br />
              <span className="fr-text--xs">{orientationTargetLabels[o.target]}</span>
            </span>,
            <span key="reason">
              {o.reason}
              {o.demarcheLabel && (
                <>
                  <br />
                  <span className="fr-text--xs">Démarche : {o.demarcheLabel}</span>
                </>
              )}
            </span>,
            <Badge key="status" small noIcon severity={orientationSeverity[o.status]}>
              {orientationStatusLabels[o.status]}
            </Badge>,
            <span key="answer" className="fr-text--xs">
              {o.sentAt ? `Envoyée le ${formatDateTime(o.sentAt)}` : ""}
              {o.responseHours !== null ? `, réponse en ${o.responseHours} h` : ""}
              {o.refusalReason
                ? ` — ${o.refusalReason}${o.refusalReasonForPerson ? " (à dire à la personne)" : ""}`
                : ""}
              {o.outcome ? ` — Résultat : ${o.outcome}` : ""}
            </span>,
            ...(permissions.create ? [<Actions key="actions" personId={personId} o={o} />] : []),
          ])}
        />
      )}
      {permissions.create && (
        <details className="fr-mb-3w">
          <summary>Orienter la personne ou solliciter un partenaire</summary>
          <NewOrientationForm personId={personId} />
        </details>
      )}
    </>
  );
}
