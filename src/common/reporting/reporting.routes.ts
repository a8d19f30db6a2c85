import { z } from "zod";
import { defineRoute } from "../contract";
import { errors } from "../errors";
import { staffAnd } from "../roles";
import {
  activityQuerySchema,
  dashboardFiltersSchema,
  dashboardSchema,
  exportQuerySchema,
  filterChoicesSchema,
  nominativeExportQuerySchema,
  nominativeListSchema,
  nominativeQuerySchema,
} from "./reporting.schema";
import { territoriesSchema } from "./territories.schema";

const file = z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array);

export const reportingRoutes = {
  dashboard: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/dashboard",
    summary: "Tableau de bord du comité de pilotage (agrégats, petits effectifs masqués pour le pilotage)",
    query: dashboardFiltersSchema,
    response: dashboardSchema,
  }),
  filterChoices: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/filter-choices",
    summary:
      "Les choix des filtres du tableau de bord : structures lues, leurs sites, partenaires et conseillers",
    response: filterChoicesSchema,
  }),
  territories: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/territories",
    summary: "Structures comparées côte à côte sur la période (agrégats, mêmes règles de protection)",
    query: dashboardFiltersSchema,
    response: territoriesSchema,
  }),
  report: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/report",
    summary: "Rapport du comité de pilotage pour une période (PDF)",
    query: dashboardFiltersSchema,
    response: file,
    produces: "application/pdf",
    longExport: true,
  }),
  exportTables: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/export",
    summary: "Export CSV ou XLSX des tableaux du tableau de bord (agrégats protégés)",
    query: exportQuerySchema,
    response: file,
    produces: "application/octet-stream",
    longExport: true,
  }),
  activity: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/activity",
    summary: "Export d'activité France services : comptes mensuels par site, partenaire et niveau d'aide",
    query: activityQuerySchema,
    response: file,
    produces: "application/octet-stream",
    longExport: true,
  }),
  nominativeList: defineRoute({
    method: "GET",
    path: "/api/reporting/list",
    summary: "Liste nominative derrière un chiffre (direction seulement, journalisée)",
    query: nominativeQuerySchema,
    response: nominativeListSchema,
    onlyRoles: { roles: ["service_manager"], refusal: errors.reporting.nominativeForbidden },
    nominative: { peopleIn: (answer) => answer.rows.map((row) => row.personId) },
  }),
  nominativeExport: defineRoute({
    method: "GET",
    path: "/api/reporting/list/export",
    summary: "Export nominatif CSV ou XLSX (direction seulement, journalisé, à purger sous 30 jours)",
    query: nominativeExportQuerySchema,
    response: file,
    produces: "application/octet-stream",
    longExport: true,
    onlyRoles: { roles: ["service_manager"], refusal: errors.reporting.nominativeForbidden },
    nominative: {},
  }),
};
