import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { accompanimentRoutes } from "../../../common/accompaniment/accompaniment.routes";
import { finalDemarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import { consentRoutes } from "../../../common/consent/consent.routes";
import { directoryRoutes } from "../../../common/directory/directory.routes";
import { orientationsRoutes } from "../../../common/orientations/orientations.routes";
import {
  iaeEligibilityHint,
  iaeKinds,
  newOrientationSchema,
  type OrientationTarget,
  orientationTargets,
  partnerFitsTarget,
} from "../../../common/orientations/orientations.schema";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { SuccessNotice } from "../../components/SuccessNotice";
import { withLengthHint } from "../../components/wording";
import { MissingConsentNotice, sendBlockedByConsent } from "./MissingConsentNotice";
import { targetOptions } from "./targetOptions";

const orientationLabels = {
  target: "Vers",
  partnerId: "Organisation destinataire",
  iaeKind: "Type de structure IAE",
  directoryContactId: "Contact chez le partenaire",
  demarcheId: "Démarche concernée",
  reason: "Ce qui est demandé",
} as const;

/** Refer the person, or ask a partner: the form resets once sent. */
export function NewOrientationForm({ personId }: { personId: string }): ReactNode {
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
  const [contactId, setContactId] = useState("");
  const { structureId } = useSession();
  // The named contacts of the directory at the chosen organisation (an IAE employer's too).
  const contactsFor = target !== "mediation" && partnerId ? { partnerId } : null;
  const directory = useQuery({
    queryKey: ["directory", structureId, "orientation", contactsFor],
    queryFn: () =>
      call(directoryRoutes.list, { params: { structureId: structureId ?? "" }, query: { ...contactsFor } }),
    enabled: Boolean(structureId && contactsFor),
  });
  const contacts = contactsFor
    ? (directory.data?.entries ?? []).flatMap((e) =>
        e.contacts.map((c) => ({
          id: c.id,
          label: `${c.name}${c.function ? `, ${c.function}` : ""} — ${e.name}`,
        })),
      )
    : [];
  const [reason, setReason] = useState("");
  // « Envoyer maintenant »: the agent's choice once made; until then ticked, but for an anonymous
  // mediation (below), which the association can only refuse: a draft until the consent is recorded.
  const [sendChoice, setSend] = useState<boolean | null>(null);
  const consents = useQuery({
    queryKey: ["consents", personId],
    queryFn: () => call(consentRoutes.list, { params: { personId } }),
  });
  // The partners the person's consent in force names (unknown while loading: nothing is blocked).
  const consented = consents.data ? new Set(consents.data.active?.partners.map((p) => p.id) ?? []) : null;
  const partnerName = catalogue.data?.partners.find((p) => p.id === partnerId)?.name ?? "";
  // Only the organisations that may receive this kind of orientation (ADR 0030, addendum).
  const recipients = (catalogue.data?.partners ?? []).filter((p) => partnerFitsTarget(target, p.kind));
  const chooseTarget = (next: OrientationTarget) => {
    setTarget(next);
    const kept = catalogue.data?.partners.find((p) => p.id === partnerId);
    if (!kept || !partnerFitsTarget(next, kept.kind)) {
      setPartnerId("");
      setContactId("");
    }
  };
  // Sending to a partner needs the person's consent naming it: until then, only a draft.
  const needsConsent =
    target !== "mediation" && partnerId !== "" && consented !== null && !consented.has(partnerId);
  // The listed organisations split by the consent in force: an option is set apart only when that
  // organisation is not named, and when none is, the form says it once above the list.
  const named = consented ? recipients.filter((p) => consented.has(p.id)) : recipients;
  const notNamed = consented ? recipients.filter((p) => !consented.has(p.id)) : [];
  const noneNamed = target !== "mediation" && named.length === 0 && notNamed.length > 0;
  // The notice above says it cannot be sent (no consent naming the organisation chosen, or naming
  // none of those listed): « Envoyer maintenant » is unticked and disabled from the start.
  const sendBlocked = sendBlockedByConsent(needsConsent, noneNamed);
  // Mediation may be sent without the consent naming the association (ADR 0020), but it then sees no
  // identity and can only answer that it needs the consent: said before sending.
  const mediationAnonymous =
    target === "mediation" &&
    consents.data !== undefined &&
    !consents.data.active?.recipients.includes("association");
  const send = sendChoice ?? !mediationAnonymous;
  const willSend = send && !sendBlocked;
  const [saved, setSaved] = useState<string | null>(null);
  // The new orientation's id, kept until it is saved: sending again after a lost answer is safe.
  const record = useRecordId(["orientations", personId], ["accompaniment", personId]);
  // Without the person's consent to share with that organisation, the message goes under its field.
  const errors = useFormErrors("orientation", orientationLabels, {
    "orientation.consentRequired": "partnerId",
    "directory.contactNotForTarget": "directoryContactId",
    "orientation.partnerNotForTarget": "partnerId",
  });
  const body = () => ({
    target,
    partnerId: target === "mediation" ? null : partnerId || null,
    iaeKind: target === "iae_employer" ? iaeKind || null : null,
    demarcheId: demarcheId || null,
    directoryContactId: contacts.some((c) => c.id === contactId) ? contactId : null,
    reason,
    send: willSend,
  });
  const reset = () => {
    setTarget("partner_back_office");
    setPartnerId("");
    setIaeKind("");
    setDemarcheId("");
    setContactId("");
    setReason("");
    setSend(null);
  };
  const create = useMutation({
    mutationFn: () =>
      call(orientationsRoutes.create, { params: { personId }, body: { ...body(), id: record.id } }),
    onSuccess: async () => {
      setSaved(willSend ? "Orientation envoyée." : "Brouillon enregistré.");
      reset();
      record.saved();
      await queryClient.invalidateQueries({ queryKey: ["orientations", personId] });
      await queryClient.invalidateQueries({ queryKey: ["accompaniment", personId] });
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    if (errors.check(newOrientationSchema, body())) create.mutate();
  };
  const open = (accompaniment.data?.demarches ?? []).filter((d) => !finalDemarcheStatuses.includes(d.status));
  return (
    <form onSubmit={submit} aria-label="Nouvelle orientation" noValidate>
      {errors.summary}
      {saved && <SuccessNotice message={saved} className="fr-mb-3w" />}
      {/* Without the catalogue no partner can be chosen: said, with « Réessayer » (fault review). */}
      <ErrorAlert
        error={catalogue.error}
        title="La liste des partenaires ne peut pas être lue pour l'instant"
      />
      {(needsConsent || noneNamed) && consents.data && (
        <MissingConsentNotice
          partnerName={needsConsent ? partnerName : null}
          consent={consents.data}
          iae={target === "iae_employer"}
        />
      )}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label="Vers"
            hint={targetOptions[target].hint}
            {...errors.state("target")}
            nativeSelectProps={{
              ...errors.native("target"),
              value: target,
              onChange: (e) => chooseTarget(e.target.value as OrientationTarget),
            }}
          >
            {orientationTargets.map((t) => (
              <option key={t} value={t}>
                {targetOptions[t].label}
              </option>
            ))}
          </Select>
        </div>
        {target !== "mediation" && (
          <div className="fr-col-12 fr-col-md-6">
            <Select
              label="Organisation destinataire"
              hint={
                target === "iae_employer"
                  ? "Les employeurs IAE du catalogue des partenaires. Il ne verra que ce que la personne a accepté de partager avec lui."
                  : "Elle ne verra que ce que la personne a accepté de partager avec elle."
              }
              {...errors.state("partnerId")}
              nativeSelectProps={{
                ...errors.native("partnerId"),
                value: partnerId,
                onChange: (e) => {
                  setPartnerId(e.target.value);
                  setContactId("");
                },
              }}
            >
              <option value="">Choisir</option>
              {named.length > 0 && notNamed.length > 0 ? (
                <>
                  <optgroup label="Nommées dans son consentement">
                    {named.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </optgroup>
                  <optgroup label="Sans son consentement : brouillon seulement">
                    {notNamed.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </optgroup>
                </>
              ) : (
                recipients.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))
              )}
            </Select>
          </div>
        )}
        {target === "iae_employer" && catalogue.data && recipients.length === 0 && (
          <div className="fr-col-12">
            <Alert
              severity="info"
              small
              description="Aucun employeur IAE n'est encore au catalogue des partenaires : un administrateur doit d'abord y ajouter l'employeur (« Employeur de l'insertion par l'activité économique ») et ouvrir un compte à son correspondant pour qu'il reçoive l'orientation."
            />
          </div>
        )}
        {mediationAnonymous && (
          <div className="fr-col-12">
            <Alert
              severity="warning"
              small
              description={
                <>
                  La personne n'a pas consenti au partage d'informations avec l'association : la médiation ne
                  verra pas son identité et ne pourra que refuser l'orientation en demandant son consentement.
                  Recueillez-le d'abord (section « Notes et consentement »), l'association parmi les
                  destinataires. <a href="#notes">Aller au consentement</a>
                </>
              }
            />
          </div>
        )}
        {target === "iae_employer" && (
          <div className="fr-col-12 fr-col-md-6">
            <Select
              label="Type de structure IAE"
              hint={iaeEligibilityHint}
              {...errors.state("iaeKind")}
              nativeSelectProps={{
                ...errors.native("iaeKind"),
                value: iaeKind,
                onChange: (e) => setIaeKind(e.target.value),
              }}
            >
              <option value="">Choisir</option>
              {iaeKinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </Select>
          </div>
        )}
        {contacts.length > 0 && (
          <div className="fr-col-12 fr-col-md-6">
            <Select
              label="Contact chez le partenaire (facultatif)"
              hint="Les contacts nommés de l'annuaire des partenaires pour cette organisation."
              {...errors.state("directoryContactId")}
              nativeSelectProps={{
                ...errors.native("directoryContactId"),
                value: contactId,
                onChange: (e) => setContactId(e.target.value),
              }}
            >
              <option value="">Aucun en particulier</option>
              {contacts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </Select>
          </div>
        )}
        {open.length > 0 && (
          <div className="fr-col-12 fr-col-md-6">
            <Select
              label="Démarche concernée (facultatif)"
              {...errors.state("demarcheId")}
              nativeSelectProps={{
                ...errors.native("demarcheId"),
                value: demarcheId,
                onChange: (e) => setDemarcheId(e.target.value),
              }}
            >
              <option value="">Aucune</option>
              {open.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                </option>
              ))}
            </Select>
          </div>
        )}
        <div className="fr-col-12">
          <Input
            label="Ce qui est demandé"
            hintText={withLengthHint(
              "En une ou deux phrases. N'indiquez ni infraction ni donnée de santé.",
              reason.length,
              1000,
            )}
            textArea
            {...errors.state("reason")}
            nativeTextAreaProps={{
              ...errors.native("reason"),
              value: reason,
              maxLength: 1000,
              rows: 3,
              onChange: (e) => setReason(e.target.value),
            }}
          />
        </div>
      </div>
      <Checkbox
        options={[
          {
            label: "Envoyer maintenant",
            hintText: sendBlocked
              ? "Impossible sans le consentement de la personne : l'orientation sera enregistrée en brouillon."
              : "Sinon, l'orientation reste en brouillon : vous pourrez l'envoyer depuis le tableau.",
            nativeInputProps: {
              checked: willSend,
              disabled: sendBlocked,
              onChange: (e) => setSend(e.target.checked),
            },
          },
        ]}
      />
      <Button type="submit" disabled={create.isPending} className="fr-mt-2w">
        {willSend ? "Orienter la personne" : "Enregistrer le brouillon"}
      </Button>
    </form>
  );
}
