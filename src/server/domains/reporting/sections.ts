/**
 * The dashboard's sections computed beside the main figures — milieu fermé (ADR 0028), transfers and
 * handovers (ADR 0029), collective actions (ADR 0031), fundings (ADR 0039) — by the same functions as the page's routes,
 * for the committee report and the exports. Who reads decides, as everywhere (ADR 0019).
 */
import { type SectionFigure, type SectionId, sectionTexts } from "../../../common/reporting/sections.schema";
import type { Db } from "../../db/createDb";
import { actionFiguresOf } from "../actions/use-cases/Figures";
import { milieuFermeOf } from "../detention/figures";
import { fundingFiguresOf } from "../fundings/figures";
import { transferFiguresOf } from "../handover/use-cases/TransferFigures";
import type { ResolvedScope } from "./policies";

export interface ReportSection {
  id: SectionId;
  title: string;
  sheet: string;
  intro: string;
  figures: SectionFigure[];
}

export async function reportSections(db: Db, scope: ResolvedScope): Promise<ReportSection[]> {
  // One after the other: `db` may be a single connection (a transaction), which runs one query at a time.
  const milieuFerme = await milieuFermeOf(db, scope);
  const transfers = await transferFiguresOf(db, scope);
  const actions = await actionFiguresOf(db, scope);
  const fundings = await fundingFiguresOf(db, scope);
  const section = (id: SectionId, figures: SectionFigure[]): ReportSection => ({
    id,
    ...sectionTexts[id],
    figures,
  });
  return [
    section("milieuFerme", milieuFerme.figures),
    section("transfers", transfers.figures),
    section("actions", actions.figures),
    section("fundings", fundings.figures),
  ];
}
