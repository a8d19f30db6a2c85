/**
 * The France services label's figure on training (ADR 0038): how many agents of the scope's
 * structures were trained as France services counselors at the end of the period. Agents, not
 * people: exact for every reader (no small-count protection), like the opening hours.
 */
import { formatDate } from "../../../common/dateFormat";
import { plural } from "../../../common/plural";
import { metaOfFigure } from "../../../common/reporting/definitions";
import type { Figure } from "../../../common/reporting/reporting.schema";
import type { Db } from "../../db/createDb";
import { addDays } from "../agenda/rules";
import { trainedAgentsOn } from "../structures/training";
import { referenceDay } from "./openingHours";
import type { ReportScope } from "./queries";

export async function trainingFigure(
  db: Db,
  scope: ReportScope,
  now: Date,
): Promise<{ figure: Figure; summary: string }> {
  // The period's last day, or today while it is not over.
  const day = referenceDay(addDays(scope.untilMonth, -1).slice(0, 7), now);
  const trained = await trainedAgentsOn(db, scope.structureIds, day);
  return {
    figure: {
      id: "trainedCounselors",
      ...metaOfFigure("trainedCounselors"),
      label: "Conseillers France services formés",
      kind: "count",
      value: trained,
    },
    summary: `${plural(trained, "agent formé comme conseiller", "agents formés comme conseillers")} France services au ${formatDate(day)}.`,
  };
}
