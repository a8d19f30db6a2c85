import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import {
  type DemarcheCategory,
  demarcheCategories,
  demarcheCategoryLabels,
  type PartnerKind,
  partnerKinds,
} from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import type { Catalogue } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";

type DemarcheTypeRow = Catalogue["partners"][number]["demarcheTypes"][number];

const partnerKindLabels: Record<PartnerKind, string> = {
  national_operator: "Opérateur national France services",
  local_correspondent: "Correspondant local",
  association: "Association",
  iae_employer: "Employeur de l'insertion par l'activité économique",
};

const lines = (text: string): string[] =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

function CategorySelect({
  value,
  onChange,
}: {
  value: DemarcheCategory;
  onChange: (c: DemarcheCategory) => void;
}): ReactNode {
  return (
    <Select
      label="Catégorie"
      nativeSelectProps={{ value, onChange: (e) => onChange(e.target.value as DemarcheCategory) }}
    >
      {demarcheCategories.map((c) => (
        <option key={c} value={c}>
          {demarcheCategoryLabels[c]}
        </option>
      ))}
    </Select>
  );
}

/** Label, category and usual documents of a démarche type: used to add one and to edit it. */
function DemarcheTypeForm({
  initial,
  submitLabel,
  onSubmit,
  error,
  pending,
}: {
  initial: { label: string; category: DemarcheCategory; documents: string[] };
  submitLabel: string;
  onSubmit: (value: { label: string; category: DemarcheCategory; documents: string[] }) => void;
  error: unknown;
  pending: boolean;
}): ReactNode {
  const [label, setLabel] = useState(initial.label);
  const [category, setCategory] = useState(initial.category);
  const [documents, setDocuments] = useState(initial.documents.join("\n"));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ label, category, documents: lines(documents) });
  };
  return (
    <form onSubmit={submit} aria-label={submitLabel}>
      <Input
        label="Intitulé"
        nativeInputProps={{ value: label, onChange: (e) => setLabel(e.target.value) }}
      />
      <CategorySelect value={category} onChange={setCategory} />
      <Input
        label="Pièces habituellement demandées (une par ligne)"
        textArea
        nativeTextAreaProps={{ value: documents, rows: 3, onChange: (e) => setDocuments(e.target.value) }}
      />
      <ErrorAlert error={error} />
      <Button type="submit" size="small" disabled={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}

function EditDemarcheType({ type }: { type: DemarcheTypeRow }): ReactNode {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: { label: string; category: DemarcheCategory; documents: string[] }) =>
      call(structuresRoutes.updateDemarcheType, { params: { demarcheTypeId: type.id }, body }),
    onSuccess: (catalogue) => queryClient.setQueryData(["catalogue"], catalogue),
  });
  return (
    <details>
      <summary className="fr-text--sm">Modifier « {type.label} »</summary>
      <DemarcheTypeForm
        initial={type}
        submitLabel="Enregistrer"
        onSubmit={save.mutate}
        error={save.error}
        pending={save.isPending}
      />
    </details>
  );
}

/** The national catalogue of partners and démarches, edited by platform administrators. */
export function CataloguePage(): ReactNode {
  usePageTitle("Catalogue des partenaires et des démarches");
  const queryClient = useQueryClient();
  const catalogue = useQuery({ queryKey: ["catalogue"], queryFn: () => call(structuresRoutes.catalogue) });
  const [partner, setPartner] = useState({
    code: "",
    name: "",
    kind: "local_correspondent" as PartnerKind,
    description: "",
  });
  const [partnerId, setPartnerId] = useState("");
  const addPartner = useMutation({
    mutationFn: () => call(structuresRoutes.addPartner, { body: partner }),
    onSuccess: (data) => {
      queryClient.setQueryData(["catalogue"], data);
      setPartner({ code: "", name: "", kind: "local_correspondent", description: "" });
    },
  });
  const addType = useMutation({
    mutationFn: (body: { label: string; category: DemarcheCategory; documents: string[] }) =>
      call(structuresRoutes.addDemarcheType, { body: { ...body, partnerId } }),
    onSuccess: (data) => queryClient.setQueryData(["catalogue"], data),
  });
  const submitPartner = (event: FormEvent) => {
    event.preventDefault();
    addPartner.mutate();
  };
  if (catalogue.error) return <ErrorAlert error={catalogue.error} />;
  if (!catalogue.data) return <p>Chargement…</p>;
  return (
    <>
      <h1>Catalogue des partenaires et des démarches</h1>
      <p>
        Le catalogue est commun à toutes les structures : les conseillers y choisissent les démarches des
        personnes.
      </p>
      <ScrollableTable
        caption="Partenaires et démarches"
        headers={["Partenaire", "Démarches", "Pièces habituelles"]}
        data={catalogue.data.partners.map((p) => [
          p.name,
          <div key="types">
            {p.demarcheTypes.length === 0 && "—"}
            {p.demarcheTypes.map((d) => (
              <div key={d.id} className="fr-mb-1w">
                {d.label} <span className="fr-text--xs">({demarcheCategoryLabels[d.category]})</span>
                <EditDemarcheType type={d} />
              </div>
            ))}
          </div>,
          p.demarcheTypes.map((d) => d.documents.length).reduce((a, b) => a + b, 0) || "—",
        ])}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <h2>Ajouter un partenaire</h2>
          <form onSubmit={submitPartner} aria-label="Ajouter un partenaire">
            <Input
              label="Nom"
              nativeInputProps={{
                value: partner.name,
                onChange: (e) => setPartner({ ...partner, name: e.target.value }),
              }}
            />
            <Input
              label="Code"
              hintText="Minuscules, chiffres et tirets, ex. mission-locale-meaux"
              nativeInputProps={{
                value: partner.code,
                onChange: (e) => setPartner({ ...partner, code: e.target.value }),
              }}
            />
            <Select
              label="Type"
              nativeSelectProps={{
                value: partner.kind,
                onChange: (e) => setPartner({ ...partner, kind: e.target.value as PartnerKind }),
              }}
            >
              {partnerKinds.map((k) => (
                <option key={k} value={k}>
                  {partnerKindLabels[k]}
                </option>
              ))}
            </Select>
            <ErrorAlert error={addPartner.error} title="Partenaire non enregistré" />
            <Button type="submit" disabled={addPartner.isPending}>
              Ajouter le partenaire
            </Button>
          </form>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <h2>Ajouter une démarche</h2>
          <Select
            label="Partenaire"
            nativeSelectProps={{ value: partnerId, onChange: (e) => setPartnerId(e.target.value) }}
          >
            <option value="">Choisir</option>
            {catalogue.data.partners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
          <DemarcheTypeForm
            initial={{ label: "", category: "social-sante", documents: [] }}
            submitLabel="Ajouter la démarche"
            onSubmit={addType.mutate}
            error={addType.error}
            pending={addType.isPending}
          />
        </div>
      </div>
    </>
  );
}
