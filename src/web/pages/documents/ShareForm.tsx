import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, type ReactNode, useState } from "react";
import { addDays, parisDay } from "../../../common/calendar";
import { documentsRoutes } from "../../../common/documents/documents.routes";
import {
  type DocumentView,
  SHARE_MAX_DAYS,
  shareBodySchema,
} from "../../../common/documents/documents.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { type ShareTarget, shareTargetGroups } from "./shareTargets";

const labels = {
  to: "Partager avec",
  orientationId: "Orientation",
  recipientStructureId: "Structure destinataire",
  recipientLabel: "Destinataire",
  legalBasis: "Base légale",
  reason: "Motif du partage",
  until: "Partagé jusqu'au",
} as const;

type Target = "orientation" | "structure" | "outside";

/**
 * Shares a document: with an orientation's receiving side under the person's consent (never a
 * judicial document), or outside the structure under a legal basis (who, to whom, why, until when):
 * another structure of Passerelle, chosen from the list (its CPIP and direction then see it), or a
 * recipient outside Passerelle, named.
 */
export function ShareForm({
  doc,
  targets,
  structures,
  onShared,
  onCancel,
}: {
  doc: DocumentView;
  targets: ShareTarget[];
  structures: { id: string; name: string }[];
  onShared: () => void;
  onCancel: () => void;
}): ReactNode {
  const [to, setTo] = useState<Target>(doc.judicial ? "outside" : "orientation");
  const [orientationId, setOrientationId] = useState("");
  const [recipientStructureId, setRecipientStructureId] = useState("");
  const [recipientLabel, setRecipientLabel] = useState("");
  const [legalBasis, setLegalBasis] = useState("");
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const errors = useFormErrors(`share-${doc.id}`, labels, {
    "orientation.consentRequired": "orientationId",
    "document.judicialNeedsLegalBasis": "to",
    "document.untilInPast": "until",
    "document.untilTooFar": "until",
    "document.unknownStructure": "recipientStructureId",
  });
  const body =
    to === "orientation"
      ? { to, orientationId, reason, ...(until ? { until } : {}) }
      : to === "structure"
        ? { to, recipientStructureId, legalBasis, reason, until }
        : { to, recipientLabel, legalBasis, reason, until };
  const share = useMutation({
    mutationFn: () =>
      call(documentsRoutes.share, { params: { documentId: doc.id }, body: shareBodySchema.parse(body) }),
    onSuccess: onShared,
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (errors.check(shareBodySchema, body)) share.mutate();
  };
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={`Partager « ${doc.title} »`}
      className="fr-p-2w fr-mb-2w fr-background-alt--grey"
    >
      {errors.summary}
      <RadioButtons
        legend={labels.to}
        id={errors.native("to").id}
        {...errors.state("to")}
        options={[
          ...(doc.judicial
            ? []
            : [
                {
                  label: "Une orientation en cours (sous le consentement de la personne)",
                  nativeInputProps: { checked: to === "orientation", onChange: () => setTo("orientation") },
                },
              ]),
          ...(structures.length === 0
            ? []
            : [
                {
                  label: "Une autre structure de Passerelle (sous une base légale)",
                  hintText: "Son CPIP et sa direction verront le document, avec la base légale et le motif.",
                  nativeInputProps: { checked: to === "structure", onChange: () => setTo("structure") },
                },
              ]),
          {
            label: "Un destinataire hors de Passerelle : employeur, hébergement… (sous une base légale)",
            nativeInputProps: { checked: to === "outside", onChange: () => setTo("outside") },
          },
        ]}
      />
      {to === "orientation" ? (
        <Select
          label={labels.orientationId}
          hint="Le document apparaîtra dans l'orientation reçue par le partenaire, tant que la personne y consent."
          {...errors.state("orientationId")}
          nativeSelectProps={{
            ...errors.native("orientationId"),
            value: orientationId,
            onChange: (e) => setOrientationId(e.target.value),
          }}
        >
          <option value="">Choisir</option>
          {shareTargetGroups(targets).map((group) => {
            const options = group.targets.map((t) => (
              <option key={t.orientationId} value={t.orientationId}>
                {t.label}
              </option>
            ));
            return group.label ? (
              <optgroup key={group.label} label={group.label}>
                {options}
              </optgroup>
            ) : (
              options
            );
          })}
        </Select>
      ) : (
        <>
          {to === "structure" ? (
            <Select
              label={labels.recipientStructureId}
              hint="La structure France services qui reçoit le document."
              {...errors.state("recipientStructureId")}
              nativeSelectProps={{
                ...errors.native("recipientStructureId"),
                value: recipientStructureId,
                onChange: (e) => setRecipientStructureId(e.target.value),
              }}
            >
              <option value="">Choisir</option>
              {structures.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          ) : (
            <Input
              label={labels.recipientLabel}
              hintText="L'employeur IAE, l'hébergement, la structure hors de Passerelle…"
              {...errors.state("recipientLabel")}
              nativeInputProps={{
                ...errors.native("recipientLabel"),
                value: recipientLabel,
                onChange: (e) => setRecipientLabel(e.target.value),
              }}
            />
          )}
          <Input
            label={labels.legalBasis}
            hintText="Le texte ou la décision qui autorise ce partage (par exemple « art. 712-1 du code de procédure pénale »)."
            {...errors.state("legalBasis")}
            nativeInputProps={{
              ...errors.native("legalBasis"),
              value: legalBasis,
              onChange: (e) => setLegalBasis(e.target.value),
            }}
          />
        </>
      )}
      <Input
        label={labels.reason}
        {...errors.state("reason")}
        nativeInputProps={{
          ...errors.native("reason"),
          value: reason,
          onChange: (e) => setReason(e.target.value),
        }}
      />
      <Input
        label={labels.until}
        hintText={
          to === "orientation"
            ? "Facultatif, un an au plus."
            : "Obligatoire, un an au plus : le partage cesse après ce jour."
        }
        {...errors.state("until")}
        nativeInputProps={{
          ...errors.native("until"),
          type: "date",
          max: addDays(parisDay(new Date()), SHARE_MAX_DAYS),
          value: until,
          onChange: (e) => setUntil(e.target.value),
        }}
      />
      <Button type="submit" className="fr-mr-2w" disabled={share.isPending}>
        Partager
      </Button>
      <Button type="button" priority="secondary" onClick={onCancel}>
        Annuler
      </Button>
    </form>
  );
}
