/**
 * « Financements de l'année » (ADR 0039): the fundings of the dashboard's structures whose budget
 * year falls within the period's years, for the direction and steering (the dashboard's readers).
 * Amounts and counts of fundings are not personal data: exact for every reader, never perturbed.
 */
import { sql } from "drizzle-orm";
import type { DashboardFilters } from "../../../common/reporting/reporting.schema";
import type { SectionFigure, SectionFigures } from "../../../common/reporting/sections.schema";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { type Db, rowsOf } from "../../db/createDb";
import { type ResolvedScope, resolveReportScope } from "../reporting/policies";

export const fundingFigureKeys = [
  "total",
  "fundings",
  "fromLocalAuthorities",
  "fromState",
  "fromOthers",
  "forCollectiveActions",
  "forCancelledActions",
] as const;
export type FundingFigureKey = (typeof fundingFigureKeys)[number];

/** The budget years the period touches: its first month's year to its last month's. */
export function yearsOf(scope: Pick<ResolvedScope, "fromMonth" | "untilMonth">): {
  from: number;
  to: number;
} {
  const until = scope.untilMonth;
  const lastYear = Number(until.slice(0, 4)) - (until.slice(5, 7) === "01" ? 1 : 0);
  return { from: Number(scope.fromMonth.slice(0, 4)), to: lastYear };
}

function definitions(years: string): Record<FundingFigureKey, { label: string; definition: string }> {
  const of = `financements enregistrés par la direction des structures choisies dont l'année budgétaire est ${years}`;
  return {
    total: {
      label: "Montant des financements reçus",
      definition: `Somme des montants des ${of}, tous financeurs confondus.`,
    },
    fundings: { label: "Financements", definition: `Nombre de ${of}.` },
    fromLocalAuthorities: {
      label: "dont collectivités territoriales",
      definition: `Parmi les ${of}, somme de ceux dont le financeur est une collectivité territoriale (mairie, département) de l'annuaire.`,
    },
    fromState: {
      label: "dont préfecture et services de l'État",
      definition: `Parmi les ${of}, somme de ceux dont le financeur est la préfecture ou un service de l'État (FIPD, DREETS…).`,
    },
    fromOthers: {
      label: "dont autres financeurs",
      definition: `Parmi les ${of}, somme de ceux des autres financeurs (opérateurs, associations…).`,
    },
    forCollectiveActions: {
      label: "dont cofinancement d'actions collectives",
      definition: `Parmi les ${of}, somme de ceux rattachés à une action collective (stage, forum, atelier…), y compris une action annulée depuis : l'argent accordé et non restitué reste reçu (la direction supprime ou corrige le financement s'il est restitué). Ces actions annulées ne sont pas comptées dans la section « Actions collectives » : voir la ligne suivante.`,
    },
    forCancelledActions: {
      label: "dont actions collectives annulées",
      definition: `Parmi les ${of} rattachés à une action collective, somme de ceux dont l'action a été annulée : comptés ci-dessus comme reçus tant qu'ils ne sont pas restitués, alors que l'action n'est plus comptée dans la section « Actions collectives ».`,
    },
  };
}

/** The page's route: the dashboard's scope (direction and steering; anyone else 403). */
export async function fundingFigures(
  deps: Deps,
  ctx: RequestContext,
  filters: DashboardFilters,
): Promise<SectionFigures> {
  return fundingFiguresOf(deps.db, await resolveReportScope(deps.db, ctx.actor, filters));
}

export async function fundingFiguresOf(db: Db, scope: ResolvedScope): Promise<SectionFigures> {
  const { from, to } = yearsOf(scope);
  const structures = sql.join(
    scope.structureIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const [row] = await rowsOf<Record<FundingFigureKey, number | string | null>>(
    db,
    sql`select
        coalesce(sum(f.amount_euros), 0) as total,
        count(*) as fundings,
        coalesce(sum(f.amount_euros) filter (where e.kind = 'local_authority'), 0) as "fromLocalAuthorities",
        coalesce(sum(f.amount_euros) filter (where e.kind = 'state_service'), 0) as "fromState",
        coalesce(sum(f.amount_euros) filter (where e.kind not in ('local_authority', 'state_service')), 0) as "fromOthers",
        coalesce(sum(f.amount_euros) filter (where f.collective_action_id is not null), 0) as "forCollectiveActions",
        coalesce(sum(f.amount_euros) filter (where a.status = 'cancelled'), 0) as "forCancelledActions"
      from funding f join directory_entry e on e.id = f.funder_entry_id
        left join collective_action a on a.id = f.collective_action_id
      where f.structure_id in (${structures}) and f.year between ${from} and ${to}`,
  );
  const texts = definitions(from === to ? String(from) : `comprise entre ${from} et ${to}`);
  const figure = (key: FundingFigureKey): SectionFigure => ({
    key,
    ...texts[key],
    value: Number(row?.[key] ?? 0),
    kind: key === "fundings" ? "count" : "euros",
  });
  return { protected: false, figures: fundingFigureKeys.map(figure) };
}
