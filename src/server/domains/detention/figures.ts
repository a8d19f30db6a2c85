import { type SQL, sql } from "drizzle-orm";
import type { MilieuFermeFigureKey, MilieuFermeFigures } from "../../../common/detention/detention.schema";
import type { DashboardFilters } from "../../../common/reporting/reporting.schema";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { type Db, rowsOf } from "../../db/createDb";
import { recordKey } from "../reporting/cellKey";
import { type ResolvedScope, resolveReportScope } from "../reporting/policies";
import { type Cell, count, present } from "../reporting/rules";

const RELEASE =
  "Personnes sorties de détention dans la période (date de libération effective saisie au dossier).";

export const milieuFermeDefinitions: Record<MilieuFermeFigureKey, { label: string; definition: string }> = {
  released: { label: "Personnes sorties de détention", definition: RELEASE },
  metBeforeRelease: {
    label: "Rencontrées avant la sortie",
    definition: `${RELEASE} Parmi elles, celles qui ont eu au moins une visite France services avant le jour de leur libération.`,
  },
  demarchesBeforeRelease: {
    label: "Démarches engagées avant la sortie",
    definition: `Démarches des personnes sorties dans la période, créées avant le jour de leur libération, quel que soit leur statut aujourd'hui.`,
  },
  identityOnRelease: {
    label: "Pièce d'identité obtenue au jour de la sortie",
    definition: `${RELEASE} Parmi elles, celles dont une démarche de carte d'identité ou de passeport était accordée au plus tard le jour de la libération.`,
  },
  healthOnRelease: {
    label: "Couverture santé ouverte au jour de la sortie",
    definition: `${RELEASE} Parmi elles, celles dont l'affiliation à l'Assurance maladie, la CSS ou l'AME était accordée au plus tard le jour de la libération.`,
  },
  incomeOnRelease: {
    label: "Revenu (RSA) ouvert au jour de la sortie",
    definition: `${RELEASE} Parmi elles, celles dont une demande de RSA (CAF ou MSA) était accordée au plus tard le jour de la libération.`,
  },
  registrationOnRelease: {
    label: "Inscrites à France Travail au jour de la sortie",
    definition: `${RELEASE} Parmi elles, celles dont l'inscription à France Travail était accordée au plus tard le jour de la libération.`,
  },
  medianDaysToFirstVisit: {
    label: "Délai médian entre la sortie et la première visite en milieu ouvert (jours)",
    definition: `${RELEASE} Parmi elles, celles venues ensuite à une permanence hors établissement : la médiane du nombre de jours entre la libération et cette première visite.`,
  },
};

const RIGHTS: Record<
  "identityOnRelease" | "healthOnRelease" | "incomeOnRelease" | "registrationOnRelease",
  string[]
> = {
  identityOnRelease: ["ants-cni-passeport"],
  healthOnRelease: ["cpam-affiliation", "cpam-css", "cpam-ame"],
  incomeOnRelease: ["caf-rsa", "msa-rsa"],
  registrationOnRelease: ["ft-inscription"],
};

const keyOf = (ids: string[]): Cell =>
  count(
    ids.length,
    ids.reduce((sum, id) => sum + recordKey(id), 0),
  );

const released = (structureIds: string[], from: string, until: string) =>
  sql`select p.id, p.released_on from person p where p.structure_id in (${sql.join(
    structureIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}) and p.released_on >= ${from}::date and p.released_on < ${until}::date and p.merged_into_id is null`;

async function ids(db: Db, query: SQL): Promise<string[]> {
  return (await rowsOf<{ id: string }>(db, query)).map((r) => r.id);
}

/** Median of whole days, or null without values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The milieu fermé figures of the period, exact for the direction, cell-key protected for steering. */
export async function milieuFermeFigures(
  deps: Deps,
  ctx: RequestContext,
  filters: DashboardFilters,
): Promise<MilieuFermeFigures> {
  return milieuFermeOf(deps.db, await resolveReportScope(deps.db, ctx.actor, filters));
}

/**
 * The same figures for a resolved scope (every selected structure, the dashboard's months): what the
 * page, the committee report and the exports show.
 */
export async function milieuFermeOf(db: Db, scope: ResolvedScope): Promise<MilieuFermeFigures> {
  const base = released(scope.structureIds, scope.fromMonth, scope.untilMonth);
  const cells = {} as Record<MilieuFermeFigureKey, Cell>;
  cells.released = keyOf(await ids(db, sql`select r.id from (${base}) r`));
  cells.metBeforeRelease = keyOf(
    await ids(
      db,
      sql`select r.id from (${base}) r where exists (select 1 from visit v where v.person_id = r.id
        and (v.started_at at time zone 'Europe/Paris')::date < r.released_on)`,
    ),
  );
  cells.demarchesBeforeRelease = keyOf(
    await ids(
      db,
      sql`select d.id from (${base}) r join demarche d on d.person_id = r.id
        where (d.created_at at time zone 'Europe/Paris')::date < r.released_on`,
    ),
  );
  for (const [key, codes] of Object.entries(RIGHTS) as [keyof typeof RIGHTS, string[]][]) {
    cells[key] = keyOf(
      await ids(
        db,
        sql`select r.id from (${base}) r where exists (select 1 from demarche d join demarche_type t on t.id = d.demarche_type_id
          where d.person_id = r.id and d.status = 'granted' and t.code in (${sql.join(
            codes.map((c) => sql`${c}`),
            sql`, `,
          )}) and (d.outcome_at at time zone 'Europe/Paris')::date <= r.released_on)`,
      ),
    );
  }
  const delays = await rowsOf<{ id: string; days: number }>(
    db,
    sql`select r.id, min((v.started_at at time zone 'Europe/Paris')::date - r.released_on)::int as days
      from (${base}) r join visit v on v.person_id = r.id join site s on s.id = v.site_id
      where s.kind not in ('prison', 'sas') and (v.started_at at time zone 'Europe/Paris')::date >= r.released_on
      group by r.id`,
  );
  const days = delays.map((r) => Number(r.days));
  const delayIds = delays.map((r) => r.id);
  const baseKey = keyOf(delayIds);
  const medianCell: Cell = {
    value: median(days),
    part: days.length,
    base: days.length,
    partK: "k" in baseKey ? baseKey.k : 0,
    baseK: "k" in baseKey ? baseKey.k : 0,
  };
  return {
    protected: scope.protect,
    figures: [
      ...(
        [
          "released",
          "metBeforeRelease",
          "demarchesBeforeRelease",
          "identityOnRelease",
          "healthOnRelease",
          "incomeOnRelease",
          "registrationOnRelease",
        ] as const
      ).map((key) => ({
        key,
        ...milieuFermeDefinitions[key],
        value: present(cells[key], scope.protect),
        kind: "count" as const,
      })),
      {
        key: "medianDaysToFirstVisit" as const,
        ...milieuFermeDefinitions.medianDaysToFirstVisit,
        value: present(medianCell, scope.protect, "days"),
        kind: "days" as const,
      },
    ],
  };
}
