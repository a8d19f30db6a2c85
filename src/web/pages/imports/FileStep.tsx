import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { z } from "zod";
import { importsRoutes, MAX_IMPORT_BYTES } from "../../../common/imports/imports.routes";
import type { UploadedImport } from "../../../common/imports/imports.schema";
import { upload } from "../../api/client";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = { file: "Fichier à importer" };
/** Checked before sending: a browser may not get the server's answer to a request it is still sending. */
const fileSchema = z.object({
  file: z
    .custom<File>((value) => value instanceof File, "Choisissez un fichier CSV ou XLSX à importer.")
    .refine(
      (file) => file.size <= MAX_IMPORT_BYTES,
      "Le fichier dépasse 10 Mo : exportez les dossiers en plusieurs fichiers, ou seulement les colonnes utiles.",
    ),
});

/** Step 1: the export file (CSV or XLSX), read by the server; a bad file is refused with why. */
export function FileStep({
  structureId,
  onUploaded,
}: {
  structureId: string;
  onUploaded: (uploaded: UploadedImport) => void;
}): ReactNode {
  const [file, setFile] = useState<File | null>(null);
  const errors = useFormErrors("import-file", labels, {
    "import.tooLarge": "file",
    "import.encoding": "file",
    "import.notATable": "file",
    "import.tooManyRows": "file",
    "import.unpackedTooLarge": "file",
    "import.noFile": "file",
  });
  const send = useMutation({
    mutationFn: (chosen: File) => upload(importsRoutes.upload, { params: { structureId }, file: chosen }),
    onSuccess: onUploaded,
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!errors.check(fileSchema, { file }) || !file) return;
    send.mutate(file);
  };
  return (
    <form onSubmit={submit} noValidate>
      {errors.summary}
      <p>
        Exportez la liste des personnes suivies depuis l'application de suivi du SPIP, en CSV (séparateur « ;
        » ou « , ») ou en XLSX : une ligne d'en-têtes, puis une ligne par personne. Les dates sont lues au
        format jj/mm/aaaa, les téléphones sous toutes leurs formes françaises.
      </p>
      <p>
        Colonnes attendues : numéro de dossier, nom, prénom, date de naissance ; facultatives : téléphone,
        adresse électronique, type, début et fin de mesure, CPIP référent. Pour les personnes détenues,
        ajoutez si vous les avez l'établissement (le nom d'une prison ou d'un SAS de la structure), le numéro
        d'écrou, la date de libération prévue et le type de sortie (fin de peine, aménagement de peine,
        placement en SAS). Le numéro d'écrou n'est jamais montré aux conseillers France services.
      </p>
      <Upload
        label={labels.file}
        hint="Formats CSV ou XLSX, 10 Mo au plus."
        state={errors.state("file").state}
        stateRelatedMessage={errors.state("file").stateRelatedMessage}
        nativeInputProps={{
          ...errors.native("file"),
          accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          onChange: (event) => setFile(event.currentTarget.files?.[0] ?? null),
        }}
      />
      <Button type="submit" className="fr-mt-3w" disabled={send.isPending}>
        {send.isPending ? "Lecture du fichier…" : "Lire le fichier"}
      </Button>
    </form>
  );
}
