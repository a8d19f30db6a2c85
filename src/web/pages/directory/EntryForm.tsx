import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { needDomains } from "../../../common/agenda/agenda.schema";
import { directoryRoutes } from "../../../common/directory/directory.routes";
import {
  type DirectoryEntry,
  type DirectoryKind,
  directoryEntryBodySchema,
  directoryKindLabels,
  directoryKinds,
  directoryServiceLabels,
} from "../../../common/directory/directory.schema";
import { iaeKinds } from "../../../common/orientations/orientations.schema";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = {
  name: "Nom de l'organisation",
  kind: "Type",
  partnerId: "Opérateur du catalogue",
  iaeKind: "Type de structure IAE",
  siret: "SIRET",
  area: "Territoire couvert",
  services: "Services proposés",
  address: "Adresse",
  phone: "Téléphone",
  email: "Adresse électronique",
  website: "Site internet",
  notes: "Remarques",
} as const;

/** Adds or edits an organisation of the directory (direction). */
export function EntryForm({
  structureId,
  entry,
  onSaved,
}: {
  structureId: string;
  entry?: DirectoryEntry;
  onSaved: (saved: DirectoryEntry) => void;
}): ReactNode {
  const catalogue = useQuery({ queryKey: ["catalogue"], queryFn: () => call(structuresRoutes.catalogue) });
  const [form, setForm] = useState({
    name: entry?.name ?? "",
    kind: (entry?.kind ?? "") as DirectoryKind | "",
    partnerId: entry?.partnerId ?? "",
    iaeKind: entry?.iaeKind ?? "",
    siret: entry?.siret ?? "",
    inPrison: entry?.inPrison ?? false,
    area: entry?.area ?? "",
    services: entry?.services ?? [],
    address: entry?.address ?? "",
    phone: entry?.phone ?? "",
    email: entry?.email ?? "",
    website: entry?.website ?? "",
    notes: entry?.notes ?? "",
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const errors = useFormErrors("directory-entry", labels);
  const iae = form.kind === "iae_employer";
  const body = () => ({
    ...form,
    partnerId: form.partnerId || null,
    iaeKind: iae ? form.iaeKind || null : null,
    siret: iae ? form.siret : "",
    inPrison: iae ? form.inPrison : false,
  });
  // A new entry's id, kept until it is saved: sending again after a lost answer is safe (ADR 0036).
  const record = useRecordId(["directory"]);
  const save = useMutation({
    mutationFn: () =>
      entry
        ? call(directoryRoutes.update, { params: { entryId: entry.id }, body: body() })
        : call(directoryRoutes.create, { params: { structureId }, body: { ...body(), id: record.id } }),
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
    if (errors.check(directoryEntryBodySchema, body())) save.mutate();
  };
  const text = (
    key: "name" | "area" | "address" | "phone" | "email" | "website" | "siret",
    hint?: string,
  ) => (
    <Input
      label={labels[key]}
      {...(hint ? { hintText: hint } : {})}
      {...errors.state(key)}
      nativeInputProps={{
        ...errors.native(key),
        value: form[key],
        onChange: (e) => set({ [key]: e.target.value }),
        ...(key === "email" ? { type: "email", autoComplete: "off" } : {}),
        ...(key === "phone" ? { type: "tel", autoComplete: "off" } : {}),
      }}
    />
  );
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={entry ? "Modifier l'organisation" : "Nouvelle organisation"}
    >
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">{text("name")}</div>
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={labels.kind}
            {...errors.state("kind")}
            nativeSelectProps={{
              ...errors.native("kind"),
              value: form.kind,
              onChange: (e) => set({ kind: e.target.value as DirectoryKind }),
            }}
          >
            <option value="">Choisir</option>
            {directoryKinds.map((k) => (
              <option key={k} value={k}>
                {directoryKindLabels[k]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={labels.partnerId}
            hint="L'opérateur national que l'organisation représente ou dont elle est l'agence locale."
            {...errors.state("partnerId")}
            nativeSelectProps={{
              ...errors.native("partnerId"),
              value: form.partnerId,
              onChange: (e) => set({ partnerId: e.target.value }),
            }}
          >
            <option value="">Aucun</option>
            {(catalogue.data?.partners ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </div>
        {iae && (
          <>
            <div className="fr-col-12 fr-col-md-6">
              <Select
                label={labels.iaeKind}
                {...errors.state("iaeKind")}
                nativeSelectProps={{
                  ...errors.native("iaeKind"),
                  value: form.iaeKind,
                  onChange: (e) => set({ iaeKind: e.target.value as typeof form.iaeKind }),
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
            <div className="fr-col-12 fr-col-md-6">
              {text("siret", "14 chiffres, par exemple 123 456 789 00012.")}
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Checkbox
                options={[
                  {
                    label: "Structure implantée en détention",
                    nativeInputProps: {
                      checked: form.inPrison,
                      onChange: (e) => set({ inPrison: e.target.checked }),
                    },
                  },
                ]}
              />
            </div>
          </>
        )}
        <div className="fr-col-12 fr-col-md-6">
          {text("area", "Communes, intercommunalité ou département.")}
        </div>
        <div className="fr-col-12 fr-col-md-6">{text("address")}</div>
        <div className="fr-col-12 fr-col-md-6">{text("phone")}</div>
        <div className="fr-col-12 fr-col-md-6">{text("email")}</div>
        <div className="fr-col-12 fr-col-md-6">{text("website")}</div>
        <div className="fr-col-12">
          <Checkbox
            legend={labels.services}
            hintText="Les thématiques data·inclusion, les mêmes que les besoins des personnes."
            id={errors.native("services").id}
            orientation="horizontal"
            options={needDomains.map((d) => ({
              label: directoryServiceLabels[d],
              nativeInputProps: {
                checked: form.services.includes(d),
                onChange: (e) =>
                  set({
                    services: e.target.checked ? [...form.services, d] : form.services.filter((s) => s !== d),
                  }),
              },
            }))}
          />
        </div>
        <div className="fr-col-12">
          <Input
            label={labels.notes}
            textArea
            {...errors.state("notes")}
            nativeTextAreaProps={{
              ...errors.native("notes"),
              value: form.notes,
              rows: 3,
              onChange: (e) => set({ notes: e.target.value }),
            }}
          />
        </div>
      </div>
      <Button type="submit" disabled={save.isPending}>
        {entry ? "Enregistrer les modifications" : "Ajouter l'organisation"}
      </Button>
    </form>
  );
}
