import { Button } from "@codegouvfr/react-dsfr/Button";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { type NeedDomain, needDomainLabels, needDomains } from "../../../common/agenda/agenda.schema";
import { consentRoutes } from "../../../common/consent/consent.routes";
import { consentBodySchema } from "../../../common/consent/consent.schema";
import { type ServiceKind, serviceKindLabels, serviceKinds } from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useMutation } from "../../api/useMutation";
import { formatDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { type FormErrors, useFormErrors } from "../../components/form/useFormErrors";
import { SuccessNotice } from "../../components/SuccessNotice";
import { consentText, withLengthHint } from "../../components/wording";
import { withdrawnOn } from "../orientations/consentWording";

export interface ConsentDraft {
  recipients: ServiceKind[];
  partnerIds: string[];
  domains: NeedDomain[];
  shareNotes: boolean;
  shareDemarcheDetails: boolean;
  purpose: string;
}
export const emptyConsent: ConsentDraft = {
  recipients: [],
  partnerIds: [],
  domains: [],
  shareNotes: false,
  shareDemarcheDetails: false,
  purpose: "",
};

const toggle = <T,>(list: T[], item: T, on: boolean): T[] =>
  on ? [...list, item] : list.filter((x) => x !== item);

/** The fields of the consent body that a form can show an error under. */
export const consentLabels = {
  recipients: "Avec qui",
  partnerIds: "Partenaires",
  domains: "Besoins partagés",
  purpose: "Dans quel but",
} as const;
export type ConsentKey = keyof typeof consentLabels;
type ConsentErrors = Pick<FormErrors<ConsentKey>, "state" | "native" | "message">;

/** What the person accepts to share, with whom and why: in the file and in the new-person form. */
export function ConsentFields({
  value,
  onChange,
  errors,
}: {
  value: ConsentDraft;
  onChange: (value: ConsentDraft) => void;
  errors?: ConsentErrors;
}): ReactNode {
  const catalogue = useQuery({ queryKey: ["catalogue"], queryFn: () => call(structuresRoutes.catalogue) });
  const set = (patch: Partial<ConsentDraft>) => onChange({ ...value, ...patch });
  const state = (key: ConsentKey) => errors?.state(key) ?? {};
  return (
    <>
      <p className="fr-fieldset__element fr-text--sm">
        Lisez à la personne ce qui sera partagé et avec qui ; elle peut refuser ou changer d'avis à tout
        moment.
      </p>
      <div className="fr-fieldset__element">
        <Checkbox
          legend="Ce que la personne accepte de partager"
          options={[
            {
              label: "Les notes marquées « partagées »",
              nativeInputProps: {
                checked: value.shareNotes,
                onChange: (e) => set({ shareNotes: e.target.checked }),
              },
            },
            {
              label: "Le détail des démarches (au-delà de leur statut)",
              nativeInputProps: {
                checked: value.shareDemarcheDetails,
                onChange: (e) => set({ shareDemarcheDetails: e.target.checked }),
              },
            },
          ]}
        />
      </div>
      <div className="fr-fieldset__element">
        <Checkbox
          legend="Ses besoins, par domaine (facultatif)"
          orientation="horizontal"
          small
          {...state("domains")}
          id={errors?.native("domains").id}
          options={needDomains.map((d) => ({
            label: needDomainLabels[d],
            nativeInputProps: {
              checked: value.domains.includes(d),
              onChange: (e) => set({ domains: toggle(value.domains, d, e.target.checked) }),
            },
          }))}
        />
      </div>
      <div className="fr-fieldset__element">
        <Checkbox
          legend="Avec qui"
          hintText="Un service au moins, ou un partenaire ci-dessous."
          {...state("recipients")}
          id={errors?.native("recipients").id}
          options={serviceKinds.map((k) => ({
            label: serviceKindLabels[k],
            nativeInputProps: {
              checked: value.recipients.includes(k),
              onChange: (e) => set({ recipients: toggle(value.recipients, k, e.target.checked) }),
            },
          }))}
        />
      </div>
      <div className="fr-fieldset__element">
        <Checkbox
          legend="Et avec ces partenaires (facultatif)"
          orientation="horizontal"
          small
          {...state("partnerIds")}
          id={errors?.native("partnerIds").id}
          options={(catalogue.data?.partners ?? []).map((p) => ({
            label: p.name,
            nativeInputProps: {
              checked: value.partnerIds.includes(p.id),
              onChange: (e) => set({ partnerIds: toggle(value.partnerIds, p.id, e.target.checked) }),
            },
          }))}
        />
      </div>
      <div className="fr-fieldset__element">
        <Input
          label="Dans quel but"
          hintText={withLengthHint(
            "Par exemple : préparer la demande de RSA avec la CAF.",
            value.purpose.length,
            300,
          )}
          {...state("purpose")}
          nativeInputProps={{
            ...errors?.native("purpose"),
            value: value.purpose,
            maxLength: 300,
            onChange: (e) => set({ purpose: e.target.value }),
          }}
        />
      </div>
    </>
  );
}

function ConsentForm({
  personId,
  onDone,
  onSaved,
}: {
  personId: string;
  onDone: () => void;
  onSaved: () => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(emptyConsent);
  const errors = useFormErrors("consent", consentLabels);
  const formRef = useRef<HTMLFormElement>(null);
  // Opened from its button, which is gone: the focus goes to the form's first choice.
  useEffect(() => formRef.current?.querySelector<HTMLElement>("input, select, textarea")?.focus(), []);
  // Chosen when the form opens, kept until saved: sent again after a lost answer, one consent (ADR 0036).
  const record = useRecordId(["consents", personId]);
  const save = useMutation({
    mutationFn: () => call(consentRoutes.record, { params: { personId }, body: { ...draft, id: record.id } }),
    onSuccess: async () => {
      record.saved();
      await queryClient.invalidateQueries({ queryKey: ["consents", personId] });
      await queryClient.invalidateQueries({ queryKey: ["notes", personId] });
      // Whether a draft orientation can be sent depends on the consent.
      await queryClient.invalidateQueries({ queryKey: ["orientations", personId] });
      onSaved();
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(consentBodySchema, draft)) save.mutate();
  };
  return (
    <form
      ref={formRef}
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === "Escape") onDone();
      }}
      aria-label="Consentement au partage d'informations"
      className="fr-mb-3w"
      noValidate
    >
      {errors.summary}
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">Consentement au partage d'informations</legend>
        <ConsentFields value={draft} onChange={setDraft} errors={errors} />
      </fieldset>
      <ul className="fr-btns-group fr-btns-group--inline">
        <li>
          <Button type="submit" disabled={save.isPending}>
            Enregistrer le consentement
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={onDone}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

/** The person's choice about sharing, at the top of the file. */
export function ConsentPanel({ personId }: { personId: string }): ReactNode {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // What the last save did, said (and focused) in the panel: the form closes, the button goes.
  const [saved, setSaved] = useState<string | null>(null);
  // The button that takes the focus once the panel is drawn again: the one that replaced the button
  // just used ("Confirmer le retrait"), or the one the agent came from (the form cancelled).
  const [focusOn, setFocusOn] = useState<"edit" | "withdraw" | "confirm" | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const withdrawButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusOn === null) return;
    ({ edit: editButton, withdraw: withdrawButton, confirm: confirmButton })[focusOn].current?.focus();
    setFocusOn(null);
  }, [focusOn]);
  const query = useQuery({
    queryKey: ["consents", personId],
    queryFn: () => call(consentRoutes.list, { params: { personId } }),
  });
  const revoke = useMutation({
    mutationFn: (consentId: string) => call(consentRoutes.revoke, { params: { consentId } }),
    onSuccess: async () => {
      setConfirming(false);
      setSaved("Consentement retiré : plus rien n'est partagé.");
      await queryClient.invalidateQueries({ queryKey: ["consents", personId] });
      await queryClient.invalidateQueries({ queryKey: ["notes", personId] });
      // Whether a draft orientation can be sent depends on the consent.
      await queryClient.invalidateQueries({ queryKey: ["orientations", personId] });
    },
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return null;
  const { active, permissions } = query.data;
  if (editing)
    return (
      <ConsentForm
        personId={personId}
        onDone={() => {
          setEditing(false);
          setFocusOn("edit");
        }}
        onSaved={() => {
          setEditing(false);
          setSaved("Consentement enregistré.");
        }}
      />
    );
  return (
    <CallOut title="Partage d'informations (secret partagé)" className="fr-mb-3w">
      {saved && <SuccessNotice message={saved} />}
      {active ? (
        <>
          {consentText(active)} Recueilli {active.collectedByName ? `par ${active.collectedByName} ` : ""}le{" "}
          {formatDateTime(active.collectedAt)}.
        </>
      ) : (
        `${withdrawnOn(query.data) ? `Le consentement de la personne a été retiré le ${withdrawnOn(query.data)}` : "La personne n'a pas donné son accord au partage"} : chaque service ne lit que ses propres notes ; seuls les statuts et résultats des démarches sont communs.`
      )}
      {permissions.record && (
        <span className="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-mt-2w">
          <Button
            size="small"
            priority="secondary"
            ref={editButton}
            onClick={() => {
              setSaved(null);
              setEditing(true);
            }}
          >
            {active ? "Modifier le consentement" : "Enregistrer son consentement"}
          </Button>
          {active && !confirming && (
            <Button
              size="small"
              priority="tertiary"
              ref={withdrawButton}
              onClick={() => {
                setConfirming(true);
                setFocusOn("confirm");
              }}
            >
              Retirer le consentement
            </Button>
          )}
          {active && confirming && (
            <>
              <Button
                size="small"
                ref={confirmButton}
                nativeButtonProps={{
                  onKeyDown: (event) => {
                    if (event.key !== "Escape") return;
                    setConfirming(false);
                    setFocusOn("withdraw");
                  },
                }}
                onClick={() => revoke.mutate(active.id)}
                disabled={revoke.isPending}
              >
                Confirmer le retrait : plus rien ne sera partagé
              </Button>
              <Button
                size="small"
                priority="tertiary"
                onClick={() => {
                  setConfirming(false);
                  setFocusOn("withdraw");
                }}
              >
                Ne pas retirer
              </Button>
            </>
          )}
        </span>
      )}
      <ErrorAlert error={revoke.error} />
    </CallOut>
  );
}
