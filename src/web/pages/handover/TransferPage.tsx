import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { proposeTransferBodySchema, transferStatusLabels } from "../../../common/handover/handover.schema";
import { atPlace, ofName } from "../../../common/placeName";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ConfirmBox } from "../../components/ConfirmBox";
import { formatDate } from "../../components/dates";
import { ErrorAlert, isPersonNotFound } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useStepFocus } from "../../components/useStepFocus";
import { NotFoundPage } from "../errors/ErrorPages";
import { editRefusalText } from "../people/editRights";
import { personDisplayName, usePersonFile } from "../people/usePersonFile";

const labels = {
  toStructureId: "Structure qui reprend le suivi",
  reason: "Motif du transfert",
  consent: "Consentement de la personne",
  consentReference: "Comment le consentement a été recueilli",
} as const;

/**
 * A proposal not answered yet may be withdrawn (a wrong structure, the person stays): after a
 * confirmation, the focus on its answer and back on the button when it is kept.
 */
function WithdrawProposal({
  transferId,
  toStructureName,
  onDone,
}: {
  transferId: string;
  toStructureName: string;
  onDone: () => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const { personId = "" } = useParams();
  const [asking, setAsking] = useState(false);
  const step = useStepFocus(asking, asking ? () => setAsking(false) : undefined);
  const withdraw = useMutation({
    mutationFn: () => call(handoverRoutes.cancelTransfer, { params: { transferId } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["transfers", personId] });
      onDone();
    },
  });
  return (
    <div ref={step.box} className="fr-mt-2w">
      {!asking ? (
        <Button priority="secondary" onClick={step.opens(() => setAsking(true))}>
          Retirer la proposition
        </Button>
      ) : (
        <ConfirmBox
          heading="h2"
          title={`Retirer la proposition faite ${atPlace(toStructureName)} ?`}
          confirmLabel="Confirmer le retrait"
          keepLabel="Garder la proposition"
          onConfirm={() => withdraw.mutate()}
          onKeep={() => setAsking(false)}
          busy={withdraw.isPending}
          error={withdraw.error}
        >
          <p>Sa direction ne la verra plus ; le dossier reste dans votre structure.</p>
        </ConfirmBox>
      )}
    </div>
  );
}

