import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { needDomains } from "../../../common/agenda/agenda.schema";
import { parisDay } from "../../../common/calendar";
import { conventionsRoutes } from "../../../common/conventions/conventions.routes";
import {
  type ConventionDetail,
  type ConventionLevel,
  type ConventionScope,
  type ConventionView,
  conventionBodySchemaOn,
  conventionLevelLabels,
  conventionLevels,
  conventionScopeLabels,
  conventionScopes,
  conventionThemeLabels,
} from "../../../common/conventions/conventions.schema";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = {
  title: "Intitulé",
  reference: "Référence",
  level: "Niveau",
  scope: "Champ",
  themes: "Thématiques",
  parties: "Parties",
  status: "Statut",
  signedOn: "Date de signature",
  startsOn: "Date de début",
  endsOn: "Date de fin",
  renewalTerms: "Modalités de renouvellement",
  referentUserId: "Référent interne",
} as const;

interface Party {
  /** React's key for the row (rows are added and removed). */
  key: number;
  directoryEntryId: string;
  label: string;
}
let partyRows = 0;
const newParty = (directoryEntryId = "", label = ""): Party => ({
  key: ++partyRows,
  directoryEntryId,
  label,
});

/** Records or edits a convention (direction); parties from the directory or typed (préfecture, SPIP). */
export function ConventionForm({
  structureId,
  convention,
  onSaved,
  onCancel,
}: {
  structureId: string;
  convention?: ConventionView;
  onSaved: (saved: ConventionDetail) => void;
  /** Editing: leaves the form without saving (the convention is shown as it was). */
  onCancel?: () => void;
}): ReactNode {
  const options = useQuery({
    queryKey: ["conventions", structureId, "form-options"],
    queryFn: () => call(conventionsRoutes.formOptions, { params: { structureId } }),
  });
  const [form, setForm] = useState({
    title: convention?.title ?? "",
    reference: convention?.reference ?? "",
    level: (convention?.level ?? "") as ConventionLevel | "",
    scope: (convention?.scope ?? "") as ConventionScope | "",
    themes: convention?.themes ?? [],
    status: (convention?.recordedStatus === "signed" ? "signed" : "draft") as "draft" | "signed",
    signedOn: convention?.signedOn ?? "",
    startsOn: convention?.startsOn ?? "",
    endsOn: convention?.endsOn ?? "",
    renewalTerms: convention?.renewalTerms ?? "",
    tacitRenewal: convention?.tacitRenewal ?? false,
    referentUserId: convention?.referent?.id ?? "",
  });
  const [parties, setParties] = useState<Party[]>(
    convention?.parties.map((p) => newParty(p.directoryEntryId ?? "", p.label)) ?? [newParty()],
  );
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  // Rows left empty are not sent: the k-th party sent is the row `sent[k]` of the page.
  const sent = parties.filter((p) => p.directoryEntryId !== "" || p.label.trim() !== "");
  const sentIndex = (row: Party): number => sent.indexOf(row);
  // Each typed party's name is a field of its own, listed in the page's order (after « Parties »).
  const errors = useFormErrors(
    "convention",
    Object.fromEntries(
      Object.entries(labels).flatMap(([key, label]) =>
        key === "parties"
          ? [
              [key, label],
              ...sent.map((p, k) => [`parties.${k}.label`, `Partie ${parties.indexOf(p) + 1} : nom`]),
            ]
          : [[key, label]],
      ),
    ),
    { "convention.unknownReferent": "referentUserId" },
  );
  const body = () => ({
    ...form,
    referentUserId: form.referentUserId || null,
    parties: sent.map((p) => ({
      directoryEntryId: p.directoryEntryId || null,
      label: p.directoryEntryId ? "" : p.label,
    })),
  });
  // A new convention's id, kept until it is saved: sending again after a lost answer is safe (ADR 0036).
  const record = useRecordId(["conventions"]);
  const save = useMutation({
    mutationFn: () =>
      convention
        ? call(conventionsRoutes.update, { params: { conventionId: convention.id }, body: body() })
        : call(conventionsRoutes.create, { params: { structureId }, body: { ...body(), id: record.id } }),
    onSuccess: (saved) => {
      record.saved();
      onSaved(saved);
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(conventionBodySchemaOn(parisDay(new Date())), body())) save.mutate();
  };
  const date = (key: "signedOn" | "startsOn" | "endsOn", hint?: string) => (
    <div className="fr-col-12 fr-col-md-4">
      <Input
        label={labels[key]}
        {...(hint ? { hintText: hint } : {})}
        {...errors.state(key)}
        nativeInputProps={{
          ...errors.native(key),
          type: "date",
          // A signing day is not after today (checked with the other fields, as the server does).
          ...(key === "signedOn" ? { max: parisDay(new Date()) } : {}),
          value: form[key],
          onChange: (e) => set({ [key]: e.target.value }),
        }}
      />
    </div>
  );
  const setParty = (i: number, patch: Partial<Party>) =>
    setParties((all) => all.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={convention ? "Modifier la convention" : "Nouvelle convention"}
    >
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-8">
          <Input
            label={labels.title}
            {...errors.state("title")}
            nativeInputProps={{
              ...errors.native("title"),
              value: form.title,
              onChange: (e) => set({ title: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={labels.reference}
            hintText="Facultatif."
            {...errors.state("reference")}
            nativeInputProps={{
              ...errors.native("reference"),
              value: form.reference,
              onChange: (e) => set({ reference: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={labels.level}
            {...errors.state("level")}
            nativeSelectProps={{
              ...errors.native("level"),
              value: form.level,
              onChange: (e) => set({ level: e.target.value as ConventionLevel }),
            }}
          >
            <option value="">Choisir</option>
            {conventionLevels.map((l) => (
              <option key={l} value={l}>
                {conventionLevelLabels[l]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={labels.scope}
            {...errors.state("scope")}
            nativeSelectProps={{
              ...errors.native("scope"),
              value: form.scope,
              onChange: (e) => set({ scope: e.target.value as ConventionScope }),
            }}
          >
            <option value="">Choisir</option>
            {conventionScopes.map((s) => (
              <option key={s} value={s}>
                {conventionScopeLabels[s]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={labels.status}
            hint="Une convention signée demande sa date de signature et sa date de fin."
            {...errors.state("status")}
            nativeSelectProps={{
              ...errors.native("status"),
              value: form.status,
              onChange: (e) => set({ status: e.target.value as "draft" | "signed" }),
            }}
          >
            <option value="draft">Brouillon</option>
            <option value="signed">Signée</option>
          </Select>
        </div>
        {date("signedOn")}
        {date("startsOn")}
        {date("endsOn", "Les alertes de renouvellement en dépendent.")}
        <div className="fr-col-12">
          <Checkbox
            legend={labels.themes}
            id={errors.native("themes").id}
            orientation="horizontal"
            options={needDomains.map((d) => ({
              label: conventionThemeLabels[d],
              nativeInputProps: {
                checked: form.themes.includes(d),
                onChange: (e) =>
                  set({
                    themes: e.target.checked ? [...form.themes, d] : form.themes.filter((t) => t !== d),
                  }),
              },
            }))}
          />
        </div>
        {/* The fieldset in a column of its own: its own negative margin then lines its parties up
            with the form's other fields (as a column itself, they stood a few pixels to the left). */}
        <div className="fr-col-12">
          <fieldset className="fr-fieldset" id={errors.native("parties").id}>
            <legend className="fr-fieldset__legend">Parties à la convention</legend>
            {errors.message("parties") && (
              <p className="fr-error-text fr-col-12">{errors.message("parties")}</p>
            )}
            {parties.map((p, i) => (
              // A row of the fieldset, aligned with the form's other fields (a grid row inside a
              // column doubled the gutters and pushed the parties out of line).
              <div key={p.key} className="fr-fieldset__element">
                <div className="fr-grid-row fr-grid-row--gutters">
                  <div className="fr-col-12 fr-col-md-5">
                    <Select
                      label={`Partie ${i + 1} : organisation de l'annuaire`}
                      nativeSelectProps={{
                        value: p.directoryEntryId,
                        onChange: (e) => setParty(i, { directoryEntryId: e.target.value }),
                      }}
                    >
                      <option value="">Autre (saisir le nom)</option>
                      {(options.data?.entries ?? []).map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.name}
                        </option>
                      ))}
                    </Select>
                  </div>
                  {p.directoryEntryId === "" && (
                    <div className="fr-col-12 fr-col-md-5">
                      <Input
                        label={`Partie ${i + 1} : nom`}
                        hintText="Par exemple : Préfecture de Seine-et-Marne."
                        {...(sentIndex(p) >= 0 ? errors.state(`parties.${sentIndex(p)}.label`) : {})}
                        nativeInputProps={{
                          ...(sentIndex(p) >= 0
                            ? errors.native(`parties.${sentIndex(p)}.label`)
                            : { id: `convention-party-${i}` }),
                          value: p.label,
                          onChange: (e) => setParty(i, { label: e.target.value }),
                        }}
                      />
                    </div>
                  )}
                  <div className="fr-col-12 fr-col-md-2">
                    <Button
                      type="button"
                      priority="tertiary"
                      size="small"
                      className="fr-mt-md-4w"
                      onClick={() => setParties((all) => all.filter((_, j) => j !== i))}
                    >
                      Retirer la partie {i + 1}
                    </Button>
                  </div>
                </div>
              </div>
            ))}
            <div className="fr-fieldset__element">
              <Button
                type="button"
                priority="secondary"
                size="small"
                iconId="fr-icon-add-line"
                onClick={() => setParties((all) => [...all, newParty()])}
              >
                Ajouter une partie
              </Button>
            </div>
          </fieldset>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={labels.referentUserId}
            {...errors.state("referentUserId")}
            nativeSelectProps={{
              ...errors.native("referentUserId"),
              value: form.referentUserId,
              onChange: (e) => set({ referentUserId: e.target.value }),
            }}
          >
            <option value="">Aucun</option>
            {(options.data?.agents ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12">
          <Input
            label={labels.renewalTerms}
            textArea
            {...errors.state("renewalTerms")}
            nativeTextAreaProps={{
              ...errors.native("renewalTerms"),
              value: form.renewalTerms,
              rows: 2,
              onChange: (e) => set({ renewalTerms: e.target.value }),
            }}
          />
          <Checkbox
            options={[
              {
                label: "Reconduction tacite",
                nativeInputProps: {
                  checked: form.tacitRenewal,
                  onChange: (e) => set({ tacitRenewal: e.target.checked }),
                },
              },
            ]}
          />
        </div>
      </div>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
        <li>
          <Button type="submit" disabled={save.isPending}>
            {convention ? "Enregistrer les modifications" : "Enregistrer la convention"}
          </Button>
        </li>
        {onCancel && (
          <li>
            <Button type="button" priority="secondary" onClick={onCancel}>
              Annuler les modifications
            </Button>
          </li>
        )}
      </ul>
    </form>
  );
}
