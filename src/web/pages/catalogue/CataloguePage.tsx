import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { plural } from "../../../common/plural";
import {
  type DemarcheCategory,
  demarcheCategories,
  demarcheCategoryLabels,
  type PartnerKind,
  partnerKinds,
} from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import {
  type Catalogue,
  demarcheTypeBodySchema,
  newDemarcheTypeSchema,
  newPartnerSchema,
} from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { type FormErrors, useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { RenamePartner } from "./RenamePartner";

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

type TypeKey = "partnerId" | "label" | "category" | "documents";
type TypeErrors = Pick<FormErrors<TypeKey>, "state" | "native" | "summary">;
const typeLabels = {
  partnerId: "Partenaire",
  label: "Intitulé",
  category: "Catégorie",
  documents: "Pièces habituellement demandées",
} as const;
const partnerLabels = { name: "Nom", code: "Code", kind: "Type", description: "Description" } as const;

/**
 * Label, category and usual documents of a démarche type: used to add one and to edit it.
 * `before` holds fields the form adds in front (the partner of a new type); `inline` makes the
 * submit button small, for the edit form opened inside the table beside the small "Modifier".
 */
function DemarcheTypeForm({
  initial,
  submitLabel,
  onSubmit,
  errors,
  pending,
  before,
  inline = false,
}: {
  initial: { label: string; category: DemarcheCategory; documents: string[] };
  submitLabel: string;
  onSubmit: (value: { label: string; category: DemarcheCategory; documents: string[] }) => void;
  errors: TypeErrors;
  pending: boolean;
  before?: ReactNode;
  inline?: boolean;
}): ReactNode {
  const [label, setLabel] = useState(initial.label);
  const [category, setCategory] = useState(initial.category);
  const [documents, setDocuments] = useState(initial.documents.join("\n"));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ label, category, documents: lines(documents) });
  };
  return (
    <form onSubmit={submit} aria-label={submitLabel} noValidate>
      {errors.summary}
      {before}
      <Input
        label="Intitulé"
        {...errors.state("label")}
        nativeInputProps={{
          ...errors.native("label"),
          value: label,
          onChange: (e) => setLabel(e.target.value),
        }}
      />
      <Select
        label="Catégorie"
        {...errors.state("category")}
        nativeSelectProps={{
          ...errors.native("category"),
          value: category,
          onChange: (e) => setCategory(e.target.value as DemarcheCategory),
        }}
      >
        {demarcheCategories.map((c) => (
          <option key={c} value={c}>
            {demarcheCategoryLabels[c]}
          </option>
        ))}
      </Select>
      <Input
        label="Pièces habituellement demandées (une par ligne)"
        textArea
        {...errors.state("documents")}
        nativeTextAreaProps={{
          ...errors.native("documents"),
          value: documents,
          rows: 3,
          onChange: (e) => setDocuments(e.target.value),
        }}
      />
      <Button type="submit" size={inline ? "small" : "medium"} disabled={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}

/**
 * The "Modifier" button of a démarche and its form. Saved, the form closes on a notice that takes
 * the focus (the submit button, disabled while saving, had dropped it to the page's body).
 */
function EditDemarcheType({ type }: { type: DemarcheTypeRow }): ReactNode {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState("");
  const errors = useFormErrors(`type-${type.id}`, typeLabels);
  const save = useMutation({
    mutationFn: (body: { label: string; category: DemarcheCategory; documents: string[] }) =>
      call(structuresRoutes.updateDemarcheType, { params: { demarcheTypeId: type.id }, body }),
    onSuccess: (catalogue, body) => {
      queryClient.setQueryData(["catalogue"], catalogue);
      setOpen(false);
      setNotice(`Démarche « ${body.label.trim()} » enregistrée.`);
    },
    onError: errors.showApiError,
  });
  const toggle = () => {
    setNotice("");
    setOpen(!open);
  };
  return (
    <>
      <Button size="small" priority="tertiary no outline" aria-expanded={open} onClick={toggle}>
        {open ? "Fermer" : "Modifier"}
        <span className="fr-sr-only"> « {type.label} »</span>
      </Button>
      {notice && <SuccessNotice message={notice} className="fr-mt-1w" />}
      {open && (
        <DemarcheTypeForm
          initial={type}
          submitLabel={`Enregistrer « ${type.label} »`}
          onSubmit={(body) => {
            if (errors.check(demarcheTypeBodySchema, body)) save.mutate(body);
          }}
          errors={errors}
          pending={save.isPending}
          inline
        />
      )}
    </>
  );
}

/** The pieces usually asked for a partner's démarches, as a count: « 6 pièces », not a bare « 6 ». */
const piecesCount = (n: number): string => (n === 0 ? "—" : plural(n, "pièce", "pièces"));

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
  // A code or a name already in the catalogue is said under its field, not only in the summary.
  const partnerErrors = useFormErrors("partner", partnerLabels, {
    "catalogue.codeTaken": "code",
    "catalogue.partnerNameTaken": "name",
  });
  const typeErrors = useFormErrors("new-type", typeLabels);
  // What was just added, said in a notice that takes the focus (the disabled submit button had
  // dropped it to the page's body); the new démarche's form is drawn anew, empty, so that a second
  // click does not add the same démarche twice.
  const [partnerNotice, setPartnerNotice] = useState("");
  const [typeNotice, setTypeNotice] = useState("");
  const [typeFormKey, setTypeFormKey] = useState(0);
  // Clicked twice, a form sends once (`useMutation`): a second partner was refused (« code déjà
  // utilisé »), a second démarche added twice.
  const addPartner = useMutation({
    mutationFn: (body: typeof partner) => call(structuresRoutes.addPartner, { body }),
    onMutate: () => setPartnerNotice(""),
    onSuccess: (data, body) => {
      queryClient.setQueryData(["catalogue"], data);
      setPartnerNotice(`Partenaire « ${body.name.trim()} » ajouté au catalogue.`);
      setPartner({ code: "", name: "", kind: "local_correspondent", description: "" });
    },
    onError: partnerErrors.showApiError,
  });
  const addType = useMutation({
    mutationFn: (body: { label: string; category: DemarcheCategory; documents: string[] }) =>
      call(structuresRoutes.addDemarcheType, { body: { ...body, partnerId } }),
    onMutate: () => setTypeNotice(""),
    onSuccess: (data, body) => {
      queryClient.setQueryData(["catalogue"], data);
      setTypeFormKey((key) => key + 1);
      setTypeNotice(`Démarche « ${body.label.trim()} » ajoutée au catalogue.`);
    },
    onError: typeErrors.showApiError,
  });
  const submitPartner = (event: FormEvent) => {
    event.preventDefault();
    if (partnerErrors.check(newPartnerSchema, partner)) addPartner.mutate(partner);
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
        stacked
        caption="Partenaires et démarches"
        headers={["Partenaire", "Démarches", "Pièces habituelles"]}
        data={catalogue.data.partners.map((p) => [
          <div key="name">
            {p.name}
            <RenamePartner partner={p} />
          </div>,
          <div key="types">
            {p.demarcheTypes.length === 0 && "—"}
            {p.demarcheTypes.map((d) => (
              <div key={d.id} className="fr-mb-1w">
                {d.label} <span className="fr-text--xs">({demarcheCategoryLabels[d.category]})</span>
                <EditDemarcheType type={d} />
              </div>
            ))}
          </div>,
          piecesCount(p.demarcheTypes.map((d) => d.documents.length).reduce((a, b) => a + b, 0)),
        ])}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        {/* Stacked on a phone, the second form's title is not pressed against this form's button. */}
        <div className="fr-col-12 fr-col-md-6 fr-mb-4w fr-mb-md-0">
          <h2>Ajouter un partenaire</h2>
          {partnerNotice && <SuccessNotice message={partnerNotice} />}
          <form onSubmit={submitPartner} aria-label="Ajouter un partenaire" noValidate>
            {partnerErrors.summary}
            <Input
              label="Nom"
              {...partnerErrors.state("name")}
              nativeInputProps={{
                ...partnerErrors.native("name"),
                value: partner.name,
                onChange: (e) => setPartner({ ...partner, name: e.target.value }),
              }}
            />
            <Input
              label="Code"
              hintText="Minuscules, chiffres et tirets, ex. mission-locale-meaux"
              {...partnerErrors.state("code")}
              nativeInputProps={{
                ...partnerErrors.native("code"),
                value: partner.code,
                onChange: (e) => setPartner({ ...partner, code: e.target.value }),
              }}
            />
            <Select
              label="Type"
              {...partnerErrors.state("kind")}
              nativeSelectProps={{
                ...partnerErrors.native("kind"),
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
            <Button type="submit" disabled={addPartner.isPending}>
              Ajouter le partenaire
            </Button>
          </form>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <h2>Ajouter une démarche</h2>
          {typeNotice && <SuccessNotice message={typeNotice} />}
          <DemarcheTypeForm
            key={typeFormKey}
            initial={{ label: "", category: "social-sante", documents: [] }}
            submitLabel="Ajouter la démarche"
            onSubmit={(body) => {
              if (typeErrors.check(newDemarcheTypeSchema, { ...body, partnerId })) addType.mutate(body);
            }}
            errors={typeErrors}
            pending={addType.isPending}
            before={
              <Select
                label="Partenaire"
                {...typeErrors.state("partnerId")}
                nativeSelectProps={{
                  ...typeErrors.native("partnerId"),
                  value: partnerId,
                  onChange: (e) => setPartnerId(e.target.value),
                }}
              >
                <option value="">Choisir</option>
                {catalogue.data.partners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </Select>
            }
          />
        </div>
      </div>
    </>
  );
}
