import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import type { ReactNode } from "react";
import { z } from "zod";
import { importsRoutes, MAX_IMPORT_BYTES } from "../../../common/imports/imports.routes";
import type { UploadedImport } from "../../../common/imports/imports.schema";
import { upload as uploadFile } from "../../api/client";
import { useFileUpload } from "../../components/form/useFileUpload";

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
  const upload = useFileUpload({
    idPrefix: "import-file",
    labels,
    codeFields: {
      "import.tooLarge": "file",
      "import.encoding": "file",
      "import.notATable": "file",
      "import.notASpreadsheet": "file",
      "import.tooManyRows": "file",
      "import.unpackedTooLarge": "file",
      "import.noFile": "file",
    },
    schema: fileSchema,
    send: (chosen: File) => uploadFile(importsRoutes.upload, { params: { structureId }, file: chosen }),
    onSent: onUploaded,
  });
  return (
    <form onSubmit={(event) => upload.submit(event)} noValidate>
      {upload.errors.summary}
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
        {...upload.uploadProps({
          accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })}
      />
      <Button type="submit" className="fr-mt-3w" disabled={upload.busy}>
        {upload.busy ? "Lecture du fichier…" : "Lire le fichier"}
      </Button>
    </form>
  );
}
