/**
 * The dashboard's sections served beside the main figures (milieu fermé, transfers and handovers,
 * collective actions): each figure with its label and definition, written by the server, so the
 * page, the committee report and the exports say the same thing.
 */
import { z } from "zod";
import type { SectionId } from "./definitions";
import { valueKinds } from "./reporting.schema";

export const sectionFigureSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** Null: hidden ("< 5" for a count, "non significatif" for a median or a rate). */
  value: z.number().nullable(),
  kind: z.enum(valueKinds),
  definition: z.string(),
});
export type SectionFigure = z.infer<typeof sectionFigureSchema>;

export const sectionFiguresSchema = z.object({
  /** True when the reader does not direct every selected structure (cell-key protection, ADR 0019). */
  protected: z.boolean(),
  figures: z.array(sectionFigureSchema),
});
export type SectionFigures = z.infer<typeof sectionFiguresSchema>;

export {
  type SectionId,
  sectionFilterNotes,
  sectionFilters,
  sectionFiltersNote,
  sectionIds,
} from "./definitions";

/** Each section's title (a spreadsheet's name is 31 characters at most) and what it is about. */
export const sectionTexts: Record<SectionId, { title: string; sheet: string; intro: string }> = {
  milieuFerme: {
    title: "Milieu fermé",
    sheet: "Milieu fermé",
    intro:
      "Personnes sorties de détention dans la période : ce qui a été fait avant leur sortie et les droits ouverts le jour de la sortie.",
  },
  transfers: {
    title: "Transferts et passages de relais",
    sheet: "Transferts et relais",
    intro:
      "Transferts de dossiers entre structures proposés dans la période, selon leur état aujourd'hui, et réunions de passage de relais tenues avant une sortie de détention.",
  },
  actions: {
    title: "Actions collectives",
    sheet: "Actions collectives",
    intro:
      "Forums emploi, ateliers, stages, informations collectives, réunions plénières et groupes de travail commençant dans la période : participation et résultats.",
  },
  fundings: {
    title: "Financements de l'année",
    sheet: "Financements",
    intro:
      "Financements reçus par les structures choisies (subventions de la préfecture, cofinancements des collectivités…) dont l'année budgétaire tombe dans la période. Montants exacts pour la direction comme pour le pilotage : ce ne sont pas des données personnelles.",
  },
};
