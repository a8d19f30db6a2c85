import { and, eq, gte, inArray, lt, or } from "drizzle-orm";
import type { DashboardFilters } from "../../../../common/reporting/reporting.schema";
import type { SectionFigure, SectionFigures } from "../../../../common/reporting/sections.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { handoverMeeting, transfer } from "../../../db/schema";
import { recordKey } from "../../reporting/cellKey";
import { type ResolvedScope, resolveReportScope } from "../../reporting/policies";
import { count, present } from "../../reporting/rules";

const OUT =
  "Transferts de dossier proposés pendant la période (date de la proposition) par la structure à une autre structure";
const IN =
  "Transferts de dossier proposés pendant la période (date de la proposition) à la structure par une autre structure";
const SEVERAL =
  "Avec plusieurs structures choisies, un transfert de l'une à l'autre compte parmi les sortants et parmi les entrants.";

export const transferFigureKeys = [
  "outProposed",
  "outAccepted",
  "outRefused",
  "inProposed",
  "inAccepted",
  "inRefused",
  "handovers",
  "handoversWithPerson",
] as const;
export type TransferFigureKey = (typeof transferFigureKeys)[number];

export const transferDefinitions: Record<TransferFigureKey, { label: string; definition: string }> = {
  outProposed: {
    label: "Transferts sortants proposés",
    definition: `${OUT}, quel que soit leur état aujourd'hui (en attente, accepté, refusé ou annulé). ${SEVERAL}`,
  },
  outAccepted: {
    label: "Transferts sortants acceptés",
    definition: `${OUT}, que la structure destinataire a acceptés (état aujourd'hui).`,
  },
  outRefused: {
    label: "Transferts sortants refusés",
    definition: `${OUT}, que la structure destinataire a refusés (état aujourd'hui).`,
  },
  inProposed: {
    label: "Transferts entrants proposés",
    definition: `${IN}, quel que soit leur état aujourd'hui (en attente, accepté, refusé ou annulé). ${SEVERAL}`,
  },
  inAccepted: {
    label: "Transferts entrants acceptés",
    definition: `${IN}, que la structure a acceptés (état aujourd'hui).`,
  },
  inRefused: {
    label: "Transferts entrants refusés",
    definition: `${IN}, que la structure a refusés (état aujourd'hui).`,
  },
  handovers: {
    label: "Passages de relais tenus",
    definition:
      "Réunions de passage de relais (milieu fermé vers milieu ouvert) tenues pendant la période et dont la structure a transmis le dossier ; les réunions prévues ou annulées ne comptent pas.",
  },
  handoversWithPerson: {
    label: "Passages de relais tenus en présence de la personne",
    definition:
      "Parmi les passages de relais tenus, ceux où la personne a assisté à la réunion, comme l'a indiqué l'agent qui l'a close. Les réunions closes avant que cette présence soit demandée ne comptent pas.",
  },
};

/** The transfer counts of the dashboard's scope, over its months: the page's route. */
export async function transferFigures(
  deps: Deps,
  ctx: RequestContext,
  filters: DashboardFilters,
): Promise<SectionFigures> {
  return transferFiguresOf(deps.db, await resolveReportScope(deps.db, ctx.actor, filters));
}

/**
 * Counts of transfers (proposed, accepted, refused; out of and into the selected structures) and of
 * handovers held (and of those held in the person's presence), over the scope's months (Europe/Paris), for every selected structure. Exact for the
 * direction of all of them; cell-key perturbed with "< 5" for anyone else (ADR 0019), each count
 * keyed by the ids of the transfers or meetings it counts.
 */
export async function transferFiguresOf(db: Db, scope: ResolvedScope): Promise<SectionFigures> {
  const selected = new Set(scope.structureIds);
  const rows = await db
    .select({
      id: transfer.id,
      status: transfer.status,
      from: transfer.fromStructureId,
      to: transfer.toStructureId,
    })
    .from(transfer)
    .where(
      and(
        gte(transfer.proposedAt, scope.fromAt),
        lt(transfer.proposedAt, scope.untilAt),
        or(
          inArray(transfer.fromStructureId, scope.structureIds),
          inArray(transfer.toStructureId, scope.structureIds),
        ),
      ),
    );
  const held = await db
    .select({ id: handoverMeeting.id, personPresent: handoverMeeting.personPresent })
    .from(handoverMeeting)
    .where(
      and(
        inArray(handoverMeeting.structureId, scope.structureIds),
        eq(handoverMeeting.status, "held"),
        gte(handoverMeeting.heldAt, scope.fromAt),
        lt(handoverMeeting.heldAt, scope.untilAt),
      ),
    );
  const out = rows.filter((r) => selected.has(r.from));
  const inn = rows.filter((r) => selected.has(r.to));
  const ids = (list: typeof rows, status?: string) =>
    list.filter((r) => !status || r.status === status).map((r) => r.id);
  const idsOf: Record<TransferFigureKey, string[]> = {
    outProposed: ids(out),
    outAccepted: ids(out, "accepted"),
    outRefused: ids(out, "refused"),
    inProposed: ids(inn),
    inAccepted: ids(inn, "accepted"),
    inRefused: ids(inn, "refused"),
    handovers: held.map((h) => h.id),
    handoversWithPerson: held.filter((h) => h.personPresent === true).map((h) => h.id),
  };
  const figure = (key: TransferFigureKey): SectionFigure => {
    const counted = idsOf[key];
    const keySum = counted.reduce((sum, id) => sum + recordKey(id), 0);
    return {
      key,
      ...transferDefinitions[key],
      value: present(count(counted.length, keySum), scope.protect),
      kind: "count",
    };
  };
  return { protected: scope.protect, figures: transferFigureKeys.map(figure) };
}
