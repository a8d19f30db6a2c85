import { z } from "zod";
import { defineRoute } from "../contract";
import { staffAnd } from "../roles";
import {
  importParamsSchema,
  importPreviewSchema,
  importProgressSchema,
  importSummarySchema,
  previewBodySchema,
  runBodySchema,
  structureParamsSchema,
  uploadedImportSchema,
} from "./imports.schema";

/** The largest file accepted; a larger one is refused before it is read. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** Import of an existing caseload (ADR 0025): CPIP and direction of the structure, the agent's own imports. */
export const importsRoutes = {
  upload: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/structures/:structureId/imports",
    summary:
      "Déposer un export CSV ou XLSX des dossiers suivis (multipart, champ « file », 10 Mo au plus) : colonnes, premières lignes, correspondance proposée",
    params: structureParamsSchema,
    form: z.object({ file: z.file().describe("Export CSV ou XLSX, 10 Mo au plus") }),
    response: uploadedImportSchema,
  }),
  preview: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/imports/:importId/preview",
    summary:
      "Aperçu de l'import avec la correspondance des colonnes (enregistrée pour la structure) : erreurs par ligne, doublons",
    params: importParamsSchema,
    body: previewBodySchema,
    response: importPreviewSchema,
    nominative: {
      peopleIn: (answer) => answer.duplicates.flatMap((d) => (d.existing ? [d.existing.id] : [])),
    },
  }),
  run: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/imports/:importId/run",
    summary: "Importer le lot suivant (500 lignes, une transaction) ; à rappeler jusqu'à « done »",
    params: importParamsSchema,
    body: runBodySchema,
    response: importProgressSchema,
  }),
  summary: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/imports/:importId",
    summary: "Le bilan d'un import : lignes créées, complétées, ignorées, en erreur (numéros de ligne)",
    params: importParamsSchema,
    response: importSummarySchema,
  }),
  report: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/imports/:importId/report",
    summary: "Le bilan ligne par ligne d'un import, en CSV",
    params: importParamsSchema,
    response: z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array),
    produces: "application/octet-stream",
  }),
};
