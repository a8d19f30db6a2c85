import { z } from "zod";
import { defineRoute, okSchema } from "../contract";
import { personIdParamsSchema } from "../people/people.schema";
import { staffAnd } from "../roles";
import { structureIdParamsSchema } from "../structures/structures.schema";
import {
  retentionPreviewSchema,
  retentionRunBodySchema,
  retentionRunResultSchema,
  retentionSettingsSchema,
} from "./retention.schema";

const file = z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array);

export const retentionRoutes = {
  preview: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/retention",
    summary:
      "Conservation des données (direction) : durées, dossiers à archiver et à effacer aux prochains passages (consultation journalisée)",
    params: structureIdParamsSchema,
    response: retentionPreviewSchema,
    nominative: {
      peopleIn: (answer) => [...answer.toArchive.map((p) => p.id), ...answer.archived.map((p) => p.id)],
    },
  }),
  saveSettings: defineRoute({
    onlyRoles: staffAnd(),
    method: "PUT",
    path: "/api/structures/:structureId/retention",
    summary: "Modifier les durées de conservation de la structure (dans les limites nationales)",
    params: structureIdParamsSchema,
    body: retentionSettingsSchema,
    response: okSchema,
  }),
  run: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/structures/:structureId/retention/run",
    summary: "Lancer la purge de la structure maintenant, ou la simuler (résultat en nombres, sans nom)",
    params: structureIdParamsSchema,
    body: retentionRunBodySchema,
    response: retentionRunResultSchema,
  }),
  restore: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/people/:personId/restore",
    summary: "Restaurer un dossier archivé (direction) : il revient dans les listes",
    params: personIdParamsSchema,
    response: okSchema,
  }),
  exportJson: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/people/:personId/data-export/json",
    summary: "Toutes les données d'une personne (droit d'accès), en JSON (direction, journalisé)",
    params: personIdParamsSchema,
    response: file,
    produces: "application/octet-stream",
    nominative: {},
  }),
  exportPdf: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/people/:personId/data-export/pdf",
    summary: "Toutes les données d'une personne (droit d'accès), en PDF (direction, journalisé)",
    params: personIdParamsSchema,
    response: file,
    produces: "application/pdf",
    nominative: {},
  }),
};