/** "Transférer": proposes the file to another structure (another département, another SPIP). */
export function TransferPage(): ReactNode {
  const { personId = "" } = useParams();
  const file = usePersonFile(personId);
  const name = file.data ? personDisplayName(file.data) : null;
  usePageTitle(name ? `Transfert du dossier ${ofName(name)}` : null);
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ["transfers", personId],
    queryFn: () => call(handoverRoutes.personTransfers, { params: { personId } }),
  });
  const [toStructureId, setTo] = useState("");
  const [reason, setReason] = useState("");
  const [consent, setConsent] = useState<"" | "given" | "refused">("");
  const [consentReference, setReference] = useState("");
  const errors = useFormErrors("transfert", labels);
  const resetForm = () => {
    setTo("");
    setReason("");
    setConsent("");
    setReference("");
    errors.clear();
  };
  // What was just done (proposed, withdrawn): said above the list, focused.
  const [notice, setNotice] = useState("");
  const body = () => ({ toStructureId, reason, consent: consent || undefined, consentReference });
  const propose = useMutation({
    mutationFn: () =>
      call(handoverRoutes.propose, {
        params: { personId },
        body: body() as Parameters<typeof proposeTransferBodySchema.parse>[0],
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(["transfers", personId], data);
      const to = data.transfers.find((t) => t.status === "proposed")?.toStructureName;
      setNotice(`Transfert proposé${to ? ` à ${to}` : ""} : sa direction l'accepte ou le refuse.`);
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(proposeTransferBodySchema, body())) propose.mutate();
  };
  if (isPersonNotFound(file.error))
    return <NotFoundPage back={{ to: "/personnes", label: "Personnes suivies" }} />;
  const error = query.error ?? file.error;
  if (error) return <ErrorAlert error={error} title="Transfert inaccessible" />;
  if (!query.data || !file.data) return <p>Chargement…</p>;
  const open = query.data.transfers.find((t) => t.status === "proposed");
  return (
    <>
      <Breadcrumb
        currentPageLabel="Transférer"
        segments={[
          { label: "Personnes suivies", linkProps: { to: "/personnes" } },
          { label: name ?? "", linkProps: { to: `/personnes/${personId}` } },
        ]}
      />
      <h1>Transférer le dossier {name ? ofName(name) : ""}</h1>
      {!query.data.permissions.propose && (
        // Said at once (the server refuses the same way: people/policies.ts `editablePeople`).
        <Alert
          severity="info"
          className="fr-mb-3w"
          title="Vous ne pouvez pas proposer le transfert de ce dossier"
          description={editRefusalText(file.data, "proposer le transfert de ce dossier")}
        />
      )}
      <p>
        Quand la personne déménage ou change de SPIP, proposez son dossier à la structure qui reprend le
        suivi. Sa direction accepte (et choisit le CPIP référent) ou refuse. Avec le consentement de la
        personne, ses besoins, démarches, orientations et notes partagées suivent ; sans, seuls l'identité et
        la mesure sont transmises.
      </p>
      {notice && <SuccessNotice message={notice} />}
      <h2>Transferts du dossier</h2>
      {query.data.transfers.length === 0 ? (
        <p>Aucun transfert proposé pour ce dossier.</p>
      ) : (
        <ScrollableTable
          stacked
          caption="Transferts du dossier"
          noCaption
          headers={["Proposé le", "Vers", "Consentement", "État", "Motif du refus"]}
          data={query.data.transfers.map((t) => [
            formatDate(t.proposedAt),
            t.toStructureName,
            t.consentGiven ? "Oui" : "Non",
            <Badge
              key="s"
              noIcon
              small
              severity={t.status === "accepted" ? "success" : t.status === "refused" ? "error" : "info"}
            >
              {transferStatusLabels[t.status]}
            </Badge>,
            t.refusalReason || "—",
          ])}
        />
      )}
      {query.data.permissions.propose && open && (
        <WithdrawProposal
          transferId={open.id}
          toStructureName={open.toStructureName}
          onDone={() => {
            // The form shows again, empty: a new proposal is chosen afresh, not the one withdrawn.
            resetForm();
            setNotice(`Proposition de transfert à ${open.toStructureName} retirée.`);
          }}
        />
      )}
      {query.data.permissions.propose && !open && (
        <form onSubmit={submit} noValidate aria-labelledby="proposer-titre" className="fr-mt-4w">
          <h2 id="proposer-titre">Proposer un transfert</h2>
          {errors.summary}
          <Select
            label="Structure qui reprend le suivi"
            {...errors.state("toStructureId")}
            nativeSelectProps={{
              ...errors.native("toStructureId"),
              value: toStructureId,
              onChange: (e) => setTo(e.target.value),
            }}
          >
            <option value="">Choisir une structure</option>
            {query.data.structures.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
          <Input
            label="Motif du transfert"
            textArea
            hintText="Par exemple : déménagement chez sa sœur à Évry."
            {...errors.state("reason")}
            nativeTextAreaProps={{
              ...errors.native("reason"),
              rows: 3,
              value: reason,
              onChange: (e) => setReason(e.target.value),
            }}
          />
          <RadioButtons
            legend="La personne consent-elle à la transmission de son dossier d'accompagnement ?"
            id={errors.native("consent").id}
            {...errors.state("consent")}
            options={[
              {
                label: "Oui",
                nativeInputProps: { checked: consent === "given", onChange: () => setConsent("given") },
              },
              {
                label: "Non : seules l'identité et la mesure seront transmises",
                nativeInputProps: { checked: consent === "refused", onChange: () => setConsent("refused") },
              },
            ]}
          />
          {consent === "given" && (
            <Input
              label="Comment le consentement a été recueilli"
              hintText="Par exemple : accord écrit du 28/05/2026."
              {...errors.state("consentReference")}
              nativeInputProps={{
                ...errors.native("consentReference"),
                value: consentReference,
                onChange: (e) => setReference(e.target.value),
              }}
            />
          )}
          <Button type="submit" disabled={propose.isPending}>
            Proposer le transfert
          </Button>
        </form>
      )}
      <p className="fr-mt-3w">
        <Link to={`/personnes/${personId}`}>Retour au dossier</Link>
      </p>
    </>
  );
}
