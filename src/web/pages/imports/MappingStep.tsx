import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, type ReactNode, useState } from "react";
import { importsRoutes } from "../../../common/imports/imports.routes";
import {
  type ImportField,
  type ImportMapping,
  type ImportPreview,
  importFieldLabels,
  importFields,
  previewBodySchema,
  requiredImportFields,
  type UploadedImport,
} from "../../../common/imports/imports.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { ScrollableTable } from "../../components/ScrollableTable";

const labels = Object.fromEntries(importFields.map((f) => [`mapping.${f}`, importFieldLabels[f]])) as Record<
  `mapping.${(typeof importFields)[number]}`,
  string
>;

function initialMapping(uploaded: UploadedImport): ImportMapping {
  return Object.fromEntries(importFields.map((f) => [f, uploaded.mapping[f] ?? ""])) as ImportMapping;
}

/** Step 2: which column holds what; the mapping is saved for the structure and proposed next time. */
export function MappingStep({
  uploaded,
  onPreview,
}: {
  uploaded: UploadedImport;
  onPreview: (preview: ImportPreview) => void;
}): ReactNode {
  const [mapping, setMapping] = useState<ImportMapping>(() => initialMapping(uploaded));
  const required = (field: ImportField) =>
    requiredImportFields.includes(field) || (field === "referent" && uploaded.referentRequired);
  const errors = useFormErrors("import-mapping", labels);
  const preview = useMutation({
    mutationFn: (chosen: ImportMapping) =>
      call(importsRoutes.preview, { params: { importId: uploaded.importId }, body: { mapping: chosen } }),
    onSuccess: onPreview,
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (errors.check(previewBodySchema, { mapping })) preview.mutate(mapping);
  };
  return (
    <form onSubmit={submit} noValidate>
      {errors.summary}
      <p>
        « {uploaded.fileName} » : {uploaded.rowCount.toLocaleString("fr-FR")} ligne
        {uploaded.rowCount > 1 ? "s" : ""}.{" "}
        {uploaded.mappingOrigin === "saved"
          ? "Les colonnes choisies lors du dernier import de la structure sont reprises : vérifiez-les."
          : "Les colonnes ont été devinées d'après leur nom : vérifiez-les."}{" "}
        Les champs marqués d'un astérisque sont obligatoires.{" "}
        {uploaded.referentRequired
          ? "Vous n'êtes pas CPIP de la structure : chaque dossier doit nommer son CPIP référent, choisissez sa colonne."
          : "Un dossier sans CPIP référent dans le fichier vous est confié."}
      </p>
      <div className="pa-import-mapping">
        {importFields.map((field) => (
          <Select
            key={field}
            label={`${importFieldLabels[field]}${required(field) ? " *" : ""}`}
            state={errors.state(`mapping.${field}`).state}
            stateRelatedMessage={errors.state(`mapping.${field}`).stateRelatedMessage}
            nativeSelectProps={{
              ...errors.native(`mapping.${field}`),
              value: mapping[field],
              onChange: (event) => setMapping({ ...mapping, [field]: event.currentTarget.value }),
            }}
          >
            <option value="">— Pas dans le fichier —</option>
            {uploaded.headers
              .filter((h) => h !== "")
              .map((header) => (
                <option key={header} value={header}>
                  {header}
                </option>
              ))}
          </Select>
        ))}
      </div>
      <ScrollableTable
        caption="Premières lignes du fichier"
        headers={uploaded.headers}
        data={uploaded.sample}
        fixed={false}
      />
      <Button type="submit" disabled={preview.isPending}>
        {preview.isPending ? "Vérification…" : "Vérifier les lignes"}
      </Button>
    </form>
  );
}
