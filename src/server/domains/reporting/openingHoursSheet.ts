import { filterNotes, metaOfTable } from "../../../common/reporting/definitions";
import type { Db } from "../../db/createDb";
import type { Sheet } from "./files";
import { LABEL_WEEKLY_HOURS } from "./openingHours";
import { NOT_FOR_LABEL, openingHours } from "./openingHoursReport";
import type { ReportScope } from "./queries";
import { monthLabel } from "./rules";

/** The France services activity export's opening hours: one row per site and month, exact (durations). */
export async function openingHoursSheet(db: Db, scope: ReportScope, now: Date): Promise<Sheet> {
  const { rows, summary } = await openingHours(db, scope, now);
  return {
    name: "Heures d'ouverture",
    preamble: [
      `Heures d'ouverture par site et par mois (label France services : au moins ${LABEL_WEEKLY_HOURS} heures par semaine et par structure, permanences ouvertes au public seulement ; celles d'un établissement pénitentiaire ou d'une SAS ne comptent pas)`,
      "Heures prévues : occurrences des permanences, jours fériés exceptés ; heures tenues : jusqu'à aujourd'hui, moins les fermetures du site et les absences de tous les conseillers de la permanence.",
      ...summary,
      // The partner and counselor filters do not narrow a site's hours.
      ...filterNotes(scope, metaOfTable("openingHoursHeld"), "table"),
    ],
    header: [
      "Structure",
      "Site",
      "Compté pour le label",
      "Mois",
      "Heures par semaine",
      "Heures prévues",
      "Heures tenues",
    ],
    rows: rows.map((r) => [
      r.structure,
      r.site,
      r.forLabel ? "oui" : `non (${NOT_FOR_LABEL})`,
      monthLabel(r.month),
      r.weeklyHours,
      r.plannedHours,
      r.heldHours,
    ]),
    kinds: ["count", "count", "count", "count", "hours", "hours", "hours"],
  };
}
