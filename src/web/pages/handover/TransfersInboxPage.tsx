import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import {
  acceptTransferBodySchema,
  refuseTransferBodySchema,
  type TransferInbox,
} from "../../../common/handover/handover.schema";
import { type MeasureType, measureTypeLabels } from "../../../common/roles";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { formatDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { useStepFocus } from "../../components/useStepFocus";
import { ReceivedDocumentsSection, ReceivedTransfersSection } from "./ReceivedSections";

type Item = TransferInbox["items"][number];

function Answer({ item, referents }: { item: Item; referents: TransferInbox["referents"] }): ReactNode {
  const queryClient = useQueryClient();
  const [referent, setReferent] = useState("");
  const [reason, setReason] = useState("");
  const [refusing, setRefusing] = useState(false);
  // "Refuser…" gives way to the reason, the focus in its field; Échap brings the button back, focused.
  const step = useStepFocus(refusing, refusing ? () => setRefusing(false) : undefined);
  const ids = `transfert-${item.id}`;
  // Checked before sending, and said under the field (the referent to choose, the reason to give).
  const acceptErrors = useFormErrors(`${ids}-accept`, { referentUserId: "CPIP référent" });
  const refuseErrors = useFormErrors(`${ids}-refuse`, { reason: "Motif du refus" });
  const done = () => queryClient.invalidateQueries({ queryKey: ["transfers"] });
  const accept = useMutation({
    mutationFn: () =>
      call(handoverRoutes.accept, { params: { transferId: item.id }, body: { referentUserId: referent } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["transfers", "received"] }),
    onError: acceptErrors.showApiError,
  });
  const refuse = useMutation({
    mutationFn: () => call(handoverRoutes.refuse, { params: { transferId: item.id }, body: { reason } }),
    onSuccess: done,
    onError: refuseErrors.showApiError,
  });
  const submitAccept = (event: FormEvent) => {
    event.preventDefault();
    refuseErrors.clear();
    if (acceptErrors.check(acceptTransferBodySchema, { referentUserId: referent })) accept.mutate();
  };
  const submitRefuse = (event: FormEvent) => {
    event.preventDefault();
    acceptErrors.clear();
    if (refuseErrors.check(refuseTransferBodySchema, { reason })) refuse.mutate();
  };
  if (accept.data)
    return (
      <Alert
        severity="success"
        small
        description={
          <>
            Transfert accepté : le dossier est ouvert dans votre structure.{" "}
            {accept.data.personId && <Link to={`/personnes/${accept.data.personId}`}>Voir le dossier</Link>}
          </>
        }
      />
    );
  return (
    <div>
      <form
        onSubmit={submitAccept}
        noValidate
        aria-label={`Accepter le transfert de ${item.lastName.toUpperCase()} ${item.firstName}`}
      >
        {acceptErrors.summary}
        <Select
          label="CPIP référent"
          {...acceptErrors.state("referentUserId")}
          nativeSelectProps={{
            ...acceptErrors.native("referentUserId"),
            value: referent,
            onChange: (e) => setReferent(e.target.value),
          }}
        >
          <option value="">Choisir un CPIP</option>
          {referents
            .filter((r) => r.structureId === item.toStructureId)
            .map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
        </Select>
        <Button type="submit" disabled={accept.isPending} className="fr-mr-2w">
          Accepter le transfert
        </Button>
        {!refusing && (
          // Inline: the button stays beside "Accepter le transfert".
          <div ref={step.box} style={{ display: "inline" }}>
            <Button priority="secondary" type="button" onClick={step.opens(() => setRefusing(true))}>
              Refuser…
            </Button>
          </div>
        )}
      </form>
      {refusing && (
        <div className="fr-mt-2w" ref={step.box}>
          <form
            onSubmit={submitRefuse}
            noValidate
            aria-label={`Refuser le transfert de ${item.lastName.toUpperCase()} ${item.firstName}`}
          >
            {refuseErrors.summary}
            <Input
              label="Motif du refus"
              hintText="Il est transmis à la structure qui a proposé le transfert."
              {...refuseErrors.state("reason")}
              nativeInputProps={{
                ...refuseErrors.native("reason"),
                value: reason,
                onChange: (e) => setReason(e.target.value),
              }}
            />
            <Button priority="secondary" type="submit" disabled={refuse.isPending}>
              Confirmer le refus
            </Button>
          </form>
        </div>
      )}
    </div>
  );
}

/** The receiving direction's pending proposals, with the minimum to decide. */
function PendingSection(): ReactNode {
  const query = useQuery({ queryKey: ["transfers", "inbox"], queryFn: () => call(handoverRoutes.inbox) });
  return (
    <section aria-labelledby="pending-title" className="fr-mb-6w">
      <h2 id="pending-title">Propositions en attente</h2>
      <p>
        Les dossiers que d'autres structures proposent de vous transférer. Avant votre réponse, vous ne voyez
        que l'identité, la mesure et le motif ; le dossier s'ouvre chez vous quand vous acceptez.
      </p>
      <ErrorAlert error={query.error} />
      {query.data && query.data.items.length === 0 && <p>Aucun transfert en attente.</p>}
      {query.data?.items.map((item) => (
        <section key={item.id} className="fr-card fr-p-3w fr-mb-3w" aria-labelledby={`t-${item.id}`}>
          <h3 id={`t-${item.id}`} className="fr-h5">
            {item.lastName.toUpperCase()} {item.firstName}, né·e le {formatDate(item.birthDate)}
          </h3>
          <p className="fr-mb-1w">
            De : {item.fromStructureName} — proposé le {formatDate(item.proposedAt)} par {item.proposedByName}
          </p>
          <p className="fr-mb-1w">
            Mesure :{" "}
            {item.measureType
              ? (measureTypeLabels[item.measureType as MeasureType] ?? item.measureType)
              : "—"}
            {item.measureEnd ? `, jusqu'au ${formatDate(item.measureEnd)}` : ""}
          </p>
          <p className="fr-mb-1w">Motif : {item.reason}</p>
          <p className="fr-mb-2w">
            Consentement de la personne :{" "}
            {item.consentGiven
              ? "oui — son accompagnement (besoins, démarches, orientations, notes partagées) suit."
              : "non — seules l'identité et la mesure seront transmises."}
          </p>
          <Answer item={item} referents={query.data.referents} />
        </section>
      ))}
    </section>
  );
}

/**
 * "Transferts reçus": the direction answers the proposals; the direction and the CPIP read the files
 * passed to them (a CPIP: those they were chosen for) and the documents shared with the structure.
 */
export function TransfersInboxPage(): ReactNode {
  usePageTitle("Transferts reçus");
  const { structureId, roles } = useSession();
  const directs = roles.includes("service_manager");
  return (
    <>
      <h1>Transferts reçus</h1>
      {directs && <PendingSection />}
      <ReceivedTransfersSection />
      {structureId && <ReceivedDocumentsSection structureId={structureId} />}
    </>
  );
}
